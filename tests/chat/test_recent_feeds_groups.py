"""/recent (delivered and search, with paging), feeds, and group chats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import web

from bot.chatfeeds import clean_url
from tests.chat.conftest import ADMIN, ALICE, GROUP, MEMBER, ChatBot
from tests.support.records import SentMessage
from tests.support.updates import User


async def addfeed(chatbot: ChatBot, user: User, url: str) -> SentMessage:
    """/addfeed answers «checking…» at once and edits that reply with the outcome."""
    reply = await chatbot.last(user, f"/addfeed {url}")
    await chatbot.stub.wait_for(lambda: "⏳" not in reply.text, timeout=15)
    return reply


async def test_recent_without_query_pages_through_delivered_alerts(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    [sub] = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    items = await chatbot.seed_items([f"Лавров: новость {i}" for i in range(12)])
    for item in reversed(items):  # delivered oldest first, as the worker would
        await chatbot.deliver(ALICE.id, item, sub.id, "Лавров")

    page = await chatbot.last(ALICE, "/recent")
    assert "стр. 1" in page.text
    assert page.text.index("новость 0") < page.text.index("новость 9")  # newest first
    assert "новость 10" not in page.text
    assert ("Лавров: новость 0", "https://news.example/0") in page.links

    await chatbot.press_label(ALICE, page, "Старее")
    assert "стр. 2" in page.text and "11. Лавров: новость 10" in page.text
    assert [b["text"] for b in page.buttons] == ["← Новее"]
    await chatbot.press_label(ALICE, page, "Новее")
    assert "стр. 1" in page.text


async def test_recent_without_deliveries_explains_search(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/recent")
    assert "пока не было" in reply.text and "/recent Лавров" in reply.text


async def test_recent_with_query_searches_stored_items_with_matching_rules(
    chatbot: ChatBot,
) -> None:
    titles = []
    for i in range(25):
        titles.append(f"Встреча Сергея Лаврова номер {i}")
        titles.append(f"Лавры победителей {i}")  # «лавры» is not «Лавров»
    await chatbot.seed_items(titles)

    page = await chatbot.last(ALICE, "/recent Лавров")
    assert page.text.startswith("🔎 Лавров")
    assert page.text.count("Лаврова") == 10 and "Лавры" not in page.text
    assert "номер 0" in page.text and "номер 9" in page.text

    await chatbot.press_label(ALICE, page, "Старее")
    assert "стр. 2" in page.text and "номер 10" in page.text and "номер 19" in page.text
    await chatbot.press_label(ALICE, page, "Старее")
    assert page.text.count("Лаврова") == 5 and "номер 24" in page.text
    assert [b["text"] for b in page.buttons] == ["← Новее"]
    assert await chatbot.repo.subscriptions.for_chat(ALICE.id) == []  # a search, not a sub


async def test_recent_search_ignores_items_older_than_retention(chatbot: ChatBot) -> None:
    _, old = await chatbot.seed_items(["Сергей Лавров", "Лавров давно"])
    await chatbot.repo.db.execute(
        "UPDATE items SET fetched_at = fetched_at - ? WHERE id = ?",
        (timedelta(days=40).total_seconds(), old.id),
    )
    page = await chatbot.last(ALICE, "/recent Лавров")
    assert "Сергей Лавров" in page.text and "давно" not in page.text


async def test_recent_with_invalid_query_says_why(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/recent -Лавров")
    assert "только исключения" in reply.text


async def test_recent_search_with_nothing_found(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/recent Уиткофф")
    assert "ничего не нашлось" in reply.text and reply.buttons == []


@pytest.fixture
async def local_feed() -> AsyncIterator[str]:
    """A real feed on 127.0.0.1: refused as a private address unless allowed."""
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Локальная лента</title><link>http://127.0.0.1/</link>"
        "<item><title>Сергей Лавров</title><link>http://127.0.0.1/1</link>"
        "<guid>1</guid><description>Текст</description></item>"
        "</channel></rss>"
    )

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=rss.encode(), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/rss", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/rss"
    await runner.cleanup()


async def test_addfeed_refuses_a_private_address(chatbot: ChatBot, local_feed: str) -> None:
    reply = await addfeed(chatbot, ALICE, local_feed)

    assert "Этот адрес не подходит" in reply.text and "внутреннюю сеть" in reply.text
    assert "loopback" not in reply.text
    assert [cf.feed.url for cf in await chatbot.repo.feeds.for_chat(ALICE.id)] == []


@pytest.mark.parametrize("bot_settings", [{"ALLOW_PRIVATE_FEED_HOSTS": True}])
async def test_addfeed_lists_and_deletes_an_allowed_feed(
    chatbot: ChatBot, local_feed: str
) -> None:
    reply = await addfeed(chatbot, ALICE, local_feed)
    assert "Локальная лента" in reply.bold and "1 новость" in reply.text
    assert "уже подключена" in (await chatbot.last(ALICE, f"/addfeed {local_feed}")).text

    listing = await chatbot.last(ALICE, "/feeds")
    assert "Локальная лента (своя)" in listing.text and "ещё не загружалась" in listing.text

    picker = await chatbot.last(ALICE, "/delfeed")
    answer = await chatbot.press_label(ALICE, picker, "Локальная лента")
    assert answer["text"] == "Лента удалена"
    assert await chatbot.repo.feeds.for_chat(ALICE.id) == []


@pytest.mark.parametrize("bot_settings", [{"FEEDS": ["https://lenta.ru/rss/news"]}])
async def test_default_feed_can_be_switched_off_and_on(chatbot: ChatBot) -> None:
    picker = await chatbot.last(ALICE, "/delfeed")
    answer = await chatbot.press_label(ALICE, picker, "Выключить")
    assert answer["text"] == "Лента выключена"
    [cf] = await chatbot.repo.feeds.for_chat(ALICE.id)
    assert not cf.enabled
    assert "выключена" in (await chatbot.last(ALICE, "/feeds")).text

    answer = await chatbot.press_label(ALICE, picker, "Включить")
    assert answer["text"] == "Лента включена"


@pytest.mark.parametrize("bot_settings", [{"MAX_FEEDS_PER_CHAT": 0}])
async def test_addfeed_limit(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/addfeed https://example.com/rss")
    assert "это предел" in reply.text


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://lenta.ru/rss/news", "https://lenta.ru/rss/news"),
        ("<http://example.com/feed?a=1>", "http://example.com/feed?a=1"),
        ("ftp://example.com/rss", None),
        ("javascript:alert(1)", None),
        ("lenta.ru/rss", None),
        ("https://", None),
        ("https://" + "a" * 3000, None),
    ],
)
def test_feed_url_validation(text: str, url: str | None) -> None:
    assert clean_url(text) == url


async def test_addfeed_without_url_and_with_garbage(chatbot: ChatBot) -> None:
    assert "Пришлите адрес" in (await chatbot.last(ALICE, "/addfeed")).text
    assert "нужен http" in (await chatbot.last(ALICE, "/addfeed <b>не адрес</b>")).text


async def test_group_non_admin_is_refused_admin_may_change(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")

    refusal = await chatbot.last(MEMBER, "/sub@alerts_test_bot Лавров", GROUP)
    assert "только её администраторы" in refusal.text
    for command in ("/unsub 1", "/pause", "/addfeed https://example.com/rss", "/delfeed"):
        assert "администраторы" in (await chatbot.last(MEMBER, command, GROUP)).text
    assert await chatbot.repo.subscriptions.for_chat(GROUP.id) == []

    saved = await chatbot.last(ADMIN, "/sub@alerts_test_bot Лавров", GROUP)
    assert saved.bold == ["Лавров"]

    listing = await chatbot.last(MEMBER, "/list", GROUP)  # reading is open to everyone
    assert "1. Лавров" in listing.text
    answer = await chatbot.press_label(MEMBER, listing, "🗑 1", GROUP)
    assert answer["text"] == "Это могут только администраторы группы"
    assert len(await chatbot.repo.subscriptions.for_chat(GROUP.id)) == 1


@pytest.mark.parametrize("stub_options", [{"privacy_mode": True}, {"privacy_mode": False}])
async def test_group_prompt_uses_a_reply_and_plain_text_is_ignored(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "creator")
    before = len(chatbot.stub.messages(GROUP.id))
    chatbot.stub.send_message(GROUP, MEMBER, "просто разговор")  # no offer in groups

    prompt = await chatbot.last(ADMIN, "/sub", GROUP)
    assert len(chatbot.stub.messages(GROUP.id)) == before + 1
    [answer] = await chatbot.say(ADMIN, "Песков", GROUP, reply_to=prompt.message_id)

    assert answer.bold == ["Песков"]
    assert [s.query for s in await chatbot.repo.subscriptions.for_chat(GROUP.id)] == ["Песков"]
