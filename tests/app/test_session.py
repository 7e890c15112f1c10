"""The Bot's HTTP session: closing it waits for TLS only where there is TLS."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.session import BotApiSession


async def test_only_a_session_to_an_https_server_waits_for_its_tls_connections_to_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waited: list[float] = []
    real_sleep = asyncio.sleep

    async def recording(delay: float, *args: Any, **kwargs: Any) -> None:
        waited.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording)
    local = BotApiSession("http://127.0.0.1:8081")
    await local.create_session()
    await local.close()
    assert waited == []

    telegram = BotApiSession("https://api.telegram.org")
    await telegram.create_session()
    await telegram.close()
    assert waited == [0.25]
