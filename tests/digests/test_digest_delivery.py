"""Held alerts reach the chat as one digest at their moment, exactly once, whatever Telegram
answers in between; an urgent subscription is never held."""

from __future__ import annotations

import re

from aiogram import Bot

from bot.digests.timing import release_if_due
from bot.matching import Analyzer
from storage import DeliverySchedule, DeliveryStatus, DigestStatus, NewSource, Repository
from tests.digests.digest_kit import CHAT, Desk, moscow, worker
from tests.support.botapi import BotApiStub
from tests.support.clock import FakeClock

NIGHT = (23 * 60, 8 * 60)


def titles(text: str) -> list[str]:
    return re.findall(r"Новость \w+", text)


async def test_quiet_hours_hold_three_alerts_for_one_digest_while_an_urgent_one_breaks_through(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 23, 30))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_quiet_hours(CHAT, NIGHT, clock())
    lavrov = await desk.sub("Лавров")
    urgent = await desk.sub("землетрясение", urgent=True)
    for name in ("один", "два", "три"):
        await desk.alert(f"Новость {name}", lavrov)
        clock.advance(minutes=20)
    await desk.alert("Новость срочная", urgent)
    bot_worker = worker(bot, repo, analyzer, clock)

    await bot_worker.drain_once()
    (pushed,) = stub.messages(CHAT)
    assert "Новость срочная" in pushed.text

    clock.advance(hours=3)  # 03:30: still quiet
    await bot_worker.drain_once()
    assert len(stub.messages(CHAT)) == 1

    clock.now = moscow(2026, 5, 2, 8, 0)
    await bot_worker.drain_once()
    await bot_worker.drain_once()
    assert len(stub.messages(CHAT)) == 2
    digest = stub.messages(CHAT)[1]
    assert titles(digest.text) == ["Новость три", "Новость два", "Новость один"]
    assert "тихие часы: 3 сюжета" in digest.text
    (made,) = await repo.digests.for_chat(CHAT)
    assert made.status is DigestStatus.SENT


async def test_an_hourly_digest_groups_stories_by_subscription_newest_first(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 14, 5))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_schedule(CHAT, DeliverySchedule.HOURLY, clock())
    lavrov, oil = await desk.sub("Лавров"), await desk.sub("нефть")
    await desk.alert("Новость A1", lavrov)
    clock.advance(minutes=5)
    await desk.alert("Новость N1", oil)
    clock.advance(minutes=5)
    await desk.alert("Новость A2", lavrov)
    clock.advance(minutes=5)
    await desk.alert("Новость N2", oil)
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()
    assert stub.messages(CHAT) == []

    clock.now = moscow(2026, 5, 1, 15, 0)
    await bot_worker.drain_once()
    (digest,) = stub.messages(CHAT)
    assert titles(digest.text) == ["Новость N2", "Новость N1", "Новость A2", "Новость A1"]
    assert digest.text.index("нефть") < digest.text.index("Новость N2")
    assert digest.text.index("Новость N1") < digest.text.index("Лавров")
    assert "Дайджест: 4 сюжета" in digest.text
    assert 'href="https://news.example/4"' in digest.source


async def test_a_digest_refused_with_5xx_and_429_is_retried_and_sent_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 14, 5))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_schedule(CHAT, DeliverySchedule.HOURLY, clock())
    lavrov = await desk.sub("Лавров")
    await desk.alert("Новость один", lavrov)
    await desk.alert("Новость два", lavrov)
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()

    clock.now = moscow(2026, 5, 1, 15, 0)
    stub.fail_next("sendMessage", 1, "500")
    stub.fail_next("sendMessage", 1, "429", retry_after=3)
    stub.fail_next("sendMessage", 1, "502")
    for _ in range(3):
        await bot_worker.drain_once()
        assert stub.messages(CHAT) == []
        clock.advance(seconds=30)
    await bot_worker.drain_once()
    clock.advance(seconds=30)
    await bot_worker.drain_once()

    (digest,) = stub.messages(CHAT)
    assert titles(digest.text) == ["Новость два", "Новость один"]
    assert len(stub.calls("sendMessage")) == 4
    (made,) = await repo.digests.for_chat(CHAT)
    assert made.status is DigestStatus.SENT
    assert made.attempts == 2  # the 429 was waited out, not counted
    sent = await repo.deliveries.sent_to_chat(CHAT, offset=0, limit=10)
    assert {d.status for d in sent} == {DeliveryStatus.SENT}
    assert {d.message_id for d in sent} == {digest.message_id}


