"""What a tuning button acts on, read back from its alert: the delivery, its item, the chat and
the subscriptions that fired (on the item or on later reports that joined the alert).

Buttons carry the delivery's id only; everything else is read when pressed, so a press on an
old alert sees today's subscriptions (one deleted since is left out, an edited one is shown as
it reads now), and an alert whose item retention removed is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching import QueryError
from bot.subscriptions import SubscriptionService
from bot.tuning.words import Candidate, distinctive_words
from storage import Chat, Delivery, Item, Repository, Subscription

__all__ = ["RECENT_ITEMS", "AlertContext", "exclusion_words", "load_alert"]

# Recent items word rarity is counted over (bot/tuning/words.py): a few hundred titles and
# leads cost tens of milliseconds, once per press of «Исключить» or of a word.
RECENT_ITEMS = 300


@dataclass(frozen=True, slots=True)
class AlertContext:
    delivery: Delivery
    item: Item
    chat: Chat
    subs: tuple[Subscription, ...]  # fired and still there, in the order they fired

    def sub(self, sub_id: int) -> Subscription | None:
        return next((s for s in self.subs if s.id == sub_id), None)


async def load_alert(repo: Repository, delivery_id: int, chat_id: int) -> AlertContext | None:
    """The alert `delivery_id` as sent to `chat_id`; None when it is gone or another chat's
    (a payload from elsewhere acts on nothing)."""
    delivery = await repo.deliveries.get(delivery_id)
    if delivery is None or delivery.chat_id != chat_id:
        return None
    item = await repo.items.get(delivery.item_id)
    chat = await repo.chats.get(chat_id)
    if item is None or chat is None:
        return None
    fired = list(delivery.subscription_ids)
    for source in await repo.stories.sources(delivery.id):
        fired += [s for s in source.subscription_ids if s not in fired]
    subs: list[Subscription] = []
    for sub_id in fired:
        sub = await repo.subscriptions.get(sub_id)
        if sub is not None and sub.chat_id == chat_id:
            subs.append(sub)
    return AlertContext(delivery, item, chat, tuple(subs))


async def exclusion_words(
    service: SubscriptionService,
    repo: Repository,
    ctx: AlertContext,
    sub: Subscription,
    limit: int,
) -> list[Candidate]:
    """The alert item's words worth excluding from `sub`, most distinctive first."""
    try:
        compiled = service.compile(sub.query)
    except QueryError:  # stored before a change of the language: nothing to offer
        return []
    recent = await repo.tuning.recent_texts(RECENT_ITEMS)
    item = ctx.item
    return distinctive_words(service.analyzer, item.title, item.text, compiled, recent, limit)
