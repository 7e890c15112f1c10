"""A minimal Telegram for benchmarks: sendMessage on 127.0.0.1 under Telegram's broadcast limits.

30 accepted messages in any one second overall, one a second per private chat; a message over
either limit gets a 429 with an integer retry_after, as Telegram answers. Accepted messages are
kept with their monotonic arrival time so a benchmark can measure the rate it achieved.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

PER_SECOND = 30
CHAT_INTERVAL = 1.0


@dataclass(frozen=True)
class Accepted:
    chat_id: int
    at: float  # time.monotonic() on arrival


class BenchTelegram:
    def __init__(self) -> None:
        self.accepted: list[Accepted] = []
        self.count_429 = 0
        self._second: deque[float] = deque()
        self._last: dict[int, float] = {}
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def __aenter__(self) -> BenchTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def make_bot(self, token: str) -> Bot:
        return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(self.base_url)))

    def messages(self) -> list[Accepted]:
        return list(self.accepted)

    def _wait(self, chat_id: int, now: float) -> float:
        while self._second and self._second[0] <= now - 1.0:
            self._second.popleft()
        waits = [0.0]
        if len(self._second) >= PER_SECOND:
            waits.append(self._second[0] + 1.0 - now)
        last = self._last.get(chat_id)
        if last is not None and now - last < CHAT_INTERVAL:
            waits.append(last + CHAT_INTERVAL - now)
        return max(waits)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"].lower() != "sendmessage":
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"})
        form = await request.post()
        chat_id = int(str(form["chat_id"]))
        now = time.monotonic()
        wait = self._wait(chat_id, now)
        if wait > 0:
            self.count_429 += 1
            retry_after = max(1, math.ceil(wait))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
            )
        self._second.append(now)
        self._last[chat_id] = now
        self.accepted.append(Accepted(chat_id, now))
        message: dict[str, Any] = {
            "message_id": len(self.accepted),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": str(form.get("text", "")),
        }
        return web.json_response({"ok": True, "result": message})
