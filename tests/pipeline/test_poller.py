"""The poller end to end over local HTTP: feeds → items → matches → pending deliveries."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bot.poller import PollOutcome
from storage import Repository
from tests.conftest import NOW
from tests.pipeline.conftest import Rig, dated_feed

NEW_ITEM = """<item>
  <guid>https://lenta.ru/news/2022/12/03/lavrov_new/</guid>
  <title>Лавров ответил на вопросы журналистов</title>
  <link>https://lenta.ru/news/2022/12/03/lavrov_new/</link>
  <description><![CDATA[Министр иностранных дел России Сергей Лавров провёл пресс-конференцию.
  Речь шла о возобновлении прямого авиасообщения.]]></description>
  <pubDate>Sat, 03 Dec 2022 20:10:00 +0300</pubDate>
</item>
"""


def with_item(body: bytes, item: str = NEW_ITEM) -> bytes:
    text = body.decode("utf-8")
    head, sep, tail = text.partition("<item>")
    return (head + item + sep + tail).encode("utf-8")


async def subscribe(rig: Rig, chat_id: int, *queries: str) -> None:
    await rig.repo.chats.upsert(
        chat_id, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )
    for q in queries:
        outcome = await rig.subscriptions.subscribe(chat_id, q, NOW)
        assert outcome.subscription is not None, outcome


async def pending(repo: Repository) -> list[tuple[int, tuple[str, ...]]]:
    rows = await repo.deliveries.due(NOW + timedelta(days=1), 1000)
    return [(d.chat_id, d.matched_queries) for d in rows]


async def test_the_first_fetch_records_the_backlog_without_alerting(rig: Rig) -> None:
    await subscribe(rig, 1, "Фридман")  # the first Lenta item is about him

    outcome = await rig.poll()

    feed = await rig.feed()
    # 200 entries, two of them repeated in the real snapshot (gosdep, dollar): 198 stories.
    assert outcome == PollOutcome(feed.id, new_items=198, deliveries=0)
    assert feed.primed and feed.title == "Lenta.ru : Новости"
    assert await pending(rig.repo) == []


async def test_a_second_fetch_with_one_new_item_alerts_each_matching_chat_once(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров", "авиасообщение")
    await subscribe(rig, 2, '"прямое авиасообщение"')
    await subscribe(rig, 3, "рак", "кит")
    await rig.poll()

    rig.site.body = with_item(rig.site.body)
    rig.clock.advance(120)
    outcome = await rig.poll()

    assert isinstance(outcome, PollOutcome)
    assert (outcome.new_items, outcome.deliveries) == (1, 2)
    assert sorted(await pending(rig.repo)) == [
        (1, ("Лавров", "авиасообщение")),
        (2, ('"прямое авиасообщение"',)),
    ]


async def test_replaying_the_same_snapshot_finds_nothing_new(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров")
    rig.site.body = with_item(rig.site.body)
    await rig.poll()
    rig.site.body = rig.site.body + b"\n"  # a new ETag, the same items

    outcome = await rig.poll()

    assert isinstance(outcome, PollOutcome)
    assert (outcome.new_items, outcome.deliveries, outcome.not_modified) == (0, 0, False)


async def test_a_changed_guid_with_the_same_link_is_the_same_item(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров")
    rig.site.body = with_item(rig.site.body)
    await rig.poll()
    moved = NEW_ITEM.replace(
        "<guid>https://lenta.ru/news/2022/12/03/lavrov_new/</guid>", "<guid>urn:lenta:42</guid>"
    ).replace(
        "<link>https://lenta.ru/news/2022/12/03/lavrov_new/</link>",
        "<link>https://lenta.ru/news/2022/12/03/lavrov_new/?utm_source=rss&amp;utm_medium=x</link>",
    )
    rig.site.body = with_item(rig.site.body.replace(NEW_ITEM.encode(), b""), moved)

    outcome = await rig.poll()

    assert isinstance(outcome, PollOutcome)
    assert (outcome.new_items, outcome.deliveries) == (0, 0)


async def test_the_same_story_in_two_feeds_alerts_once(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров")
    await rig.poll()
    other = await rig.repo.feeds.add_for_chat(1, rig.site.url + "?copy=1", None, NOW)
    await rig.repo.feeds.record_success(
        other.id, title=None, etag=None, last_modified=None, now=NOW, next_fetch_at=NOW
    )  # primed: its next fetch may alert
    rig.site.body = with_item(rig.site.body)

    first = await rig.poll()
    second = await rig.poller.poll_feed((await rig.repo.feeds.get(other.id)) or other)

    assert isinstance(first, PollOutcome) and isinstance(second, PollOutcome)
    assert (first.deliveries, second.deliveries) == (1, 0)


async def test_a_subscription_made_after_an_item_was_seen_never_fires_on_it(rig: Rig) -> None:
    rig.site.body = with_item(rig.site.body)
    await rig.poll()
    await subscribe(rig, 1, "Лавров")
    rig.site.body = rig.site.body + b" "

    outcome = await rig.poll()

    assert isinstance(outcome, PollOutcome) and outcome.deliveries == 0


async def test_an_unchanged_feed_costs_a_304_round_trip_with_the_stored_etag(rig: Rig) -> None:
    await rig.poll()
    etag = (await rig.feed()).etag

    outcome = await rig.poll()

    assert etag == rig.site.etag()
    assert rig.site.requests[-1].get("If-None-Match") == etag
    assert isinstance(outcome, PollOutcome) and outcome.not_modified


async def test_failures_back_off_show_in_the_status_and_recover_by_themselves(rig: Rig) -> None:
    rig.site.body = dated_feed([NOW - timedelta(minutes=m) for m in range(1, 21)])  # busy
    await rig.poll()
    rig.site.status = 500
    delays = []
    for _ in range(4):
        outcome = await rig.poll()
        assert isinstance(outcome, PollOutcome) and outcome.error is not None
        feed = await rig.feed()
        delays.append((feed.next_fetch_at - rig.clock()).total_seconds())
    failing = await rig.feed()

    rig.site.status = 200
    await rig.poll()
    healthy = await rig.feed()

    assert failing.consecutive_failures == 4 and "500" in (failing.last_error or "")
    assert delays == sorted(delays) and delays[-1] > 4 * delays[0]
    assert max(delays) <= 3600 * 1.1
    assert (healthy.consecutive_failures, healthy.last_error) == (0, None)
    assert (healthy.next_fetch_at - rig.clock()).total_seconds() < delays[0]


async def test_retry_after_on_503_is_honoured(rig: Rig) -> None:
    rig.site.status = 503
    rig.site.headers = {"Retry-After": "1800"}

    await rig.poll()

    feed = await rig.feed()
    assert (feed.next_fetch_at - rig.clock()).total_seconds() >= 1800


async def test_garbage_instead_of_a_feed_is_a_recorded_failure_not_a_crash(rig: Rig) -> None:
    rig.site.body = b"<html><body><h1>Welcome</h1><p>Not a feed</p></body></html>"
    rig.site.content_type = "text/html"

    outcome = await rig.poll()

    feed = await rig.feed()
    assert isinstance(outcome, PollOutcome) and outcome.error
    assert feed.consecutive_failures == 1 and feed.last_error
    assert not feed.primed


async def test_a_user_feed_on_a_private_address_is_refused_at_poll_time(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров")
    await rig.repo.feeds.sync_defaults([], NOW)
    own = await rig.repo.feeds.add_for_chat(1, rig.site.url, None, NOW)

    outcome = await rig.poller.poll_feed(own)

    assert isinstance(outcome, PollOutcome) and outcome.error
    assert "127.0.0.1" in outcome.error or "loopback" in outcome.error
    assert rig.site.requests == []


async def test_poll_due_fetches_every_due_feed_once(rig: Rig) -> None:
    tasks = await rig.poller.poll_due()
    again = await rig.poller.poll_due()  # still in flight or rescheduled: not started twice
    outcomes = [await t for t in tasks]

    assert len(tasks) == 1 and again == []
    assert isinstance(outcomes[0], PollOutcome) and outcomes[0].new_items == 198
    assert await rig.poller.poll_due() == []  # rescheduled ~120 s ahead


async def test_paused_subscriptions_and_paused_chats_do_not_fire(rig: Rig) -> None:
    await subscribe(rig, 1, "Лавров")
    await subscribe(rig, 2, "Лавров")
    await subscribe(rig, 3, "авиасообщение")
    (sub1,) = await rig.repo.subscriptions.for_chat(1)
    await rig.subscriptions.set_paused(1, sub1.id, True)
    await rig.repo.chats.set_paused(2, True, NOW)
    await rig.poll()
    rig.site.body = with_item(rig.site.body)

    await rig.poll()

    assert await pending(rig.repo) == [(3, ("авиасообщение",))]


async def test_parsing_never_uses_the_default_executor_that_dns_lookups_need(rig: Rig) -> None:
    loop = asyncio.get_running_loop()
    submitted: list[str] = []

    class Recording(ThreadPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            submitted.append(repr(fn))
            return super().submit(fn, *args, **kwargs)

    loop.set_default_executor(Recording(max_workers=1))

    outcome = await rig.poll()

    assert isinstance(outcome, PollOutcome) and outcome.new_items == 198
    assert not [call for call in submitted if "parse_feed" in call]
