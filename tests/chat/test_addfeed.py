"""/addfeed: one check per chat at a time, and every outcome a sentence in the chat's language."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.chat.conftest import ALICE, BOB, ChatBot
from tests.support.records import SentMessage
from tests.support.updates import User

HTML_PAGE = b"<!doctype html><html><body>Hello</body></html>"


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """/slow answers a feed after 1.5 s, /missing is a 404, /page an HTML page."""
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Медленная'
        "</title><item><title>Новость</title><link>http://127.0.0.1/1</link></item>"
        "</channel></rss>"
    ).encode()

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1.5)
        return web.Response(body=rss, content_type="application/rss+xml")

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=HTML_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/slow", slow)
    app.router.add_get("/page", page)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def outcome(chatbot: ChatBot, user: User, url: str) -> SentMessage:
    reply = await chatbot.last(user, f"/addfeed {url}")
    await chatbot.stub.wait_for(lambda: "⏳" not in reply.text, timeout=15)
    return reply


@pytest.mark.parametrize("bot_settings", [{"ALLOW_PRIVATE_FEED_HOSTS": True}])
async def test_a_second_addfeed_while_one_is_checked_gets_a_clear_reply(
    chatbot: ChatBot, site: str
) -> None:
    checking = await chatbot.last(ALICE, f"/addfeed {site}/slow")
    assert "Проверяю ленту" in checking.text
    second = await chatbot.last(ALICE, f"/addfeed {site}/page")
    listing = await chatbot.last(ALICE, "/list")  # the chat is not queued behind the check

    assert "ещё проверяю" in second.text and "/slow" in second.text
    assert "Подписок" in listing.text
    await chatbot.stub.wait_for(lambda: "добавлена" in checking.text, timeout=15)
    assert [cf.feed.url for cf in await chatbot.repo.feeds.for_chat(ALICE.id)] == [f"{site}/slow"]


@pytest.mark.parametrize("bot_settings", [{"ALLOW_PRIVATE_FEED_HOSTS": True}])
@pytest.mark.parametrize(
    ("path", "ru", "en"),
    [
        ("/missing", "ответил ошибкой 404", "answered with error 404"),
        ("/page", "не лента RSS или Atom", "not an RSS or Atom feed"),
    ],
)
async def test_addfeed_refusals_are_sentences_in_the_users_language(
    chatbot: ChatBot, site: str, path: str, ru: str, en: str
) -> None:
    assert ru in (await outcome(chatbot, ALICE, site + path)).text
    english = (await outcome(chatbot, BOB, site + path)).text
    assert en in english
    assert not any("а" <= ch <= "я" for ch in english.lower())


@pytest.mark.parametrize(
    ("url", "ru", "en"),
    [
        ("http://127.0.0.1:1/rss", "внутреннюю сеть", "private network"),
        ("http://10.0.0.1/rss", "внутреннюю сеть", "private network"),
        ("http://no-such-host.invalid/rss", "Не удалось связаться", "Could not reach"),
    ],
)
async def test_a_forbidden_address_and_an_unknown_host_are_told_apart(
    chatbot: ChatBot, url: str, ru: str, en: str
) -> None:
    russian = (await outcome(chatbot, ALICE, url)).text
    english = (await outcome(chatbot, BOB, url)).text

    assert ru in russian and en in english
    for technical in ("loopback", "private address", "cannot resolve", "refused:"):
        assert technical not in russian and technical not in english


@pytest.mark.parametrize("bot_settings", [{"ALLOW_PRIVATE_FEED_HOSTS": True}])
async def test_an_unreachable_server_is_not_called_a_forbidden_address(chatbot: ChatBot) -> None:
    reply = await outcome(chatbot, ALICE, "http://127.0.0.1:1/rss")

    assert "Не удалось связаться" in reply.text and "не подходит" not in reply.text
