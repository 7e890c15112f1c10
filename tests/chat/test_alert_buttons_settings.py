"""Alert buttons: one row whatever fired it; time zones by city and offset, or typed;
labels and lists that show exactly what they act on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.callbacks import TuneAction
from bot.delivery.compose import compose
from bot.i18n import texts
from bot.keyboards import alert_keyboard
from bot.matching import Analyzer
from bot.tuning.keyboards import subscriptions_menu
from storage import Chat, Delivery, DeliveryStatus, Item
from tests.chat.conftest import ALICE, BOB, ChatBot

NOW = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)
QUERIES = ("Лавров", "Рубио", "авиасообщение", '"прямое авиасообщение"')


def labels(markup: object) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]  # type: ignore[attr-defined]


def test_every_alert_gets_one_row_of_tuning_buttons_whatever_fired_it() -> None:
    item = Item(
        1,
        1,
        "g",
        "https://www.interfax.ru/russia/1",
        "Лавров и Рубио",
        "Лавров и Рубио обсудили возобновление прямого авиасообщения.",
        NOW,
        NOW,
        "Интерфакс",
        story="1:g",
    )
    delivery = Delivery(
        7,
        ALICE.id,
        1,
        (11, 12, 13, 14),
        QUERIES,
        DeliveryStatus("pending"),
        0,
        NOW,
        NOW,
        None,
        None,
        None,
    )
    chat = Chat(
        ALICE.id, "private", None, "ru", "Europe/Moscow", "instant", True, False, None, NOW
    )

    composed = compose(delivery, item, chat, Analyzer(), keyboard=alert_keyboard)

    assert composed.keyboard is not None
    assert labels(composed.keyboard) == [["❓ Почему", "🚫 Слово", "🔕 Сюжет", "⋯"]]
    data = [b.callback_data for row in composed.keyboard.inline_keyboard for b in row]
    assert data == ["t1:w:7:0:0", "t1:x:7:0:0", "t1:h:7:0:0", "t1:m:7:0:0"]


def test_a_hundred_and_fifty_fired_subscriptions_stay_within_a_hundred_buttons() -> None:
    subs = [(n, f"запрос{n}") for n in range(1, 151)]
    markup = subscriptions_menu(7, subs, TuneAction.MORE, texts("ru"))
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert len(buttons) == 100
    assert buttons[-1].text == "← Назад"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("Asia/Almaty", "Asia/Almaty", "Алматы (UTC+5)"),
        ("asia/tokyo", "Asia/Tokyo", "Asia/Tokyo (UTC+9)"),
        (
            "America/Argentina/Buenos_Aires",
            "America/Argentina/Buenos_Aires",
            "America/Argentina/Buenos_Aires (UTC−3)",
        ),
        ("Москва", "Europe/Moscow", "Москва (UTC+3)"),
        ("Novosibirsk", "Asia/Novosibirsk", "Новосибирск (UTC+7)"),
        ("UTC+5", "Etc/GMT-5", "UTC+5"),
        ("gmt-3", "Etc/GMT+3", "UTC−3"),
        ("+14", "Etc/GMT-14", "UTC+14"),
        ("UTC", "UTC", "UTC+0"),
    ],
)
async def test_any_time_zone_can_be_typed(
    chatbot: ChatBot, typed: str, stored: str, shown: str
) -> None:
    reply = await chatbot.last(ALICE, f"/timezone {typed}")

    assert f"Часовой пояс: {shown}" in reply.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.timezone == stored
    panel = await chatbot.last(ALICE, "/settings")
    assert f"Часовой пояс: {shown}" in panel.text


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus", "UTC+5:30", "UTC+15", "GMT-13", "Europe", "<b>x</b>", "Factory"]
)
async def test_a_time_zone_that_is_nonsense_gets_a_clear_error_and_changes_nothing(
    chatbot: ChatBot, typed: str
) -> None:
    reply = await chatbot.last(ALICE, f"/timezone {typed}")

    assert f"Не знаю часового пояса «{typed}»" in reply.text
    assert "/timezone Asia/Almaty" in reply.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.timezone == "Europe/Moscow"


async def test_timezone_without_a_zone_shows_the_list_in_english_too(chatbot: ChatBot) -> None:
    reply = await chatbot.last(BOB, "/timezone")
    assert "/timezone Asia/Almaty" in reply.text
    assert reply.button("✓ Moscow (UTC+3)") and reply.button("Kaliningrad (UTC+2)")


HOSTILE = "Лав\u202eров \u200bПес\x01ков\u2066 \ufeffРубио"


async def test_control_and_bidi_characters_never_reach_lists_labels_or_echoes(
    chatbot: ChatBot,
) -> None:
    echo = await chatbot.last(ALICE, f"/sub {HOSTILE}")
    listing = await chatbot.last(ALICE, "/list")
    picker = await chatbot.last(ALICE, "/unsub")
    offer = await chatbot.last(ALICE, f"Шой\u202eгу\x01 {HOSTILE}")

    shown = [echo.text, listing.text, picker.text, offer.text]
    shown += [b["text"] for m in (listing, picker, offer) for b in m.buttons]
    for text in shown:
        assert not any(ch in text for ch in "\u202e\u200b\x01\u2066\ufeff"), repr(text)
    assert "1. Лавров Песков Рубио" in listing.text
    assert [s.query for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)] == [
        "Лавров Песков Рубио"
    ]
    assert offer.button("Подписаться на «Шойгу Лавров")
