"""Story grouping in the pipeline: one alert per story per chat; later reports join it.

The grouper runs for real (pymorphy3 analyser, the window primed with a real day of Lenta
news so word rarity means something), over items ingested the way the poller ingests them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.feeds.parser import parse_feed
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.poller import new_items
from bot.stories.live import StoryDesk
from bot.subscriptions import SubscriptionService
from storage import NewItem, Repository, story_key
from tests.conftest import NOW
from tests.pipeline.test_isolation import chat, primed_feed
from tests.support.paths import sample

ALICE, BOB = 1, 2

# One statement, three outlets, a minute apart, each in its own words.
INTERFAX = (
    "Лавров: Россия готова возобновить прямое авиасообщение с США",
    "Москва. 2 февраля. INTERFAX.RU - Россия готова обсуждать возобновление прямого "
    "авиасообщения с США, заявил глава МИД РФ Сергей Лавров на пресс-конференции в Москве "
    "по итогам переговоров с госсекретарём Марко Рубио в Эр-Рияде.",
)
TASS = (
    "Лавров заявил о готовности РФ обсуждать с США возобновление авиасообщения",
    "МОСКВА, 2 февраля. /ТАСС/. Россия готова обсуждать с США возобновление прямого "
    "авиасообщения, заявил министр иностранных дел РФ Сергей Лавров на пресс-конференции "
    "после переговоров с Марко Рубио в Эр-Рияде.",
)
RIA = (
    "Москва готова обсудить с Вашингтоном прямое авиасообщение, заявил Лавров",
    "МОСКВА, 2 фев — РИА Новости. Россия готова обсуждать возобновление прямого "
    "авиасообщения с Соединенными Штатами, заявил глава МИД Сергей Лавров на "
    "пресс-конференции по итогам встречи с Рубио в Эр-Рияде.",
)
# A different happening about the same thing: another party's reaction, hours later.
REACTION = (
    "В Госдепе назвали преждевременным обсуждение авиасообщения с Россией",
    "ВАШИНГТОН, 2 февраля. Официальный представитель Государственного департамента Тэмми "
    "Брюс на брифинге назвала преждевременными разговоры о возобновлении полётов между "
    "странами до прекращения огня на Украине.",
)
DEFAULTS = ["http://127.0.0.1/interfax", "http://127.0.0.1/tass", "http://127.0.0.1/ria"]


def report(guid: str, story: tuple[str, str], minutes: float) -> NewItem:
    title, text = story
    link = f"https://news.example/{guid}"
    return NewItem(guid, link, link, title, text, NOW + timedelta(minutes=minutes))


@pytest.fixture
async def world(
    repo: Repository, analyzer: Analyzer
) -> tuple[Ingestor, SubscriptionService, list[int]]:
    """Three default feeds, a desk primed with a real day of news, Alice on «Лавров»."""
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    desk = StoryDesk(analyzer, window_hours=24)
    desk.mark_ready()
    ingest = Ingestor(repo, subs, stories=desk)
    await repo.feeds.sync_defaults([*DEFAULTS, "http://127.0.0.1/lenta"], NOW)
    feeds = [await primed_feed(repo, url) for url in DEFAULTS]
    lenta = await primed_feed(repo, "http://127.0.0.1/lenta")
    parsed = parse_feed(
        sample("lenta-2021-10-03.xml"),
        url="http://127.0.0.1/lenta",
        content_type=None,
        fetched_at=NOW - timedelta(hours=2),
    )
    background = [
        NewItem(i.guid, i.link, i.canonical_link, i.title, i.text, NOW - timedelta(hours=2))
        for i in new_items(parsed)
    ]
    assert len(background) >= 50
    await ingest.ingest(lenta, background, NOW - timedelta(hours=2), alert=False, trusted=True)
    await chat(repo, subs, ALICE, "Лавров")
    return ingest, subs, feeds


async def _alerts(repo: Repository, chat_id: int) -> list[tuple[str, list[str]]]:
    """(alerted title, titles of the reports that joined it) per alert of the chat."""
    rows = await repo.deliveries.due(NOW + timedelta(days=2), 1000)
    out = []
    for d in rows:
        if d.chat_id != chat_id:
            continue
        item = await repo.items.get(d.item_id)
        assert item is not None
        out.append((item.title, [s.title for s in await repo.stories.sources(d.id)]))
    return out


async def test_three_outlets_reporting_one_statement_make_one_alert_with_two_sources(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, _, (interfax, tass, ria) = world
    results = []
    for minute, (feed, guid, story) in enumerate(
        [(interfax, "if1", INTERFAX), (tass, "ts1", TASS), (ria, "ri1", RIA)]
    ):
        results.append(
            await ingest.ingest(
                feed,
                [report(guid, story, minute)],
                NOW + timedelta(minutes=minute),
                alert=True,
                trusted=True,
            )
        )

    assert [(r.deliveries, r.joined) for r in results] == [(1, 0), (0, 1), (0, 1)]
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [TASS[0], RIA[0]])]


async def test_a_reaction_to_the_story_is_its_own_alert(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, subs, (interfax, tass, _) = world
    await subs.subscribe(ALICE, "авиасообщение", NOW)
    await ingest.ingest(interfax, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True)
    later = NOW + timedelta(hours=3)
    await ingest.ingest(tass, [report("ts9", REACTION, 180)], later, alert=True, trusted=True)

    assert [title for title, _ in await _alerts(repo, ALICE)] == [INTERFAX[0], REACTION[0]]


async def test_a_later_report_matching_another_subscription_joins_with_that_subscription(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, subs, (interfax, tass, _) = world
    outcome = await subs.subscribe(ALICE, "Рубио", NOW)
    assert outcome.subscription is not None
    only_lavrov = (INTERFAX[0], INTERFAX[1].replace(" с госсекретарём Марко Рубио", ""))
    await ingest.ingest(interfax, [report("if1", only_lavrov, 0)], NOW, alert=True, trusted=True)
    await ingest.ingest(tass, [report("ts1", TASS, 1)], NOW, alert=True, trusted=True)

    rows = await repo.deliveries.due(NOW + timedelta(days=1), 10)
    (alert,) = rows
    assert alert.matched_queries == ("Лавров",)
    (source,) = await repo.stories.sources(alert.id)
    assert set(source.matched_queries) == {"Лавров", "Рубио"}


async def test_a_chat_that_turned_grouping_off_gets_every_report(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, subs, (interfax, tass, _) = world
    await chat(repo, subs, BOB, "Лавров")
    await repo.chats.set_group_stories(BOB, False, NOW)
    await ingest.ingest(interfax, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True)
    await ingest.ingest(tass, [report("ts1", TASS, 1)], NOW, alert=True, trusted=True)

    assert await _alerts(repo, BOB) == [(INTERFAX[0], []), (TASS[0], [])]
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [TASS[0]])]


async def test_two_reports_of_one_story_in_one_poll_make_one_alert(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, _, (interfax, _, _) = world
    # Newest first, as feeds list them: the older report is still the one alerted.
    batch = [report("if2", TASS, 5), report("if1", INTERFAX, 0)]
    result = await ingest.ingest(interfax, batch, NOW, alert=True, trusted=True)

    assert (result.deliveries, result.joined) == (1, 1)
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [TASS[0]])]


async def test_a_chats_own_feed_joins_stories_only_for_its_readers_and_shapes_none(
    repo: Repository,
    analyzer: Analyzer,
    world: tuple[Ingestor, SubscriptionService, list[int]],
) -> None:
    ingest, subs, (interfax, tass, _) = world
    await chat(repo, subs, BOB, "Лавров")
    own = await primed_feed(repo, "https://own.example/rss", owner=BOB)
    first = await ingest.ingest(
        interfax, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True
    )
    # Bob's own feed carries the story too: for Bob it joins his alert ...
    own_report = await ingest.ingest(own, [report("own1", RIA, 1)], NOW, alert=True, trusted=False)
    assert own_report.new_items[0].story == first.new_items[0].story
    # ... and it never becomes part of the story others' reports are compared with.
    shaping = await repo.items.shaping_stories_since(NOW - timedelta(hours=1), limit=100)
    assert RIA[0] not in [i.title for i in shaping]
    await ingest.ingest(tass, [report("ts1", TASS, 2)], NOW, alert=True, trusted=True)

    assert await _alerts(repo, BOB) == [(INTERFAX[0], [RIA[0], TASS[0]])]
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [TASS[0]])]


async def test_a_user_feed_publishing_first_cannot_pull_operator_reports_into_its_story(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, subs, (interfax, _, _) = world
    await chat(repo, subs, BOB, "Лавров")
    own = await primed_feed(repo, "https://own.example/rss", owner=BOB)
    own_report = await ingest.ingest(own, [report("own1", RIA, 0)], NOW, alert=True, trusted=False)
    operator = await ingest.ingest(
        interfax, [report("if1", INTERFAX, 1)], NOW, alert=True, trusted=True
    )

    # Alice never reads Bob's feed: her alert is the operator's report, a story of its own.
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [])]
    assert operator.new_items[0].story != own_report.new_items[0].story


async def test_after_a_restart_a_late_report_joins_the_alert_sent_before(
    repo: Repository,
    analyzer: Analyzer,
    world: tuple[Ingestor, SubscriptionService, list[int]],
) -> None:
    ingest, subs, (interfax, tass, ria) = world
    await ingest.ingest(interfax, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True)
    await ingest.ingest(tass, [report("ts1", TASS, 1)], NOW, alert=True, trusted=True)

    restarted = StoryDesk(analyzer, window_hours=24)
    later = NOW + timedelta(minutes=30)
    assert await restarted.restore(repo, later) >= 2
    again = Ingestor(repo, subs, stories=restarted)
    result = await again.ingest(ria, [report("ri1", RIA, 30)], later, alert=True, trusted=True)

    assert (result.deliveries, result.joined) == (0, 1)
    assert await _alerts(repo, ALICE) == [(INTERFAX[0], [TASS[0], RIA[0]])]


# One happening told three ways; in this window the second report shares too few words with the
# first to join it, and the third fits both (tests/data/stories/synthetic-items.jsonl, s033-s035).
LAW_PASSED = (
    "Госдума приняла закон о запрете пропаганды отказа от деторождения",
    "Депутаты Госдумы приняли в третьем чтении закон о запрете пропаганды отказа от рождения "
    "детей, за документ проголосовали 408 депутатов.",
)
LAW_RETOLD = (
    "Пропаганду чайлдфри запретят в России",
    "Государственная Дума одобрила законопроект в окончательном чтении. Штрафы для граждан "
    "составят до 400 тыс. рублей.",
)
LAW_BOTH = (
    "Закон о запрете пропаганды чайлдфри принят в третьем чтении",
    "Госдума приняла закон, запрещающий пропаганду идеологии отказа от деторождения в "
    "интернете, СМИ, рекламе и фильмах.",
)


async def test_a_report_that_fits_two_stories_merges_them_and_pushes_nothing(
    repo: Repository, world: tuple[Ingestor, SubscriptionService, list[int]]
) -> None:
    ingest, subs, (interfax, tass, ria) = world
    await subs.subscribe(ALICE, "пропаганда", NOW)
    pushed, stored = [], []
    for minute, (feed, guid, story) in enumerate(
        [(interfax, "law1", LAW_PASSED), (tass, "law2", LAW_RETOLD), (ria, "law3", LAW_BOTH)]
    ):
        when = NOW + timedelta(minutes=2 * minute)
        result = await ingest.ingest(
            feed, [report(guid, story, 2 * minute)], when, alert=True, trusted=True
        )
        pushed.append((result.deliveries, result.joined))
        stored += [i.id for i in result.new_items]

    # Two alerts went out before anything said the first two were one story; the third
    # report pushes nothing and joins the newest of them.
    assert pushed == [(1, 0), (1, 0), (0, 1)]
    assert await _alerts(repo, ALICE) == [
        (LAW_PASSED[0], []),
        (LAW_RETOLD[0], [LAW_BOTH[0]]),
    ]
    # From now on it is one story: its three items carry the first report's key.
    items = [await repo.items.get(item_id) for item_id in stored]
    assert [i.story for i in items if i is not None] == [story_key(interfax, "law1")] * 3


async def test_a_merge_whose_batch_failed_to_store_is_stored_when_the_batch_is_retried(
    repo: Repository,
    world: tuple[Ingestor, SubscriptionService, list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest, subs, (interfax, tass, ria) = world
    await subs.subscribe(ALICE, "пропаганда", NOW)
    for feed, guid, story, minutes in [
        (interfax, "law1", LAW_PASSED, 0),
        (tass, "law2", LAW_RETOLD, 2),
    ]:
        done = await ingest.ingest(
            feed, [report(guid, story, minutes)], NOW, alert=True, trusted=True
        )
    (retold,) = done.new_items
    assert retold.story == story_key(tass, "law2")

    async def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as broken:
        broken.setattr(repo.items, "insert_new", disk_full)
        with pytest.raises(OSError):
            await ingest.ingest(ria, [report("law3", LAW_BOTH, 4)], NOW, alert=True, trusted=True)
    # The grouper has counted the report in already; the next poll brings it again.
    result = await ingest.ingest(ria, [report("law3", LAW_BOTH, 4)], NOW, alert=True, trusted=True)

    assert (result.deliveries, result.joined) == (0, 1)
    stored = await repo.items.get(retold.id)
    assert stored is not None and stored.story == story_key(interfax, "law1")
