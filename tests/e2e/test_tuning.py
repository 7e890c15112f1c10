"""Tuning from the alert, end to end: each button changes what the next item does.

Alice tunes her «Лавров» from its alerts; Bob, on the same query, tunes nothing and shows what
the same items do untouched (so each «nothing came» is about Alice's tuning, not a slow poll).
«Почему?» answers with the forms found; «-трамплин» stops the next trampoline item but not the
next other one; a muted story gets no alert and no edit from a later outlet, while an unrelated
item alerts; «Отложить» silences the subscription for SNOOZE_MINUTES (15 s here), after which
it alerts again.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    FeedServer,
    alerts,
    alerts_about,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.records import SentMessage

pytestmark = pytest.mark.e2e

ALICE, BOB = 851, 852
SNOOZE_SECONDS = 15

TRAMPOLINE = (
    "Лавров открыл лыжный трамплин в Сочи",
    "Глава МИД Сергей Лавров открыл новый лыжный трамплин на горном курорте в Сочи.",
)
TRAMPOLINE_AGAIN = (
    "Лавров осмотрел трамплин после ремонта",
    "Сергей Лавров побывал на трамплине, где закончили ремонт.",
)
ANKARA = (
    "Лавров: Россия готова возобновить прямое авиасообщение с США",
    "Москва. INTERFAX.RU - Россия готова обсуждать возобновление прямого авиасообщения с США, "
    "заявил глава МИД РФ Сергей Лавров на пресс-конференции в Москве по итогам переговоров с "
    "госсекретарём Марко Рубио в Эр-Рияде.",
)
ANKARA_LATER = (
    "Лавров заявил о готовности РФ обсуждать с США возобновление авиасообщения",
    "МОСКВА. /ТАСС/. Россия готова обсуждать с США возобновление прямого авиасообщения, "
    "заявил министр иностранных дел РФ Сергей Лавров на пресс-конференции после переговоров "
    "с Марко Рубио в Эр-Рияде.",
)
BEIJING = (
    "Лавров встретился с Ван И в Пекине",
    "Министры обсудили подготовку визита и торговлю, сообщили в китайском МИД.",
)
SNOOZED = (
    "Лавров прокомментировал выборы в Молдавии",
    "Министр ответил на вопросы о голосовании в Кишинёве.",
)
AWAKE = (
    "Лавров поздравил дипломатов с профессиональным праздником",
    "Министр выступил с обращением к сотрудникам ведомства.",
)

_count = 0


def item(story: tuple[str, str], slug: str = "wire") -> str:
    global _count
    _count += 1
    link = f"https://{slug}.example/news/{_count}"
    return rss_item(story[0], story[1], link, published=datetime.now(UTC))


async def press(stub: BotApiStub, chat: int, message: SentMessage, label: str) -> str:
    """Alice presses the button labelled `label` under `message`; returns the toast."""
    data = message.button(label)["callback_data"]
    query_id = stub.press_button(chat, chat, message.message_id, data)
    await wait_until(lambda: query_id in stub.callback_answers, 10, f"an answer to {label!r}")
    return str(stub.callback_answers[query_id].get("text", ""))


async def reply_after(stub: BotApiStub, chat: int, count: int) -> SentMessage:
    await wait_until(lambda: len(stub.messages(chat)) > count, 10, "a reply")
    return stub.messages(chat)[count]


async def alert_for(stub: BotApiStub, chat: int, story: tuple[str, str]) -> SentMessage:
    await wait_until(
        lambda: alerts_about(stub, chat, story[0]), 3 * POLL + 5, f"the alert «{story[0]}»"
    )
    return alerts_about(stub, chat, story[0])[0]


def edits(stub: BotApiStub, chat: int) -> int:
    return sum(1 for c in stub.calls("editMessageText") if c.params.get("chat_id") == chat)


async def test_each_tuning_button_changes_what_the_next_item_does(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    wire = feeds.add("wire", lenta_items(4), title="Интерфакс")
    agency = feeds.add("agency", lenta_items(4, start=4), title="ТАСС")
    bot = make_bot(
        FEEDS=f"{wire.url},{agency.url}",
        STORY_WINDOW_HOURS="24",
        SNOOZE_MINUTES=str(SNOOZE_SECONDS / 60),
    )
    await bot.start(stub)
    await say(stub, ALICE, "/sub Лавров")
    await say(stub, BOB, "/sub Лавров")
    await feeds.wait_primed()

    # «Почему?»: the forms found, and how the query reads.
    wire.publish(item(TRAMPOLINE))
    alert = await alert_for(stub, ALICE, TRAMPOLINE)
    await alert_for(stub, BOB, TRAMPOLINE)
    seen = len(stub.messages(ALICE))
    await press(stub, ALICE, alert, "Почему")
    why = (await reply_after(stub, ALICE, seen)).text
    assert "Лавров — в заголовке: «Лавров»" in why and "«Лавров»" in why
    assert "имя или название, любые формы" in why

    # «Исключить слово»: the next trampoline item does not alert Alice; another one does.
    await press(stub, ALICE, alert, "Слово")
    seen = len(stub.messages(ALICE))
    assert await press(stub, ALICE, alert, "-трамплин") == "Исключено: -трамплин"
    assert "Лавров -трамплин" in (await reply_after(stub, ALICE, seen)).text
    wire.publish(item(TRAMPOLINE_AGAIN), item(ANKARA))
    ankara = await alert_for(stub, ALICE, ANKARA)
    await alert_for(stub, BOB, TRAMPOLINE_AGAIN)
    assert alerts_about(stub, ALICE, TRAMPOLINE_AGAIN[0]) == []

    # «Не показывать этот сюжет»: a later outlet's report neither alerts nor edits Alice's alert
    # (it does join Bob's: it is the same story); an unrelated item alerts her.
    assert await press(stub, ALICE, ankara, "Сюжет") == (
        "Сюжет скрыт: его продолжения сюда не придут"
    )
    alice_edits, bob_edits = edits(stub, ALICE), edits(stub, BOB)
    agency.publish(item(ANKARA_LATER, "agency"))
    await wait_until(lambda: edits(stub, BOB) > bob_edits, 3 * POLL + 5, "Bob's alert edited")
    wire.publish(item(BEIJING))
    await alert_for(stub, ALICE, BEIJING)
    assert edits(stub, ALICE) == alice_edits
    assert alerts_about(stub, ALICE, ANKARA_LATER[0]) == []
    assert "ТАСС" not in ankara.text

    # «Отложить»: nothing while snoozed, alerts again after.
    beijing = alerts_about(stub, ALICE, BEIJING[0])[0]
    await press(stub, ALICE, beijing, "⋯")
    assert await press(stub, ALICE, beijing, f"На {SNOOZE_SECONDS} секунд") == "Подписка отложена"
    snoozed_at = time.monotonic()
    wire.publish(item(SNOOZED))
    await alert_for(stub, BOB, SNOOZED)
    assert alerts_about(stub, ALICE, SNOOZED[0]) == []
    await asyncio.sleep(max(0.0, snoozed_at + SNOOZE_SECONDS + 0.5 - time.monotonic()))
    wire.publish(item(AWAKE))
    await alert_for(stub, ALICE, AWAKE)
    assert alerts_about(stub, ALICE, SNOOZED[0]) == []  # skipped while snoozed, not held
    assert [a.text.split("\n")[0] for a in alerts(stub, ALICE)] == [
        TRAMPOLINE[0],
        ANKARA[0],
        BEIJING[0],
        AWAKE[0],
    ]
    code, _ = await bot.terminate()
    assert code == 0
