"""Quiet hours (/quiet), the delivery schedule in /settings and urgent subscriptions
(`/sub !query`, the switch on /list), as a chat sets them."""

from __future__ import annotations

from storage import DeliverySchedule
from tests.chat.conftest import ADMIN, ALICE, GROUP, MEMBER, ChatBot

NOT_ADMIN = "могут только её администраторы"


async def test_quiet_command_sets_shows_and_turns_off_quiet_hours(chatbot: ChatBot) -> None:
    saved = await chatbot.last(ALICE, "/quiet 23-8")
    assert "Тихие часы: 23:00–08:00" in saved.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and (chat.quiet_from, chat.quiet_until) == (23 * 60, 8 * 60)

    shown = await chatbot.last(ALICE, "/quiet")
    assert "Тихие часы: 23:00–08:00" in shown.text
    panel = await chatbot.last(ALICE, "/settings")
    assert "Тихие часы: 23:00–08:00" in panel.text

    off = await chatbot.last(ALICE, "/quiet off")
    assert "выключены" in off.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.quiet_from is None


async def test_quiet_hours_that_cannot_be_read_are_explained_and_change_nothing(
    chatbot: ChatBot,
) -> None:
    await chatbot.last(ALICE, "/quiet 22:30-7")
    reply = await chatbot.last(ALICE, "/quiet <b>ночью</b>")
    assert "Не понял «<b>ночью</b>»" in reply.text  # shown as typed, escaped
    assert "/quiet 23-8" in reply.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and (chat.quiet_from, chat.quiet_until) == (22 * 60 + 30, 7 * 60)


async def test_the_settings_panel_switches_delivery_to_an_hourly_digest_and_back(
    chatbot: ChatBot,
) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    assert "Доставка: сразу" in panel.text
    answer = await chatbot.press_label(ALICE, panel, "Раз в час")
    assert answer["text"] == "Сохранено"
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.delivery_schedule is DeliverySchedule.HOURLY
    assert "Доставка: дайджестом раз в час" in panel.text
    assert "✓ 🕐 Раз в час" in [b["text"] for b in panel.buttons]

    await chatbot.press_label(ALICE, panel, "Раз в день")
    assert "Доставка: дайджестом раз в день в 09:00" in panel.text
    await chatbot.press_label(ALICE, panel, "Сразу")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.delivery_schedule is DeliverySchedule.INSTANT


async def test_a_bang_before_a_query_makes_an_urgent_subscription_without_the_bang(
    chatbot: ChatBot,
) -> None:
    replies = await chatbot.say(ALICE, "/sub !Лавров, нефть", replies=2)
    assert "Срочно: Лавров" in replies[-1].text
    subs = {s.query: s.urgent for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)}
    assert subs == {"Лавров": True, "нефть": False}

    await chatbot.say(ALICE, "/sub !нефть", replies=2)  # already there: now urgent
    subs = {s.query: s.urgent for s in await chatbot.repo.subscriptions.for_chat(ALICE.id)}
    assert subs == {"Лавров": True, "нефть": True}


async def test_the_list_switches_a_subscription_urgent_and_back(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    listing = await chatbot.last(ALICE, "/list")
    answer = await chatbot.press_label(ALICE, listing, "🚨 1: срочно")
    assert "сразу" in answer["text"]
    (sub,) = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    assert sub.urgent
    assert "✓ 🚨 1: срочно" in [b["text"] for b in listing.buttons]

    await chatbot.press_label(ALICE, listing, "✓ 🚨 1: срочно")
    (sub,) = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    assert not sub.urgent


async def test_in_a_group_only_administrators_set_quiet_hours(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    refused = await chatbot.last(MEMBER, "/quiet 23-8", GROUP)
    assert NOT_ADMIN in refused.text
    chat = await chatbot.repo.chats.get(GROUP.id)
    assert chat is not None and chat.quiet_from is None
    await chatbot.last(ADMIN, "/quiet 23-8", GROUP)
    chat = await chatbot.repo.chats.get(GROUP.id)
    assert chat is not None and chat.quiet_from == 23 * 60


async def test_quiet_hours_speak_english_to_an_english_chat(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/settings")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None
    await chatbot.repo.chats.set_language(ALICE.id, "en", chat.created_at)  # type: ignore[arg-type]
    saved = await chatbot.last(ALICE, "/quiet 23-8")
    assert "Quiet hours: 23:00–08:00" in saved.text


async def test_digest_command_sets_a_daily_time_hourly_and_off(chatbot: ChatBot) -> None:
    daily = await chatbot.last(ALICE, "/digest 18:30")
    assert "раз в день в 18:30" in daily.text
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None
    assert (chat.delivery_schedule, chat.digest_at) == (DeliverySchedule.DAILY, 18 * 60 + 30)
    shown = await chatbot.last(ALICE, "/digest")
    assert "Доставка: дайджестом раз в день в 18:30" in shown.text

    await chatbot.last(ALICE, "/digest hourly")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.delivery_schedule is DeliverySchedule.HOURLY
    bad = await chatbot.last(ALICE, "/digest когда-нибудь")
    assert "Не понял «когда-нибудь»" in bad.text
    await chatbot.last(ALICE, "/digest off")
    chat = await chatbot.repo.chats.get(ALICE.id)
    assert chat is not None and chat.delivery_schedule is DeliverySchedule.INSTANT
