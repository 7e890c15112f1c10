"""The tuning row under a real alert, pressed in a chat: what each button shows and changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import TuneAction, TuneCb
from bot.keyboards import alert_keyboard
from storage import NewSource, Subscription
from tests.chat.conftest import ALICE, BOB, ChatBot, bot_settings, chatbot, stub_options
from tests.tuning.kit import TITLE, labels, send_alert, store_item

__all__ = ["bot_settings", "chatbot", "stub_options"]

ROW = ["❓ Почему", "🚫 Слово", "🔕 Сюжет", "⋯"]


async def subscribe(chatbot: ChatBot, *queries: str) -> list[Subscription]:
    await chatbot.last(ALICE, "/sub " + ", ".join(queries))
    return await chatbot.repo.subscriptions.for_chat(ALICE.id)


def matches(chatbot: ChatBot, text: str) -> list[int]:
    doc = chatbot.services.analyzer.document(text)
    return [h.subscription_id for h in chatbot.services.subscription_service.match(doc)]


async def test_an_alert_of_three_subscriptions_keeps_one_row_of_four_buttons(
    chatbot: ChatBot,
) -> None:
    subs = await subscribe(chatbot, "Лавров", "трамплин", "Сочи")
    alert = await send_alert(chatbot, ALICE.id, subs, await store_item(chatbot))

    assert labels(alert) == [ROW]
    assert all(len(d.encode()) <= 64 for d in alert.callback_data)


async def test_an_alert_without_a_story_has_no_story_button(chatbot: ChatBot) -> None:
    subs = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, subs, await store_item(chatbot, story=None))

    assert labels(alert) == [["❓ Почему", "🚫 Слово", "⋯"]]


def test_the_alert_row_in_english() -> None:
    markup = alert_keyboard(7, "en", True)

    assert [[b.text for b in row] for row in markup.inline_keyboard] == [
        ["❓ Why", "🚫 Word", "🔕 Story", "⋯"]
    ]


@pytest.mark.parametrize("action", list(TuneAction))
def test_every_tuning_payload_fits_telegrams_64_bytes_at_the_largest_ids(
    action: TuneAction,
) -> None:
    biggest = TuneCb(action=action, alert=2**63 - 1, sub=2**63 - 1, ref=2**32 - 1).pack()

    assert len(biggest.encode()) <= 64
    assert TuneCb.unpack(biggest).sub == 2**63 - 1


async def test_why_answers_with_the_forms_found_and_how_the_query_reads(
    chatbot: ChatBot,
) -> None:
    subs = await subscribe(chatbot, "Лавров", '"лыжный трамплин"')
    item = await store_item(chatbot, text="Сергея Лаврова спросили о новом лыжном трамплине.")
    alert = await send_alert(chatbot, ALICE.id, subs, item)
    before = len(chatbot.stub.messages(ALICE.id))

    await chatbot.press_label(ALICE, alert, "Почему")
    why = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[before].text

    assert "Почему пришло это оповещение" in why
    assert "Лавров — в заголовке: «Лавров», «Лаврова»" in why
    assert '"лыжный трамплин" — в заголовке: «лыжного трамплина», «лыжном трамплине»' in why
    assert "имя или название, любые формы" in why  # how «Лавров» is read, as /sub says
    assert "фраза: слова подряд" in why


async def test_exclude_offers_the_items_distinctive_words_and_one_tap_adds_one(
    chatbot: ChatBot,
) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    before = len(chatbot.stub.messages(ALICE.id))

    answer = await chatbot.press_label(ALICE, alert, "Слово")
    offered = [b["text"] for b in alert.buttons if b["text"].startswith("-")]
    assert answer["text"] == "Нажмите слово — оно станет исключением в «Лавров»"
    assert 4 <= len(offered) <= 6 and "-трамплин" in offered
    assert not any("Лавров" in w for w in offered)

    answer = await chatbot.press_label(ALICE, alert, "-трамплин")
    said = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[before]

    assert answer["text"] == "Исключено: -трамплин"
    assert "добавлено исключение -трамплин" in said.text and "Лавров -трамплин" in said.text
    stored = await chatbot.repo.subscriptions.get(sub.id)
    assert stored is not None and stored.query == "Лавров -трамплин"
    assert matches(chatbot, "Лавров осмотрел трамплин") == []
    assert matches(chatbot, "Лавров прибыл в Анкару") == [sub.id]
    assert labels(alert) == [ROW]  # back to the alert's own row


async def test_with_several_subscriptions_exclude_first_asks_which_one(chatbot: ChatBot) -> None:
    subs = await subscribe(chatbot, "Лавров", "Сочи")
    alert = await send_alert(chatbot, ALICE.id, subs, await store_item(chatbot))

    answer = await chatbot.press_label(ALICE, alert, "Слово")
    assert answer["text"] == "Из какой подписки исключить слово?"
    assert labels(alert) == [["🚫 Из «Лавров»"], ["🚫 Из «Сочи»"], ["← Назад"]]

    await chatbot.press_label(ALICE, alert, "Из «Сочи»")
    offered = [b["text"] for b in alert.buttons if b["text"].startswith("-")]
    assert "-Лавров" in offered and not any("Сочи" in w for w in offered)

    await chatbot.press_label(ALICE, alert, "Назад")
    assert labels(alert)[0] == ["🚫 Из «Лавров»"]
    await chatbot.press_label(ALICE, alert, "Назад")
    assert labels(alert) == [ROW]


async def test_an_exclusion_past_the_query_limits_is_refused_clearly(chatbot: ChatBot) -> None:
    long = "Лавров " + " ".join(f"слово{n}" for n in range(11))
    [sub] = await subscribe(chatbot, long)
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    before = len(chatbot.stub.messages(ALICE.id))

    await chatbot.press_label(ALICE, alert, "Слово")
    answer = await chatbot.press_label(ALICE, alert, "-трамплин")
    said = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[before]

    assert answer["text"] == "Исключение не добавлено"
    assert "не добавлено" in said.text and "а можно не больше 12" in said.text
    stored = await chatbot.repo.subscriptions.get(sub.id)
    assert stored is not None and stored.query == long


async def test_more_snoozes_for_an_hour_shown_in_list_and_resume_ends_it(
    chatbot: ChatBot,
) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    before = len(chatbot.stub.messages(ALICE.id))

    await chatbot.press_label(ALICE, alert, "⋯")
    assert labels(alert) == [
        ["⏰ На 1 час", "⏰ До утра"],
        ["Похожие", "🗑 Отписаться"],
        ["← Назад"],
    ]
    answer = await chatbot.press_label(ALICE, alert, "На 1 час")
    said = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[before]

    until = (datetime.now(UTC) + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Moscow"))
    assert answer["text"] == "Подписка отложена"
    assert "отложена до" in said.text
    assert matches(chatbot, "Лавров прибыл в Анкару") == []
    listing = await chatbot.last(ALICE, "/list")
    assert "1. Лавров — ⏰ до " in listing.text
    assert until.strftime("%H:") in listing.text

    answer = await chatbot.press_label(ALICE, listing, "▶️ 1.")
    assert answer["text"] == "Подписка снова работает"
    assert matches(chatbot, "Лавров прибыл в Анкару") == [sub.id]
    assert "⏰" not in listing.text


async def test_till_morning_snoozes_until_eight_on_the_chats_clock(chatbot: ChatBot) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))

    await chatbot.press_label(ALICE, alert, "⋯")
    await chatbot.press_label(ALICE, alert, "До утра")

    stored = await chatbot.repo.subscriptions.get(sub.id)
    assert stored is not None and stored.snoozed_until is not None
    local = stored.snoozed_until.astimezone(ZoneInfo("Europe/Moscow"))
    assert (local.hour, local.minute) == (8, 0)
    assert stored.snoozed_until - datetime.now(UTC) <= timedelta(hours=24)


async def test_with_several_subscriptions_more_lists_them_then_one_ones_actions(
    chatbot: ChatBot,
) -> None:
    subs = await subscribe(chatbot, "Лавров", "Сочи")
    alert = await send_alert(chatbot, ALICE.id, subs, await store_item(chatbot))

    await chatbot.press_label(ALICE, alert, "⋯")
    assert labels(alert) == [["Лавров ›"], ["Сочи ›"], ["← Назад"]]
    await chatbot.press_label(ALICE, alert, "Сочи ›")
    answer = await chatbot.press_label(ALICE, alert, "Отписаться")

    assert answer["text"] == "Подписка удалена"
    assert [s.query for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)] == ["Лавров"]
    await chatbot.press_label(ALICE, alert, "Назад")  # one subscription left: its actions
    assert labels(alert)[0] == ["⏰ На 1 час", "⏰ До утра"]
    await chatbot.press_label(ALICE, alert, "Назад")
    assert labels(alert) == [ROW]


async def test_mute_hides_the_story_and_the_button_then_shows_it_again(chatbot: ChatBot) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    item = await store_item(chatbot, story="1:lyzhi")
    alert = await send_alert(chatbot, ALICE.id, [sub], item)
    now = datetime.now(UTC)

    answer = await chatbot.press_label(ALICE, alert, "🔕 Сюжет")

    assert answer["text"] == "Сюжет скрыт: его продолжения сюда не придут"
    assert await chatbot.repo.tuning.muted("1:lyzhi", [ALICE.id], now) == {ALICE.id}
    assert labels(alert) == [["❓ Почему", "🚫 Слово", "🔔 Сюжет", "⋯"]]

    answer = await chatbot.press_label(ALICE, alert, "🔔 Сюжет")
    assert answer["text"] == "Сюжет снова показывается"
    assert await chatbot.repo.tuning.muted("1:lyzhi", [ALICE.id], now) == set()
    assert labels(alert) == [ROW]


async def test_buttons_of_a_deleted_subscription_answer_politely(chatbot: ChatBot) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    await chatbot.press_label(ALICE, alert, "⋯")
    snooze = alert.button("На 1 час")["callback_data"]
    await chatbot.last(ALICE, "/unsub 1")

    assert (await chatbot.press(ALICE, alert, snooze))["text"] == "Эта подписка уже удалена"
    await chatbot.press_label(ALICE, alert, "Назад")
    for label in ("Почему", "Слово", "⋯"):
        assert (await chatbot.press_label(ALICE, alert, label))["text"] == (
            "Эта подписка уже удалена"
        )


async def test_buttons_of_an_alert_whose_item_is_gone_answer_politely(chatbot: ChatBot) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    await chatbot.repo.items.prune(datetime.now(UTC) + timedelta(days=1))

    for label in ("Почему", "Слово", "Сюжет", "⋯"):
        answer = await chatbot.press_label(ALICE, alert, label)
        assert answer["text"] == "Это оповещение устарело"


async def test_a_button_pointing_at_another_chats_alert_acts_on_nothing(
    chatbot: ChatBot,
) -> None:
    await chatbot.last(BOB, "/sub Лавров")
    [bobs] = await chatbot.repo.subscriptions.for_chat(BOB.id)
    bob_alert = await send_alert(chatbot, BOB.id, [bobs], await store_item(chatbot))
    forged = bob_alert.button("Story")["callback_data"]
    await chatbot.last(ALICE, "/start")
    before = len(chatbot.stub.messages(ALICE.id))
    await chatbot.bot.send_message(
        ALICE.id,
        "<b>Лавров</b>",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="x", callback_data=forged)]]
        ),
    )
    message = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[before]

    answer = await chatbot.press(ALICE, message, forged)

    assert answer["text"] == "Это оповещение устарело"
    assert (
        await chatbot.repo.tuning.muted("1:story", [ALICE.id, BOB.id], datetime.now(UTC)) == set()
    )


async def test_a_tuning_payload_the_message_does_not_show_is_stale(chatbot: ChatBot) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    alert = await send_alert(chatbot, ALICE.id, [sub], await store_item(chatbot))
    data = alert.button("Сюжет")["callback_data"]
    hidden = TuneCb.unpack(data).model_copy(update={"action": TuneAction.UNMUTE}).pack()

    answer = await chatbot.press(ALICE, alert, hidden)

    assert answer["text"] == "Эта кнопка устарела"
    assert TITLE  # the alert is untouched
    assert labels(alert) == [ROW]


async def test_more_offers_the_subscriptions_that_fired_on_later_reports_too(
    chatbot: ChatBot,
) -> None:
    lavrov, sochi = await subscribe(chatbot, "Лавров", "Сочи")
    alert = await send_alert(chatbot, ALICE.id, [lavrov], await store_item(chatbot))
    delivery_id = TuneCb.unpack(alert.button("⋯")["callback_data"]).alert
    later = await store_item(chatbot, title="В Сочи открыли трамплин", text="Подробности.")
    source = NewSource(delivery_id, later.id, (sochi.id,), (sochi.query,))
    await chatbot.repo.stories.join([source], datetime.now(UTC))

    await chatbot.press_label(ALICE, alert, "⋯")

    assert labels(alert) == [["Лавров ›"], ["Сочи ›"], ["← Назад"]]


async def test_a_snooze_choice_no_release_offered_is_stale_and_changes_nothing(
    chatbot: ChatBot,
) -> None:
    [sub] = await subscribe(chatbot, "Лавров")
    item = await store_item(chatbot)
    alert = await send_alert(chatbot, ALICE.id, [sub], item)
    delivery = TuneCb.unpack(alert.button("⋯")["callback_data"]).alert
    odd = TuneCb(action=TuneAction.SNOOZE, alert=delivery, sub=sub.id, ref=7).pack()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="z", callback_data=odd)]]
    )
    await chatbot.bot.edit_message_reply_markup(
        chat_id=ALICE.id, message_id=alert.message_id, reply_markup=markup
    )

    assert (await chatbot.press(ALICE, alert, odd))["text"] == "Эта кнопка устарела"
    stored = await chatbot.repo.subscriptions.get(sub.id)
    assert stored is not None and stored.snoozed_until is None
