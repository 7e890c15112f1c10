"""The admin rule holds for every tuning button: in a group only its administrators tune."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.chat.conftest import ADMIN, GROUP, MEMBER, ChatBot, bot_settings, chatbot, stub_options
from tests.support.records import SentMessage
from tests.support.updates import Chat
from tests.tuning.kit import labels, send_alert, store_item

__all__ = ["bot_settings", "chatbot", "stub_options"]

NOT_ADMIN = "Это могут только администраторы группы"


async def group_alert(chatbot: ChatBot) -> SentMessage:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")
    await chatbot.last(ADMIN, "/sub Лавров", GROUP)
    subs = await chatbot.repo.subscriptions.for_chat(GROUP.id)
    return await send_alert(chatbot, GROUP.id, subs, await store_item(chatbot, story="1:g"))


async def test_a_group_member_is_refused_every_tuning_button_and_nothing_changes(
    chatbot: ChatBot,
) -> None:
    alert = await group_alert(chatbot)
    row = labels(alert)
    replies = len(chatbot.stub.messages(GROUP.id))

    for label in ("Почему", "Слово", "Сюжет", "⋯"):
        answer = await chatbot.press_label(MEMBER, alert, label, GROUP)
        assert answer["text"] == NOT_ADMIN, label
    # Menus an administrator opened are refused to members just the same.
    await chatbot.press_label(ADMIN, alert, "⋯", GROUP)
    for label in ("На 1 час", "До утра", "Отписаться"):
        assert (await chatbot.press_label(MEMBER, alert, label, GROUP))["text"] == NOT_ADMIN
    await chatbot.press_label(ADMIN, alert, "Назад", GROUP)
    await chatbot.press_label(ADMIN, alert, "Слово", GROUP)
    assert (await chatbot.press_label(MEMBER, alert, "-трамплин", GROUP))["text"] == NOT_ADMIN
    await chatbot.press_label(ADMIN, alert, "Назад", GROUP)

    assert labels(alert) == row
    assert len(chatbot.stub.messages(GROUP.id)) == replies  # no «why», no «excluded»
    [sub] = await chatbot.repo.subscriptions.for_chat(GROUP.id)
    assert (sub.query, sub.snoozed_until) == ("Лавров", None)
    assert await chatbot.repo.tuning.muted("1:g", [GROUP.id], datetime.now(UTC)) == set()


async def test_a_group_administrator_tunes_from_the_alert(chatbot: ChatBot) -> None:
    alert = await group_alert(chatbot)
    replies = len(chatbot.stub.messages(GROUP.id))

    await chatbot.press_label(ADMIN, alert, "Слово", GROUP)
    answer = await chatbot.press_label(ADMIN, alert, "-трамплин", GROUP)
    await chatbot.press_label(ADMIN, alert, "Сюжет", GROUP)

    assert answer["text"] == "Исключено: -трамплин"
    said = (await chatbot.stub.wait_messages(GROUP.id, replies + 1))[replies]
    assert "Лавров -трамплин" in said.text
    assert await chatbot.repo.tuning.muted("1:g", [GROUP.id], datetime.now(UTC)) == {GROUP.id}


async def test_in_a_channel_only_its_administrators_tune_and_replies_go_to_them_privately(
    chatbot: ChatBot,
) -> None:
    channel = Chat.channel(-1009876543210, "Лента редакции")
    chatbot.stub.bot_status_changed(channel, ADMIN, "administrator", announce=False)
    chatbot.stub.set_member_status(channel.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(channel.id, MEMBER.id, "member")
    now = datetime.now(UTC)
    await chatbot.repo.chats.upsert(
        channel.id,
        type="channel",
        title=channel.title,
        language="ru",
        timezone="Europe/Moscow",
        now=now,
    )
    sub = await chatbot.repo.subscriptions.add(channel.id, "Лавров", now)
    alert = await send_alert(chatbot, channel.id, [sub], await store_item(chatbot))
    await chatbot.last(ADMIN, "/start")
    in_private = len(chatbot.stub.messages(ADMIN.id))
    in_channel = len(chatbot.stub.messages(channel.id))

    refused = await chatbot.press_label(MEMBER, alert, "Почему", channel)
    await chatbot.press_label(ADMIN, alert, "Почему", channel)
    why = (await chatbot.stub.wait_messages(ADMIN.id, in_private + 1))[in_private]

    assert refused["text"] == "В канале это могут только его администраторы"
    assert "Почему пришло это оповещение" in why.text and "«Лавров»" in why.text
    assert len(chatbot.stub.messages(channel.id)) == in_channel  # nothing posted to readers
