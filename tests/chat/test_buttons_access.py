"""Buttons: who may press what in a group, and payloads no release of ours ever made."""

from __future__ import annotations

import pytest

from bot.callbacks import OfferAction, OfferCb, SettingsAction, SettingsCb
from bot.keyboards import alert_keyboard
from tests.chat.conftest import ADMIN, ALICE, GROUP, MEMBER, ChatBot
from tests.support.records import SentMessage

NOT_ADMIN = "Это могут только администраторы группы"
STALE = "Эта кнопка устарела"


async def group_alert(chatbot: ChatBot) -> SentMessage:
    """An alert in the group, with its buttons, as the delivery worker would send it."""
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")
    await chatbot.last(ADMIN, "/sub Лавров", GROUP)
    [_] = await chatbot.repo.subscriptions.for_chat(GROUP.id)
    before = len(chatbot.stub.messages(GROUP.id))
    await chatbot.bot.send_message(
        GROUP.id,
        "<b>Сергей Лавров прибыл в Анкару</b>",
        reply_markup=alert_keyboard(1, "ru", True),
    )
    return (await chatbot.stub.wait_messages(GROUP.id, before + 1))[-1]


@pytest.mark.parametrize(
    "data",
    [
        SettingsCb(action=SettingsAction.MENU).pack(),
        SettingsCb(action=SettingsAction.TIMEZONE).pack(),
        SettingsCb(action=SettingsAction.TIMEZONE, value="Asia/Omsk").pack(),
        SettingsCb(action=SettingsAction.LANGUAGE, value="en").pack(),
        SettingsCb(action=SettingsAction.MODE, value="silent").pack(),
        OfferCb(action=OfferAction.EXAMPLE, ref=0).pack(),
    ],
)
async def test_a_group_member_pressing_a_settings_or_offer_button_is_refused(
    chatbot: ChatBot, data: str
) -> None:
    alert = await group_alert(chatbot)
    shown = (alert.text, alert.reply_markup)

    answer = await chatbot.press(MEMBER, alert, data, GROUP)

    assert answer["text"] == NOT_ADMIN
    assert (alert.text, alert.reply_markup) == shown  # not turned into a settings menu
    chat = await chatbot.repo.chats.get(GROUP.id)
    assert chat is not None
    assert (chat.language, chat.timezone, chat.alert_mode) == ("ru", "Europe/Moscow", "instant")
    assert [s.query for s in await chatbot.repo.subscriptions.for_chat(GROUP.id)] == ["Лавров"]


async def test_a_group_admin_may_use_the_settings_panel(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    panel = await chatbot.last(ADMIN, "/settings", GROUP)

    await chatbot.press_label(ADMIN, panel, "Часовой пояс", GROUP)
    answer = await chatbot.press_label(ADMIN, panel, "Омск", GROUP)

    assert answer["text"] == "Сохранено"
    chat = await chatbot.repo.chats.get(GROUP.id)
    assert chat is not None and chat.timezone == "Asia/Omsk"


async def test_a_settings_button_never_turns_an_alert_into_a_settings_menu(
    chatbot: ChatBot,
) -> None:
    alert = await group_alert(chatbot)
    shown = (alert.text, alert.reply_markup)

    for action in (SettingsAction.MENU, SettingsAction.TIMEZONE):
        answer = await chatbot.press(ADMIN, alert, SettingsCb(action=action).pack(), GROUP)
        assert answer["text"] == STALE

    assert (alert.text, alert.reply_markup) == shown


@pytest.mark.parametrize(
    "data",
    [
        "s1:d:99999999999999999999",
        "s1:u:9223372036854775808",
        "s1:p:-5",
        "s1:r:1e3",
        "s1:u:",
        "o1:s:18446744073709551616",
        "o1:e:-1",
        "f1:d:99999999999999999999",
        "r1:m:0:99999999999999999999",
        "r1:d:99999999999999999999:0",
        "r1:q:-1:0",
        "c1:t:Mars/Olympus",
        "c1:l:xx",
        "c1:zz:",
    ],
)
async def test_payloads_out_of_range_or_garbage_are_answered_like_a_stale_button(
    chatbot: ChatBot, data: str
) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    listing = await chatbot.last(ALICE, "/list")

    answer = await chatbot.press(ALICE, listing, data)

    assert answer["text"] in (STALE, "Эта подписка уже удалена")
    assert [s.query for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)] == ["Лавров"]


async def test_a_settings_payload_the_panel_does_not_show_changes_nothing(
    chatbot: ChatBot,
) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    shown = (panel.text, panel.reply_markup)
    forged = SettingsCb(action=SettingsAction.TIMEZONE, value="Asia/Omsk").pack()

    answer = await chatbot.press(ALICE, panel, forged)

    assert answer["text"] == STALE
    assert (panel.text, panel.reply_markup) == shown
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.timezone == "Europe/Moscow"
