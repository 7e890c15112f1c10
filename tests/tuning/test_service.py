"""Subscriptions tuned from an alert: a snooze is honoured where a pause is, and ends on time;
an exclusion is saved and re-indexed at once, within the query language's limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.matching import Analyzer, Document
from bot.subscriptions import Refusal, SubscriptionService
from storage import Repository
from tests.conftest import NOW
from tests.support.clock import FakeClock

CHAT = 1


@pytest.fixture
async def service(repo: Repository, analyzer: Analyzer) -> SubscriptionService:
    await repo.chats.upsert(
        CHAT, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )
    return SubscriptionService(repo, analyzer, max_per_chat=50, clock=CLOCK)


CLOCK = FakeClock(NOW)


@pytest.fixture(autouse=True)
def _clock_at_start() -> None:
    CLOCK.now = NOW


def doc(analyzer: Analyzer, text: str) -> Document:
    return analyzer.document(text)


async def test_a_snoozed_subscription_matches_nothing_until_its_moment_then_matches_again(
    service: SubscriptionService, analyzer: Analyzer
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    assert sub is not None

    snoozed = await service.snooze(CHAT, sub.id, NOW + timedelta(hours=1))

    assert snoozed is not None and snoozed.snoozed_until == NOW + timedelta(hours=1)
    assert service.match(doc(analyzer, "Сергей Лавров прибыл")) == []
    assert not service.holds(sub.id)
    CLOCK.advance(minutes=59)
    assert service.match(doc(analyzer, "Сергей Лавров прибыл")) == []
    CLOCK.advance(minutes=1)
    assert [h.subscription_id for h in service.match(doc(analyzer, "Лавров прибыл"))] == [sub.id]
    assert service.holds(sub.id)


async def test_a_snooze_survives_a_restart(
    service: SubscriptionService, repo: Repository, analyzer: Analyzer
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    assert sub is not None
    await service.snooze(CHAT, sub.id, NOW + timedelta(hours=1))

    restarted = SubscriptionService(repo, analyzer, max_per_chat=50, clock=CLOCK)
    await restarted.load()

    assert restarted.match(doc(analyzer, "Лавров прибыл")) == []
    CLOCK.advance(hours=1)
    assert len(restarted.match(doc(analyzer, "Лавров прибыл"))) == 1


async def test_resuming_ends_a_snooze_at_once(
    service: SubscriptionService, repo: Repository, analyzer: Analyzer
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    assert sub is not None
    await service.snooze(CHAT, sub.id, NOW + timedelta(hours=1))

    resumed = await service.set_paused(CHAT, sub.id, False)

    assert resumed is not None and resumed.snoozed_until is None
    assert len(service.match(doc(analyzer, "Лавров прибыл"))) == 1


async def test_another_chats_subscription_cannot_be_snoozed_or_edited(
    service: SubscriptionService,
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    assert sub is not None

    assert await service.snooze(2, sub.id, NOW + timedelta(hours=1)) is None
    assert await service.exclude(2, sub.id, "трамплин") is None
    assert await service.exclude(CHAT, 999, "трамплин") is None


async def test_an_exclusion_is_saved_and_the_next_item_with_the_word_no_longer_matches(
    service: SubscriptionService, repo: Repository, analyzer: Analyzer
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров OR Песков", NOW)).subscription
    assert sub is not None

    outcome = await service.exclude(CHAT, sub.id, "трамплин")

    assert outcome is not None and outcome.refusal is None
    stored = await repo.subscriptions.get(sub.id)
    assert stored is not None and stored.query == "Лавров -трамплин OR Песков -трамплин"
    assert service.match(doc(analyzer, "Лавров осмотрел трамплины")) == []
    assert service.match(doc(analyzer, "Песков о трамплине")) == []
    assert len(service.match(doc(analyzer, "Лавров прибыл в Анкару"))) == 1


async def test_an_exclusion_keeps_a_running_snooze(
    service: SubscriptionService, analyzer: Analyzer
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    assert sub is not None
    await service.snooze(CHAT, sub.id, NOW + timedelta(hours=1))

    await service.exclude(CHAT, sub.id, "трамплин")

    assert service.match(doc(analyzer, "Лавров прибыл")) == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (" ".join(f"слово{n}" for n in range(12)), "too_many_terms"),
        ("Лавров OR " + " ".join(f"слово{n}" for n in range(10)), "too_many_terms"),
        ("Лавров " + "о" * 240, "too_long"),
    ],
)
async def test_an_exclusion_past_the_query_limits_is_refused_and_changes_nothing(
    service: SubscriptionService, repo: Repository, analyzer: Analyzer, query: str, code: str
) -> None:
    sub = (await service.subscribe(CHAT, query, NOW)).subscription
    assert sub is not None

    outcome = await service.exclude(CHAT, sub.id, "трамплин")

    assert outcome is not None and outcome.refusal is Refusal.INVALID
    assert outcome.error is not None and outcome.error.code == code
    stored = await repo.subscriptions.get(sub.id)
    assert stored is not None and stored.query == query


async def test_an_exclusion_that_makes_another_subscription_of_the_chat_is_refused(
    service: SubscriptionService, repo: Repository
) -> None:
    sub = (await service.subscribe(CHAT, "Лавров", NOW)).subscription
    await service.subscribe(CHAT, "Лавров -трамплин", NOW)
    assert sub is not None

    outcome = await service.exclude(CHAT, sub.id, "трамплин")

    assert outcome is not None and outcome.refusal is Refusal.DUPLICATE
    assert [s.query for s in await repo.subscriptions.for_chat(CHAT)] == [
        "Лавров",
        "Лавров -трамплин",
    ]
