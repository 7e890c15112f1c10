"""OPML and subscription lists round-trip through the real bot process.

A chat with feeds of its own exports them, a second chat sends that very file back and ends
with the same feeds (each checked as /addfeed checks it); the same for a subscription list
with a paused subscription; a hostile file is refused and changes nothing.
"""

from __future__ import annotations

import pytest

from bot.opml import parse_opml
from bot.sublist import read_list
from tests.e2e.conftest import BotFactory, FeedServer, lenta_items, say, wait_until
from tests.support.botapi import BotApiStub
from tests.support.documents import SentDocument

pytestmark = pytest.mark.e2e

SOURCE = 801  # has its own feeds and subscriptions, exports them
TARGET = 802  # imports what SOURCE exported

BOMB = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<opml><body><outline text="&c;" xmlUrl="http://127.0.0.1:9/rss"/></body></opml>"""


async def export(stub: BotApiStub, chat_id: int, command: str) -> SentDocument:
    before = len(stub.documents(chat_id))
    stub.send_message(chat_id, chat_id, command)
    documents = await stub.wait_documents(chat_id, before + 1, timeout=10)
    return documents[-1]


async def upload(
    stub: BotApiStub, chat_id: int, name: str, data: bytes, replies: int
) -> list[str]:
    before = len(stub.messages(chat_id))
    stub.send_document(chat_id, chat_id, name, data)
    await wait_until(lambda: len(stub.messages(chat_id)) >= before + replies, 30, name)
    return [m.text for m in stub.messages(chat_id)[before:]]


async def test_feeds_and_subscriptions_round_trip_between_chats(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    default = feeds.add("default", lenta_items(2))
    own = [feeds.add(name, lenta_items(2), title=f"Лента {name} & «co»") for name in "abc"]
    bot = make_bot(FEEDS=default.url, ALLOW_PRIVATE_FEED_HOSTS="true")
    await bot.start(stub)

    for feed in own:
        checking = await say(stub, SOURCE, f"/addfeed {feed.url}")
        await wait_until(lambda c=checking: "добавлена" in c.text, 20, "the feed check", bot)
    listed = await say(stub, SOURCE, '/import\nЛавров\n⏸ Песков\n"прямое авиасообщение"')
    assert listed.text.startswith("📥 Подписки из списка: добавлены 3"), listed.text

    opml = await export(stub, SOURCE, "/export")
    exported = parse_opml(opml.data).feeds
    assert sorted(f.url for f in exported) == sorted(f.url for f in own)
    assert {f.title for f in exported} == {f"Лента {n} & «co»" for n in "abc"}

    checking, summary = await upload(stub, TARGET, opml.file_name, opml.data, replies=2)
    assert checking.startswith("⏳ Проверяю 3 ленты"), checking
    assert summary.startswith("📥 Ленты из файла: добавлены 3, 0 уже были"), summary
    again = parse_opml((await export(stub, TARGET, "/export")).data).feeds
    assert sorted(f.url for f in again) == sorted(f.url for f in exported)

    subs = await export(stub, SOURCE, "/export subs")
    [reply] = await upload(stub, TARGET, subs.file_name, subs.data, replies=1)
    assert "1 из них на паузе" in reply, reply
    mirrored = await export(stub, TARGET, "/export subs")
    assert read_list(mirrored.data.decode()) == read_list(subs.data.decode())
    assert [line.paused for line in read_list(subs.data.decode())] == [False, True, False]

    [refused] = await upload(stub, TARGET, "bomb.opml", BOMB, replies=1)
    assert "объявления XML" in refused
    after = parse_opml((await export(stub, TARGET, "/export")).data).feeds
    assert after == again
    assert bot.running()
