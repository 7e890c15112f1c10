"""Channels as destinations: configured from an administrator's private chat, alerts posted in
the channel, rights asked of Telegram on every change."""

from __future__ import annotations

from bot.callbacks import RecentCb, RecentKind, SubAction, SubCb
from tests.chat.conftest import ALICE, BOB, MEMBER
from tests.destinations.conftest import Desk
from tests.support.records import SentMessage
from tests.support.updates import Chat

CHANNEL = Chat.channel(-1008880001, "Лента редакции")


async def _offer(desk: Desk) -> SentMessage:
    """Alice, the channel's creator, makes the bot an administrator; the offer she gets."""
    desk.stub.set_member_status(CHANNEL.id, ALICE.id, "creator")
    before = len(desk.stub.messages(ALICE.id))
    desk.stub.bot_status_changed(CHANNEL, ALICE, "administrator")
    return (await desk.stub.wait_messages(ALICE.id, before + 1))[-1]


async def _configuring(desk: Desk) -> None:
    offer = await _offer(desk)
    await desk.cb.press_label(ALICE, offer, "Лента редакции")
    await desk.stub.wait_for(lambda: "Теперь команды" in desk.stub.messages(ALICE.id)[-1].text)


async def test_the_bot_made_a_channel_admin_offers_to_configure_it_in_private(
    desk: Desk,
) -> None:
    offer = await _offer(desk)

    assert "Лента редакции" in offer.text
    assert offer.button("Настроить")
    channel = await desk.repo.chats.get(CHANNEL.id)
    assert channel is not None and channel.active and channel.type == "channel"


async def test_picking_the_channel_makes_private_commands_act_on_it(desk: Desk) -> None:
    await _configuring(desk)

    (reply,) = await desk.cb.say(ALICE, "/sub Лавров")

    assert reply.text.startswith("📢 Канал «Лента редакции»")
    (sub,) = await desk.repo.subscriptions.for_chat(CHANNEL.id)
    assert sub.query == "Лавров"
    assert await desk.repo.subscriptions.for_chat(ALICE.id) == []
    (listed,) = await desk.cb.say(ALICE, "/list")
    assert "Лента редакции" in listed.text and "Лавров" in listed.text


async def test_a_channels_alerts_are_posted_in_the_channel(desk: Desk) -> None:
    await _configuring(desk)
    await desk.cb.say(ALICE, "/sub Лавров")

    assert await desk.publish("Лавров прибыл в Анкару") == 1
    async with desk.delivering():
        (alert,) = await desk.stub.wait_messages(CHANNEL.id)

    assert "Анкару" in alert.text


async def test_chat_switches_back_to_the_private_chat(desk: Desk) -> None:
    await _configuring(desk)

    (picker,) = await desk.cb.say(ALICE, "/chat")
    assert "Лента редакции" in picker.text
    await desk.cb.press_label(ALICE, picker, "Личный чат")
    await desk.cb.say(ALICE, "/sub нефть", replies=1)

    (sub,) = await desk.repo.subscriptions.for_chat(ALICE.id)
    assert sub.query == "нефть"


async def test_a_user_no_longer_admin_is_refused_the_next_change(desk: Desk) -> None:
    await _configuring(desk)
    desk.stub.set_member_status(CHANNEL.id, ALICE.id, "member")

    (reply,) = await desk.cb.say(ALICE, "/sub Лавров")

    assert "больше не администратор" in reply.text
    assert await desk.repo.subscriptions.for_chat(CHANNEL.id) == []
    await desk.cb.say(ALICE, "/sub нефть")  # back to her own chat, as the reply said
    assert [s.query for s in await desk.repo.subscriptions.for_chat(ALICE.id)] == ["нефть"]


async def test_a_demoted_bot_stops_the_channels_alerts_and_tells_its_managers(
    desk: Desk,
) -> None:
    await _configuring(desk)
    await desk.cb.say(ALICE, "/sub Лавров")
    before = len(desk.stub.messages(ALICE.id))

    desk.stub.bot_status_changed(CHANNEL, BOB, "member")
    (notice,) = (await desk.stub.wait_messages(ALICE.id, before + 1))[before:]

    assert "больше не могу публиковать" in notice.text
    channel = await desk.repo.chats.get(CHANNEL.id)
    assert channel is not None and not channel.active
    assert await desk.publish("Лавров прибыл в Анкару") == 0
    (reply,) = await desk.cb.say(ALICE, "/sub нефть")  # her commands are her own again
    assert "Канал" not in reply.text


async def test_a_bot_that_lost_the_post_right_unseen_refuses_the_next_change(
    desk: Desk,
) -> None:
    await _configuring(desk)
    desk.stub.bot_status_changed(
        CHANNEL, BOB, "administrator", can_post_messages=False, announce=False
    )

    (reply,) = await desk.cb.say(ALICE, "/sub Лавров")

    assert "не могу публиковать" in reply.text
    channel = await desk.repo.chats.get(CHANNEL.id)
    assert channel is not None and not channel.active


