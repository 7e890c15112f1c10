"""A story's later reports reach a chat as silent edits of its one alert, never as new pushes.

The pipeline attaches a later report to the chat's alert (`repo.stories.join`); these tests
check what the worker makes of that against the Bot API stand-in: an edit of the sent message
with a «Также:» line, the source folded in when the alert had not gone out yet, and nothing
pushed when the message cannot be edited.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram import Bot

from bot.delivery import DeliveryWorker
from bot.keyboards import alert_keyboard
from bot.matching import Analyzer
from storage import NewItem, NewSource, Repository
from tests.delivery.delivery_kit import Seeder, make_worker
from tests.support.botapi import BotApiStub

ALICE = 101
TASS_TEXT = (
    "МОСКВА, 2 февраля. /ТАСС/. Москва готова к переговорам о восстановлении прямого "
    "авиасообщения с Вашингтоном, заявил министр иностранных дел России Сергей Лавров."
)


async def _story(seed: Seeder, repo: Repository) -> tuple[int, int]:
    """Alice's alert about an Interfax item, queued; returns (delivery id, item id)."""
    await seed.chat(ALICE)
    item_id = await seed.item()
    await seed.queue(ALICE, item_id, ("Лавров",))
    (delivery,) = await repo.deliveries.due(seed.clock(), 10)
    return delivery.id, item_id


async def _outlet_item(seed: Seeder, outlet: str, title: str) -> int:
    """An item of a default feed titled `outlet` (one feed per outlet)."""
    url = f"http://127.0.0.1/{abs(hash(outlet))}/rss"
    repo, now = seed.repo, seed.clock()
    await repo.feeds.sync_defaults([url], now)
    feed = await repo.feeds.get_by_url(url)
    assert feed is not None
    await repo.feeds.record_success(
        feed.id, title=outlet, etag=None, last_modified=None, now=now, next_fetch_at=now
    )
    guid = f"{outlet}:{title}"
    link = f"https://{abs(hash(guid))}.example/news"
    new = NewItem(guid, link, None, title, TASS_TEXT, now)
    (stored,) = await repo.items.insert_new(feed.id, [new], now)
    return stored.id


async def _join(
    seed: Seeder,
    repo: Repository,
    delivery_id: int,
    title: str,
    queries: tuple[str, ...],
    outlet: str = "ТАСС",
) -> int:
    item_id = await _outlet_item(seed, outlet, title)
    source = NewSource(delivery_id, item_id, tuple(range(10, 10 + len(queries))), queries)
    assert await repo.stories.join([source], seed.clock()) == 1
    return item_id


