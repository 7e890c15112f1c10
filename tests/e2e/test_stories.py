"""One story, many outlets: one push per chat, then silent edits, across a restart.

Three operator feeds carry the same statement a minute apart (each outlet in its own words);
a chat's own feed carries it too; hours later another party reacts. Seen from the chats: one
push each, the alert edited (never re-sent) as sources join, the reaction pushed on its own,
and the chat's own feed showing up only in that chat's alert.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    FeedServer,
    alerts,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.records import SentMessage

pytestmark = pytest.mark.e2e

ALICE, BOB, CAROL = 801, 802, 803

INTERFAX = (
    "Лавров: Россия готова возобновить прямое авиасообщение с США",
    "Москва. INTERFAX.RU - Россия готова обсуждать возобновление прямого авиасообщения с США, "
    "заявил глава МИД РФ Сергей Лавров на пресс-конференции в Москве по итогам переговоров с "
    "госсекретарём Марко Рубио в Эр-Рияде.",
)
TASS = (
    "Лавров заявил о готовности РФ обсуждать с США возобновление авиасообщения",
    "МОСКВА. /ТАСС/. Россия готова обсуждать с США возобновление прямого авиасообщения, "
    "заявил министр иностранных дел РФ Сергей Лавров на пресс-конференции после переговоров "
    "с Марко Рубио в Эр-Рияде.",
)
RIA = (
    "Москва готова обсудить с Вашингтоном прямое авиасообщение, заявил Лавров",
    "МОСКВА — РИА Новости. Россия готова обсуждать возобновление прямого авиасообщения с "
    "Соединенными Штатами, заявил глава МИД Сергей Лавров на пресс-конференции по итогам "
    "встречи с Рубио в Эр-Рияде.",
)
REACTION = (
    "В Госдепе назвали преждевременным обсуждение авиасообщения с Россией",
    "ВАШИНГТОН. Официальный представитель Государственного департамента Тэмми Брюс на "
    "брифинге назвала преждевременными разговоры о возобновлении полётов между странами до "
    "прекращения огня на Украине, отвечая на вопрос о заявлении Лаврова.",
)


def report(story: tuple[str, str], slug: str, published: datetime) -> str:
    return rss_item(story[0], story[1], f"https://{slug}.example/news/1", published=published)


def also_line(message: SentMessage) -> str:
    return next((line for line in message.text.split("\n") if line.startswith("Также:")), "")


async def test_one_story_from_three_outlets_is_one_push_then_silent_edits_across_a_restart(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    interfax = feeds.add("interfax", lenta_items(4), title="Интерфакс")
    tass = feeds.add("tass", lenta_items(4, start=4), title="ТАСС")
    ria = feeds.add("ria", lenta_items(4, start=8), title="РИА Новости")
    own = feeds.add("own", lenta_items(2, start=12), title="Свой канал")
    bot = make_bot(
        FEEDS=",".join([interfax.url, tass.url, ria.url]),
        ALLOW_PRIVATE_FEED_HOSTS="true",
        STORY_WINDOW_HOURS="24",
    )
    await bot.start(stub)
    await say(stub, ALICE, "/sub Лавров")
    await say(stub, BOB, "/sub авиасообщение")
    await say(stub, CAROL, "/sub Лавров")
    checking = await say(stub, CAROL, f"/addfeed {own.url}")
    await wait_until(lambda: "добавлена" in checking.text, 20, "Carol's feed check", bot)
    await feeds.wait_primed()

    # The statement was made three hours ago; the reaction comes now.
    said = datetime.now(UTC) - timedelta(hours=3)
    interfax.publish(report(INTERFAX, "interfax", said))
    await wait_until(
        lambda: all(alerts(stub, chat) for chat in (ALICE, BOB, CAROL)),
        4 * POLL + 5,
        "the first report's alerts",
        bot,
    )
    first = {chat: alerts(stub, chat)[0] for chat in (ALICE, BOB, CAROL)}
    assert all(also_line(m) == "" for m in first.values())

    tass.publish(report(TASS, "tass", said + timedelta(minutes=1)))
    await wait_until(
        lambda: all(len(m.edits) >= 1 for m in first.values()), 4 * POLL + 5, "edit 1", bot
    )
    assert all(also_line(m) == "Также: ТАСС" for m in first.values())

    # Carol's own feed carries the story too: it joins her alert, and only hers.
    own.publish(report(RIA, "own", said + timedelta(minutes=1, seconds=30)))
    await wait_until(lambda: len(first[CAROL].edits) >= 2, 4 * POLL + 5, "Carol's edit", bot)
    assert also_line(first[CAROL]) == "Также: ТАСС, Свой канал"

    code, _ = await bot.terminate()
    assert code == 0, bot.stderr_tail()
    await bot.start(stub)

    ria.publish(report(RIA, "ria", said + timedelta(minutes=2)))
    await wait_until(
        lambda: len(first[ALICE].edits) >= 2 and len(first[BOB].edits) >= 2,
        4 * POLL + 10,
        "edit 2, after the restart",
        bot,
    )
    assert also_line(first[ALICE]) == also_line(first[BOB]) == "Также: ТАСС, РИА Новости"

    tass.publish(report(REACTION, "reaction", datetime.now(UTC)))
    await wait_until(
        lambda: len(alerts(stub, ALICE)) >= 2, 4 * POLL + 5, "the reaction's alert", bot
    )
    await wait_until(
        lambda: all(len(alerts(stub, chat)) >= 2 for chat in (BOB, CAROL)),
        4 * POLL + 5,
        "the others' reaction alerts",
        bot,
    )
    for chat in (ALICE, BOB, CAROL):
        titles = [m.text.split("\n", 1)[0] for m in alerts(stub, chat)]
        assert titles == [INTERFAX[0], REACTION[0]], titles
    # Nothing was pushed twice: two pushes per chat in all, every update was an edit.
    sends = [c for c in stub.calls("sendMessage") if "🔔" in str(c.params.get("text", ""))]
    assert len(sends) == 6
    code, _ = await bot.terminate()
    assert code == 0
