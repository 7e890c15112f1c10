"""The HTTP session the Bot is built on."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.feeds.lookup import LookupResolver

__all__ = ["BotApiSession"]


class BotApiSession(AiohttpSession):
    """aiogram's HTTP session to the Bot API at `api_url`.

    On close aiogram waits 250 ms for TLS connections to shut down; a session to a plain-HTTP
    server (a local Bot API server) has none, so it closes at once. The Bot API's host name is
    looked up as feeds' are (bot/feeds/lookup.py): a machine started before its network is up
    can stop while the lookup still waits for a resolver.
    """

    def __init__(self, api_url: str) -> None:
        super().__init__(api=TelegramAPIServer.from_base(api_url))
        self._tls = urlsplit(api_url).scheme != "http"
        self._connector_init["resolver"] = LookupResolver()

    async def close(self) -> None:
        if self._tls:
            await super().close()
        elif self._session is not None and not self._session.closed:
            await self._session.close()
