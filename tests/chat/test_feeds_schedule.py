"""/feeds says how often each feed is checked and why; /stats how many requests an hour go out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import texts
from bot.views.feeds import poll_note
from storage import ChatFeed, Feed
from storage.models import PollSchedule
from tests.chat.conftest import ALICE, OPERATOR, ChatBot

BUSY, QUIET = "https://busy.example/rss", "https://quiet.example/rss"


async def polled(chatbot: ChatBot, url: str, interval: float, reason: str) -> None:
    feed = await chatbot.repo.feeds.get_by_url(url)
    assert feed is not None
    now = datetime.now(UTC)
    await chatbot.repo.feeds.record_success(
        feed.id,
        title=url.split("/")[2],
        etag=None,
        last_modified=None,
        now=now,
        next_fetch_at=now + timedelta(seconds=interval),
        schedule=PollSchedule(interval=interval, reason=reason),
    )


@pytest.mark.parametrize("bot_settings", [{"FEEDS": [BUSY, QUIET]}])
async def test_feeds_shows_each_feed_s_interval_and_how_it_was_chosen(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/start")
    await polled(chatbot, BUSY, 15, "min")
    await polled(chatbot, QUIET, 1800, "max")

    listing = (await chatbot.last(ALICE, "/feeds")).text

    busy, quiet = listing.index("busy.example"), listing.index("quiet.example")
    assert "раз в 15 секунд: публикует много" in listing[busy:quiet]
    assert "раз в 30 минут: публикует редко" in listing[quiet:]


@pytest.mark.parametrize("bot_settings", [{"FEEDS": [BUSY]}])
async def test_stats_shows_the_requests_made_in_the_last_hour(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/start")
    for _ in range(3):
        await polled(chatbot, BUSY, 15, "min")

    assert "Запросов к лентам за час: 3" in (await chatbot.last(OPERATOR, "/stats")).text


def _feed(schedule: PollSchedule | None) -> ChatFeed:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    feed = Feed(
        1, BUSY, "Busy", True, None, None, None, True, now, now, now, 0, None, schedule=schedule
    )
    return ChatFeed(feed, own=False, enabled=True)


@pytest.mark.parametrize(
    ("lang", "interval", "reason", "shown"),
    [
        ("ru", 121, "learnt", "раз в 2 минуты: по тому, как часто она публикует"),
        ("ru", 21, "min", "раз в 21 секунду"),
        ("ru", 7200, "backoff", "раз в 2 часа: после ошибок ждём дольше"),
        ("ru", 120, "no_history", "раз в 2 минуты: истории пока мало"),
        ("ru", 600, "ttl", "раз в 10 минут: так часто, как просит сама лента"),
        ("en", 60, "fixed", "checked every 60 seconds: fixed interval"),
        ("en", 60, "min", "every 60 seconds: publishes a lot"),
        ("en", 3600, "max", "every 60 minutes: publishes rarely"),
    ],
)
def test_the_interval_reads_in_the_chat_s_language_with_plural_forms(
    lang: str, interval: float, reason: str, shown: str
) -> None:
    note = poll_note(_feed(PollSchedule(interval=interval, reason=reason)), texts(lang))

    assert note is not None and shown in note


def test_a_feed_never_polled_says_nothing_about_its_interval() -> None:
    assert poll_note(_feed(None), texts("ru")) is None
