"""Forum topics, by the whole bot: a subscription made in a topic alerts into that topic only,
and a topic deleted later sends its alerts to General with one note, nothing lost."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    FeedServer,
    alerts,
    lenta_items,
    rss_item,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.updates import Chat, User

pytestmark = pytest.mark.e2e

DESK = User(821, "Выпускающий", "desk", "ru")
FORUM = Chat.forum(-1008210001, "Редакция")
BELL = "🔔"


def item(title: str, n: int) -> str:
    return rss_item(title, f"{title}. Подробности номер {n}.", f"https://wire.example/t{n}")


async def in_topic(stub: BotApiStub, text: str, thread: int) -> None:
    before = len(stub.topic_messages(FORUM.id, thread))
    stub.send_message(FORUM, DESK, text, thread_id=thread)
    replied = lambda: len(stub.topic_messages(FORUM.id, thread)) > before  # noqa: E731
    await wait_until(replied, 10, f"a reply to {text!r} in topic {thread}")


def topic_alerts(stub: BotApiStub, thread: int | None) -> list[str]:
    return [m.text for m in stub.topic_messages(FORUM.id, thread) if BELL in m.text]


async def test_a_topics_subscription_alerts_into_that_topic_only_and_falls_back_to_general(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    bot = make_bot(FEEDS=feed.url)
    await bot.start(stub)
    stub.add_chat(FORUM)
    stub.set_member_status(FORUM.id, DESK.id, "administrator")
    politics = stub.create_topic(FORUM, "Политика")
    economy = stub.create_topic(FORUM, "Экономика")
    await in_topic(stub, "/sub Лавров", politics)
    await in_topic(stub, "/sub нефть", economy)
    await feeds.wait_primed()

    feed.publish(item("Лавров прилетел в Анкару на переговоры", 1))
    got = lambda: topic_alerts(stub, politics)  # noqa: E731
    await wait_until(got, 3 * POLL + 5, "the alert in its topic", bot)
    assert ["Анкару" in t for t in topic_alerts(stub, politics)] == [True]
    assert topic_alerts(stub, economy) == [] and stub.topic_messages(FORUM.id, None) == []

    stub.delete_topic(FORUM.id, politics)
    feed.publish(item("Лавров покинул Анкару после переговоров", 2))
    feed.publish(item("Лавров вернулся в Москву из Анкары", 3))
    two = lambda: len(topic_alerts(stub, None)) >= 2  # noqa: E731
    await wait_until(two, 4 * POLL + 5, "both alerts in General", bot)
    general = stub.topic_messages(FORUM.id, None)
    notes = [m.text for m in general if BELL not in m.text]
    assert len(notes) == 1 and "Политика" in notes[0]
    assert sorted("Москву" in t for t in topic_alerts(stub, None)) == [False, True]
    assert len(alerts(stub, FORUM.id)) == 3  # nothing lost, nothing twice
