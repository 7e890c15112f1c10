"""The HTTP session the Bot is built on."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

__all__ = ["BotApiSession"]


class BotApiSession(AiohttpSession):
    """aiogram's HTTP session to the Bot API at `api_url`.

    On close aiogram waits 250 ms for TLS connections to shut down; a session to a plain-HTTP
    server (a local Bot API server) has none, so it closes at once.
    """

    def __init__(self, api_url: str) -> None:
        super().__init__(api=TelegramAPIServer.from_base(api_url))
        self._tls = urlsplit(api_url).scheme != "http"

    async def close(self) -> None:
        if self._tls:
            await super().close()
        elif self._session is not None and not self._session.closed:
            await self._session.close()
