"""/list with its buttons, /unsub, stale buttons, alert buttons, /pause, /resume, /settings."""

from __future__ import annotations

import pytest

from bot.commands import register_commands
from bot.i18n import texts
from bot.keyboards import alert_keyboard
from bot.tuning.keyboards import subscription_menu
from tests.chat.conftest import ALICE, OPERATOR, ChatBot


async def subs(chatbot: ChatBot) -> list[tuple[str, bool]]:
    return [(s.query, s.paused) for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)]


async def test_list_buttons_pause_resume_and_delete(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров, Песков")
    listing = await chatbot.last(ALICE, "/list")
    assert "1. Лавров" in listing.text and "2. Песков" in listing.text

    answer = await chatbot.press_label(ALICE, listing, "⏸ 1.")
    assert answer["text"] == "Подписка на паузе"
    assert await subs(chatbot) == [("Лавров", True), ("Песков", False)]
    assert "1. Лавров — на паузе" in listing.text  # the list was redrawn in place
    doc = chatbot.services.analyzer.document("Сергей Лавров")
    assert chatbot.services.subscription_service.match(doc) == []  # paused: no alerts

    answer = await chatbot.press_label(ALICE, listing, "▶️ 1.")
    assert answer["text"] == "Подписка снова работает"
    assert await subs(chatbot) == [("Лавров", False), ("Песков", False)]

    answer = await chatbot.press_label(ALICE, listing, "🗑 2")
    assert answer["text"] == "Подписка удалена"
    assert await subs(chatbot) == [("Лавров", False)]
    assert "Песков" not in listing.text


async def test_stale_button_is_answered_politely(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    listing = await chatbot.last(ALICE, "/list")
    delete = listing.button("🗑 1")["callback_data"]
    await chatbot.last(ALICE, "/unsub 1")

    answer = await chatbot.press(ALICE, listing, delete)

    assert answer["text"] == "Эта подписка уже удалена"
    assert "Подписок пока нет" in listing.text


@pytest.mark.parametrize("data", ["s0:d:1", "garbage", "s1:zz:1", "r1:d:notanumber"])
async def test_unknown_or_malformed_buttons_are_answered(chatbot: ChatBot, data: str) -> None:
    start = await chatbot.last(ALICE, "/start")

    answer = await chatbot.press(ALICE, start, data)

    assert answer["text"] == "Эта кнопка устарела"


async def test_unsub_by_number_and_by_text(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, '/sub Лавров, Песков, "прямое авиасообщение"')

    reply = await chatbot.last(ALICE, "/unsub 2")
    assert reply.bold == ["Песков"]
    reply = await chatbot.last(ALICE, '/unsub "Прямое   авиасообщение"')
    assert reply.bold == ['"прямое авиасообщение"']
    assert await subs(chatbot) == [("Лавров", False)]

    assert "номером 5 нет" in (await chatbot.last(ALICE, "/unsub 5")).text
    assert "Подписки «Рубио» нет" in (await chatbot.last(ALICE, "/unsub Рубио")).text


async def test_unsub_without_arguments_offers_buttons(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров, Песков")
    picker = await chatbot.last(ALICE, "/unsub")

    answer = await chatbot.press_label(ALICE, picker, "Песков")

    assert answer["text"] == "Подписка удалена"
    assert await subs(chatbot) == [("Лавров", False)]
    assert [b["text"] for b in picker.buttons] == ["🗑 1. Лавров"]


async def test_alert_buttons_unsubscribe_and_show_similar(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    [sub] = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    await chatbot.seed_items(["Сергей Лавров прибыл в Анкару", "Погода в Москве"])
    before = len(chatbot.stub.messages(ALICE.id))
    await chatbot.bot.send_message(
        ALICE.id,
        "<b>Сергей Лавров прибыл в Анкару</b>",  # with its «⋯» menu open on the subscription
        reply_markup=subscription_menu(1, sub.id, texts("ru"), hour_label="1", back_to_list=False),
    )
    alert = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[-1]
    assert [b["text"] for b in alert.buttons][2:4] == ["Похожие", "🗑 Отписаться"]

    await chatbot.press_label(ALICE, alert, "Похожие")
    similar = (await chatbot.stub.wait_messages(ALICE.id, before + 2))[-1]
    assert similar.text.startswith("🔎 Лавров")
    assert "Анкару" in similar.text and "Погода" not in similar.text

    answer = await chatbot.press_label(ALICE, alert, "Отписаться")
    assert answer["text"] == "Подписка удалена"
    assert await subs(chatbot) == []

    answer = await chatbot.press_label(ALICE, alert, "Похожие")
    assert answer["text"] == "Эта подписка уже удалена"
    answer = await chatbot.press_label(ALICE, alert, "Отписаться")
    assert answer["text"] == "Эта подписка уже удалена"


async def test_alert_keyboard_in_english() -> None:
    tr = texts("en")
    menu = subscription_menu(2**63 - 1, 2**63 - 1, tr, hour_label="1 hour", back_to_list=True)
    labels = [[b.text for b in row] for row in menu.inline_keyboard]
    assert labels == [
        ["⏰ For 1 hour", "⏰ Till morning"],
        ["Similar", "🗑 Unsubscribe"],
        ["← Back"],
    ]
    row = alert_keyboard(2**63 - 1, "en", True)
    assert [b.text for b in row.inline_keyboard[0]] == ["❓ Why", "🚫 Word", "🔕 Story", "⋯"]
    assert all(
        len((b.callback_data or "").encode()) <= 64
        for markup in (menu, row)
        for line in markup.inline_keyboard
        for b in line
    )


async def test_pause_and_resume_all_alerts(chatbot: ChatBot) -> None:
    assert "приостановлены" in (await chatbot.last(ALICE, "/pause")).text
    assert (await chatbot.repo.chats.listening([ALICE.id])) == set()
    assert "уже на паузе" in (await chatbot.last(ALICE, "/pause")).text
    await chatbot.last(ALICE, "/sub Лавров")
    assert "⏸ Все оповещения чата приостановлены" in (await chatbot.last(ALICE, "/list")).text

    assert "снова включены" in (await chatbot.last(ALICE, "/resume")).text
    assert (await chatbot.repo.chats.listening([ALICE.id])) == {ALICE.id}
    assert "и так включены" in (await chatbot.last(ALICE, "/resume")).text


async def test_settings_switch_language_time_zone_and_mode(chatbot: ChatBot) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    assert "Язык: Русский" in panel.text and "Часовой пояс: Москва (UTC+3)" in panel.text
    assert panel.button("✓ 🔔 Со звуком") and panel.button("✓ Русский")

    answer = await chatbot.press_label(ALICE, panel, "English")
    assert answer["text"] == "Saved"
    assert "Language: English" in panel.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.language == "en"
    assert "How to write queries" in (await chatbot.last(ALICE, "/help")).text

    await chatbot.press_label(ALICE, panel, "Time zone")
    assert "Choose a time zone" in panel.text
    assert panel.button("✓ Moscow (UTC+3)") and panel.button("Almaty (UTC+5)")
    await chatbot.press_label(ALICE, panel, "Vladivostok (UTC+10)")
    assert "Time zone: Vladivostok (UTC+10)" in panel.text

    await chatbot.press_label(ALICE, panel, "Silent")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and (chat.timezone, chat.alert_mode) == ("Asia/Vladivostok", "silent")
    assert panel.button("✓ 🔕 Silent")
    assert [b["text"] for b in panel.buttons if "With sound" in b["text"]] == ["🔔 With sound"]


async def test_a_chat_that_had_blocked_the_bot_is_active_again_when_it_writes(
    chatbot: ChatBot,
) -> None:
    await chatbot.last(ALICE, "/start")
    from datetime import UTC, datetime

    await chatbot.repo.deactivate_chat(ALICE.id, "blocked", datetime.now(UTC))
    await chatbot.last(ALICE, "/help")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.active and chat.language == "ru"


async def test_stats_only_for_operators(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    assert "только для администраторов" in (await chatbot.last(ALICE, "/stats")).text

    stats = await chatbot.last(OPERATOR, "/stats")
    assert "Подписки: 1" in stats.text and "Чаты: 2" in stats.text


async def test_command_menu_registered_in_russian_and_english(chatbot: ChatBot) -> None:
    await register_commands(chatbot.bot)

    menus = chatbot.stub.commands
    ru = next(v for (scope, lang), v in menus.items() if lang == "ru")
    en = next(v for (scope, lang), v in menus.items() if lang == "")
    assert {c["command"] for c in ru} == {c["command"] for c in en} >= {"sub", "list", "recent"}
    assert next(c for c in ru if c["command"] == "list")["description"] == "мои подписки"
    assert next(c for c in en if c["command"] == "list")["description"] == "my subscriptions"


async def test_a_button_under_a_deleted_list_still_works(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров, Песков")
    listing = await chatbot.last(ALICE, "/list")
    data = listing.button("⏸ 1.")["callback_data"]
    await chatbot.bot.delete_message(ALICE.id, listing.message_id)
    before = len(chatbot.stub.messages(ALICE.id))

    answer = await chatbot.press(ALICE, listing, data)

    assert answer["text"] == "Подписка на паузе"
    assert await subs(chatbot) == [("Лавров", True), ("Песков", False)]
    assert len(chatbot.stub.messages(ALICE.id)) == before


async def test_unsubscribing_from_an_alert_leaves_the_alert_as_it_was_sent(
    chatbot: ChatBot,
) -> None:
    await chatbot.last(ALICE, "/sub Лавров, Песков")
    [lavrov, _] = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    before = len(chatbot.stub.messages(ALICE.id))
    menu = subscription_menu(1, lavrov.id, texts("ru"), hour_label="1", back_to_list=True)
    await chatbot.bot.send_message(ALICE.id, "<b>Лавров и Песков</b>", reply_markup=menu)
    alert = (await chatbot.stub.wait_messages(ALICE.id, before + 1))[-1]
    shown = (alert.text, alert.reply_markup)

    answer = await chatbot.press_label(ALICE, alert, "Отписаться")
    said = (await chatbot.stub.wait_messages(ALICE.id, before + 2))[-1]

    assert answer["text"] == "Подписка удалена"
    assert said.bold == ["Лавров"]
    assert (alert.text, alert.reply_markup) == shown
    assert await subs(chatbot) == [("Песков", False)]
