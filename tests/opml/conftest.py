"""A running bot (tests/chat/conftest.py) and a site of feeds on 127.0.0.1 to import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.chat.conftest import bot_settings, chatbot, stub_options
from tests.support.feedserver import serve

__all__ = ["bot_settings", "chatbot", "rss", "site", "stub_options"]


def rss(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><item><title>Новость</title>"
        "<link>http://127.0.0.1/1</link></item></channel></rss>"
    ).encode()


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """/feed/<name> is a feed titled <name> (/feed/slow after 1.5 s), /page an HTML page,
    anything else a 404."""

    async def feed(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == "slow":
            await asyncio.sleep(1.5)
        return web.Response(body=rss(f"Лента {name}"), content_type="application/rss+xml")

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=b"<!doctype html><p>hi</p>", content_type="text/html")

    async with serve({"/feed/{name}": feed, "/page": page}) as server:
        yield server.url
