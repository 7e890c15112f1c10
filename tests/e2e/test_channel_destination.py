"""A channel as a destination, by the whole bot: made an administrator, it offers the channel
in the private chat of whoever did it; picked there (the offer's button), the private chat's
/sub acts on the channel and the channel gets the alert. A user who lost the admin right is
refused the next change; a bot demoted by another admin stops the channel's alerts and tells
its manager."""

from __future__ import annotations

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
from tests.support.updates import Chat, User

pytestmark = pytest.mark.e2e

EDITOR = User(811, "Редактор", "editor", "ru")
DEPUTY = User(812, "Заместитель", "deputy", "ru")
CHANNEL = Chat.channel(-1008110001, "Лента редакции")


def item(title: str, n: int) -> str:
    return rss_item(title, f"{title}. Подробности номер {n}.", f"https://wire.example/c{n}")


def last_text(stub: BotApiStub, chat_id: int) -> str:
    sent = stub.messages(chat_id)
    return sent[-1].text if sent else ""


async def test_a_channel_configured_from_a_private_chat_receives_its_alerts_until_rights_go(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    bot = make_bot(FEEDS=feed.url)
    await bot.start(stub)
    await say(stub, EDITOR.id, "/start")
    stub.set_member_status(CHANNEL.id, EDITOR.id, "creator")
    stub.set_member_status(CHANNEL.id, DEPUTY.id, "administrator")

    stub.bot_status_changed(CHANNEL, EDITOR, "administrator")
    offered = lambda: "Настроить" in str(stub.messages(EDITOR.id)[-1].buttons)  # noqa: E731
    await wait_until(offered, 10, "the offer in the private chat", bot)
    offer = stub.messages(EDITOR.id)[-1]
    assert "Лента редакции" in offer.text
    stub.press_button(EDITOR, EDITOR, offer.message_id, offer.button("Настроить")["callback_data"])
    picked = lambda: "Теперь команды" in last_text(stub, EDITOR.id)  # noqa: E731
    await wait_until(picked, 10, "the channel picked", bot)

    saved = await say(stub, EDITOR.id, "/sub Лавров")
    assert saved.text.startswith("📢 Канал «Лента редакции»")
    await feeds.wait_primed()
    feed.publish(item("Лавров прилетел в Анкару на переговоры", 1))
    await wait_until(
        lambda: alerts(stub, CHANNEL.id), 3 * POLL + 5, "the alert in the channel", bot
    )
    (alert,) = alerts(stub, CHANNEL.id)
    assert "Анкару" in alert.text
    assert alerts(stub, EDITOR.id) == []

    # The editor is demoted: the next change is refused, and says so.
    stub.set_member_status(CHANNEL.id, EDITOR.id, "member")
    refused = await say(stub, EDITOR.id, "/sub нефть")
    assert "больше не администратор" in refused.text

    # The deputy takes the bot's admin right away: the channel's alerts stop, the editor hears.
    before = len(stub.messages(EDITOR.id))
    stub.bot_status_changed(CHANNEL, DEPUTY, "member")

    def told() -> bool:
        fresh = stub.messages(EDITOR.id)[before:]
        return any("больше не могу публиковать" in m.text for m in fresh)

    await wait_until(told, 10, "the manager told the alerts stopped", bot)
    polls = feed.requests
    feed.publish(item("Лавров покинул Анкару после переговоров", 2))
    await wait_until(lambda: feed.requests >= polls + 3, 5 * POLL + 5, "three more polls", bot)
    assert len(alerts(stub, CHANNEL.id)) == 1
    assert [c for c in stub.calls("sendMessage") if c.chat_id == CHANNEL.id and not c.ok] == []
