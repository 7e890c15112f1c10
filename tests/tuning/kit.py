"""A real alert in a chat, as the delivery worker sends it: a queued delivery, its composed
message with the tuning row, sent through the Bot API stand-in and marked sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.compose import compose
from bot.keyboards import alert_keyboard
from storage import Item, NewDelivery, NewItem, Subscription
from tests.chat.conftest import ChatBot
from tests.support.records import SentMessage

FEED = "http://127.0.0.1:9/rss"
TITLE = "Лавров прокомментировал открытие лыжного трамплина в Сочи"
TEXT = (
    "Министр иностранных дел России Сергей Лавров заявил журналистам, что новый трамплин "
    "в Сочи открыт. Глава МИД отметил работу строителей."
)


async def store_item(
    chatbot: ChatBot, title: str = TITLE, text: str = TEXT, story: str | None = "1:story"
) -> Item:
    now = datetime.now(UTC)
    await chatbot.repo.feeds.sync_defaults([FEED], now)
    feed = await chatbot.repo.feeds.get_by_url(FEED)
    assert feed is not None
    guid = f"guid-{title}-{now.timestamp()}"
    new = NewItem(guid, "https://news.example/1", None, title, text, now, story)
    [item] = await chatbot.repo.items.insert_new(feed.id, [new], now)
    return item


async def send_alert(
    chatbot: ChatBot, chat_id: int, subs: list[Subscription], item: Item
) -> SentMessage:
    """Queue, compose and send the alert of `item` for `subs`; return it as the chat sees it."""
    now = datetime.now(UTC)
    repo = chatbot.repo
    new = NewDelivery(chat_id, item.id, tuple(s.id for s in subs), tuple(s.query for s in subs))
    await repo.deliveries.enqueue([new], now)
    [delivery] = [
        d
        for d in await repo.deliveries.due(now + timedelta(seconds=1), 1000)
        if d.chat_id == chat_id and d.item_id == item.id
    ]
    chat = await repo.chats.get(chat_id)
    assert chat is not None
    composed = compose(delivery, item, chat, chatbot.services.analyzer, keyboard=alert_keyboard)
    before = len(chatbot.stub.messages(chat_id))
    sent = await chatbot.bot.send_message(chat_id, composed.html, reply_markup=composed.keyboard)
    await repo.deliveries.mark_sent(delivery.id, sent.message_id, now)
    return (await chatbot.stub.wait_messages(chat_id, before + 1))[before]


def labels(message: SentMessage) -> list[list[str]]:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return [[b["text"] for b in row] for row in rows]