async def test_a_403_on_send_deactivates_the_channel_and_tells_its_managers(desk: Desk) -> None:
    await _configuring(desk)
    await desk.cb.say(ALICE, "/sub Лавров")
    desk.stub.bot_status_changed(CHANNEL, BOB, "kicked", announce=False)
    desk.expect_refusal("not a member of the channel")
    before = len(desk.stub.messages(ALICE.id))

    await desk.publish("Лавров прибыл в Анкару")
    async with desk.delivering():
        (notice,) = (await desk.stub.wait_messages(ALICE.id, before + 1))[before:]

    assert "Лента редакции" in notice.text
    channel = await desk.repo.chats.get(CHANNEL.id)
    assert channel is not None and not channel.active


async def test_in_a_channel_every_button_obeys_the_admin_rule(desk: Desk) -> None:
    await _configuring(desk)
    await desk.cb.say(ALICE, "/sub Лавров")
    await desk.publish("Лавров прибыл в Анкару")
    async with desk.delivering():
        (alert,) = await desk.stub.wait_messages(CHANNEL.id)
    (sub,) = await desk.repo.subscriptions.for_chat(CHANNEL.id)
    unsubscribe = SubCb(action=SubAction.UNSUB, sub_id=sub.id).pack()
    similar = RecentCb(kind=RecentKind.SIMILAR, page=0, ref=sub.id).pack()

    refused = [
        await desk.cb.press(MEMBER, alert, data, CHANNEL) for data in (unsubscribe, similar)
    ]

    assert all("администратор" in answer["text"] for answer in refused)
    assert len(desk.stub.messages(CHANNEL.id)) == 1  # nothing posted for a reader
    assert len(await desk.repo.subscriptions.for_chat(CHANNEL.id)) == 1
    await desk.cb.press(ALICE, alert, unsubscribe, CHANNEL)
    assert await desk.repo.subscriptions.for_chat(CHANNEL.id) == []


async def test_a_bot_added_without_the_post_right_says_so_and_offers_nothing(
    desk: Desk,
) -> None:
    desk.stub.bot_status_changed(CHANNEL, ALICE, "administrator", can_post_messages=False)

    (note,) = await desk.stub.wait_messages(ALICE.id)

    assert "без права публиковать" in note.text and not note.buttons
    assert await desk.repo.chats.get(CHANNEL.id) is None


async def test_a_readers_button_press_does_not_bring_a_lost_channel_back(desk: Desk) -> None:
    await _configuring(desk)
    await desk.cb.say(ALICE, "/sub Лавров")
    await desk.publish("Лавров прибыл в Анкару")
    async with desk.delivering():
        (alert,) = await desk.stub.wait_messages(CHANNEL.id)
    before = len(desk.stub.messages(ALICE.id))
    desk.stub.bot_status_changed(CHANNEL, BOB, "member")
    await desk.stub.wait_messages(ALICE.id, before + 1)
    (sub,) = await desk.repo.subscriptions.for_chat(CHANNEL.id)

    await desk.cb.press(
        MEMBER, alert, RecentCb(kind=RecentKind.SIMILAR, page=0, ref=sub.id).pack(), CHANNEL
    )

    channel = await desk.repo.chats.get(CHANNEL.id)
    assert channel is not None and not channel.active


async def test_a_user_who_never_started_the_bot_gets_no_offer_but_finds_the_channel_later(
    desk: Desk,
) -> None:
    desk.stub.set_member_status(CHANNEL.id, ALICE.id, "creator")
    desk.stub.not_started(ALICE.id)
    desk.expect_refusal("can't initiate conversation")

    desk.stub.bot_status_changed(CHANNEL, ALICE, "administrator")
    await desk.stub.wait_for(
        lambda: any(c.chat_id == ALICE.id for c in desk.stub.calls("sendMessage"))
    )
    desk.stub.restore_chat(ALICE.id)
    (picker,) = await desk.cb.say(ALICE, "/chat")

    assert desk.stub.messages(ALICE.id) == [picker]
    await desk.cb.press_label(ALICE, picker, "Лента редакции")
    await desk.cb.say(ALICE, "/sub Лавров")
    assert [s.query for s in await desk.repo.subscriptions.for_chat(CHANNEL.id)] == ["Лавров"]


async def test_an_offer_and_an_imported_list_act_on_the_channel_being_configured(
    desk: Desk,
) -> None:
    await _configuring(desk)

    (offer,) = await desk.cb.say(ALICE, "нефть")
    before = len(desk.stub.messages(ALICE.id))
    await desk.cb.press_label(ALICE, offer, "нефть")
    await desk.stub.wait_messages(ALICE.id, before + 1)
    before += 1
    desk.stub.send_document(ALICE, ALICE, "subscriptions.txt", "Лавров\nгаз\n".encode())
    await desk.stub.wait_messages(ALICE.id, before + 1)

    queries = sorted(s.query for s in await desk.repo.subscriptions.for_chat(CHANNEL.id))
    assert queries == ["Лавров", "газ", "нефть"]
    assert await desk.repo.subscriptions.for_chat(ALICE.id) == []