async def test_a_held_alert_whose_story_gained_sources_shows_them_in_its_digest_line(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 23, 30))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_quiet_hours(CHAT, NIGHT, clock())
    lavrov = await desk.sub("Лавров")
    await desk.alert("Новость один", lavrov)
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()
    assert await repo.deliveries.due(clock(), 10) == []  # held, off the alert queue
    (digest_row,) = await repo.digests.for_chat(CHAT)
    (held,) = await repo.digests.entries(digest_row.id)
    for outlet in ("ТАСС", "РИА Новости"):
        item_id = await desk.item(f"Новость {outlet}", outlet)
        source = NewSource(held.delivery_id, item_id, (lavrov.id,), ("Лавров",))
        await repo.stories.join([source], clock())

    clock.now = moscow(2026, 5, 2, 8, 0)
    await bot_worker.drain_once()
    await bot_worker.drain_once()
    (digest,) = stub.messages(CHAT)
    assert "3 источника" in digest.text
    assert stub.calls("editMessageText") == []
    late = await desk.item("Новость поздняя", "Коммерсант")
    await repo.stories.join(
        [NewSource(held.delivery_id, late, (lavrov.id,), ("Лавров",))], clock()
    )
    await bot_worker.drain_once()
    assert stub.calls("editMessageText") == []
    assert len(stub.messages(CHAT)) == 1


async def test_a_digest_too_long_for_one_message_is_split_and_each_story_goes_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 14, 5))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_schedule(CHAT, DeliverySchedule.HOURLY, clock())
    lavrov = await desk.sub("Лавров")
    for n in range(60):
        await desk.alert(f"Новость x{n} " + "длинный заголовок " * 8, lavrov)
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()
    clock.now = moscow(2026, 5, 1, 15, 0)
    stub.fail_next("sendMessage", 1, "500")  # the first part fails once, then goes
    for _ in range(6):
        await bot_worker.drain_once()
        clock.advance(seconds=30)

    parts = stub.messages(CHAT)
    assert len(parts) >= 2
    shown = [t for p in parts for t in titles(p.text)]
    assert sorted(shown) == sorted(f"Новость x{n}" for n in range(60))
    assert "продолжение" in parts[1].text


async def test_turning_quiet_hours_off_sends_what_they_held_at_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 23, 30))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_quiet_hours(CHAT, NIGHT, clock())
    await desk.alert("Новость один", await desk.sub("Лавров"))
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()
    assert stub.messages(CHAT) == []

    await repo.chats.set_quiet_hours(CHAT, None, clock())
    assert await release_if_due(repo, CHAT, clock(), "Europe/Moscow") == 1
    await bot_worker.drain_once()
    (digest,) = stub.messages(CHAT)
    assert titles(digest.text) == ["Новость один"]


async def test_a_chat_paused_or_gone_by_digest_time_gets_nothing_late(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock(moscow(2026, 5, 1, 23, 30))
    desk = Desk(repo, clock)
    await desk.chat()
    await repo.chats.set_quiet_hours(CHAT, NIGHT, clock())
    await desk.alert("Новость один", await desk.sub("Лавров"))
    bot_worker = worker(bot, repo, analyzer, clock)
    await bot_worker.drain_once()
    await repo.chats.set_paused(CHAT, True, clock())

    clock.now = moscow(2026, 5, 2, 8, 0)
    await bot_worker.drain_once()
    await repo.chats.set_paused(CHAT, False, clock())
    await bot_worker.drain_once()
    assert stub.messages(CHAT) == []
    (made,) = await repo.digests.for_chat(CHAT)
    assert (made.status, made.error) == (DigestStatus.CANCELLED, "paused")