async def test_a_later_source_edits_the_sent_alert_silently_instead_of_pushing(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    delivery_id, _ = await _story(seed, repo)
    worker = make_worker(bot, repo, analyzer)
    await worker.drain_once()
    (alert,) = stub.messages(ALICE)
    first_text = alert.text
    assert "Также" not in first_text

    await _join(seed, repo, delivery_id, "Лавров: Москва готова к переговорам", ("Лавров",))
    await worker.drain_once()

    assert len(stub.messages(ALICE)) == 1  # no second push
    assert len(stub.calls("sendMessage")) == 1
    (edit,) = stub.calls("editMessageText")
    assert "disable_notification" not in edit.params or edit.params["disable_notification"]
    edited = stub.message(ALICE, alert.message_id)
    assert edited.edits == [first_text]
    head = edited.text.split("\n\n")[0]  # the title, the source line, the other outlets
    assert head.split("\n")[-1] == "Также: ТАСС"
    assert ("ТАСС", "https://") in [(text, url[:8]) for text, url in edited.links]
    delivery = await repo.deliveries.get(delivery_id)
    assert delivery is not None and delivery.edits_done == delivery.edits_wanted == 1


async def test_a_source_that_joins_while_the_alert_is_queued_goes_out_with_it_unedited(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    delivery_id, _ = await _story(seed, repo)
    await _join(seed, repo, delivery_id, "Лавров о переговорах", ("авиасообщение",))

    await make_worker(bot, repo, analyzer, keyboard=alert_keyboard).drain_once()

    (alert,) = stub.messages(ALICE)
    assert "Также: ТАСС" in alert.text
    assert stub.calls("editMessageText") == []
    # Every subscription that fired on any report of the story is shown (the tuning row's
    # menus offer each of them: tests/tuning/test_alert_buttons.py).
    assert "Лавров, авиасообщение" in alert.text
    assert [b["text"] for b in alert.buttons][-1] == "⋯"
    delivery = await repo.deliveries.get(delivery_id)
    assert delivery is not None and delivery.edits_done == 1


async def test_the_also_line_names_a_few_outlets_links_them_and_counts_the_rest(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    delivery_id, _ = await _story(seed, repo)
    outlets = ["ТАСС", "РИА Новости", "ТАСС", "Коммерсантъ", "РБК", "<b>Ведомости</b>"]
    for n, outlet in enumerate(outlets):
        await _join(seed, repo, delivery_id, f"Сообщение {n}", ("Лавров",), outlet=outlet)

    await make_worker(bot, repo, analyzer).drain_once()

    (alert,) = stub.messages(ALICE)
    also = next(line for line in alert.text.split("\n") if line.startswith("Также:"))
    # Each outlet once, in publication order; three by name, the other two counted.
    assert also == "Также: ТАСС, РИА Новости, Коммерсантъ, +2"
    named = [text for text, _ in alert.links if text in outlets]
    assert named == ["ТАСС", "РИА Новости", "Коммерсантъ"]


async def test_an_alert_deleted_by_the_chat_is_not_replaced_by_a_new_push(
    stub: BotApiStub,
    bot: Bot,
    repo: Repository,
    analyzer: Analyzer,
    seed: Seeder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    delivery_id, _ = await _story(seed, repo)
    worker = make_worker(bot, repo, analyzer)
    await worker.drain_once()
    (alert,) = stub.messages(ALICE)
    stub.message(ALICE, alert.message_id).deleted = True

    await _join(seed, repo, delivery_id, "Лавров о переговорах", ("Лавров",))
    with caplog.at_level(logging.WARNING):
        await worker.drain_once()

    assert len(stub.calls("sendMessage")) == 1
    assert len(stub.calls("editMessageText")) == 1  # tried once, not retried
    assert "not updated" in caplog.text
    delivery = await repo.deliveries.get(delivery_id)
    assert delivery is not None and delivery.edits_done == delivery.edits_wanted
    assert await repo.stories.next_edit_at() is None


async def test_an_edit_refused_by_flood_control_waits_and_is_made_later(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    worker, delivery_id = await _sent_then_joined(bot, repo, analyzer, seed)
    stub.fail_next("editMessageText", kind="429", retry_after=3)

    await worker.drain_once()  # the 429: postponed, nothing due now
    assert await repo.stories.next_edit_at() is not None
    await _wait_edits_done(worker, repo, delivery_id)

    assert len(stub.calls("editMessageText")) == 2
    assert len(stub.calls("sendMessage")) == 1
    (alert,) = stub.messages(ALICE)
    assert "Также:" in alert.text


async def test_a_server_error_on_an_edit_is_retried_with_backoff(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    worker, delivery_id = await _sent_then_joined(bot, repo, analyzer, seed)
    stub.fail_next("editMessageText", kind="502")

    await _wait_edits_done(worker, repo, delivery_id)

    assert len(stub.calls("editMessageText")) == 2
    assert "Также:" in stub.messages(ALICE)[0].text


async def test_sources_joining_one_after_another_each_update_the_alert(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    delivery_id, _ = await _story(seed, repo)
    worker = make_worker(bot, repo, analyzer)
    await worker.drain_once()
    for n in range(2):
        await _join(seed, repo, delivery_id, f"Лавров о переговорах {n}", ("Лавров",))
        await worker.drain_once()

    assert len(stub.calls("sendMessage")) == 1
    assert len(stub.calls("editMessageText")) == 2
    delivery = await repo.deliveries.get(delivery_id)
    assert delivery is not None and delivery.edits_done == delivery.edits_wanted == 2


async def _sent_then_joined(
    bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> tuple[DeliveryWorker, int]:
    """Alice's alert sent, then a second outlet's report joined it (an edit is due)."""
    delivery_id, _ = await _story(seed, repo)
    worker = make_worker(bot, repo, analyzer)
    await worker.drain_once()
    await _join(seed, repo, delivery_id, "Лавров о переговорах", ("Лавров",))
    return worker, delivery_id


async def _wait_edits_done(worker: DeliveryWorker, repo: Repository, delivery_id: int) -> None:
    task = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(30):
            while True:
                delivery = await repo.deliveries.get(delivery_id)
                assert delivery is not None
                if delivery.edits_done >= delivery.edits_wanted:
                    break
                await asyncio.sleep(0.05)
    finally:
        await worker.stop()
        await task
