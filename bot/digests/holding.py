"""The courier's question before it sends an alert: now, or held for the chat's digest?"""

from __future__ import annotations

from datetime import datetime

from bot.digests.rule import hold_until, plan_for
from bot.timezones import load_zone
from storage import Chat, Delivery, Repository

__all__ = ["Holding"]


class Holding:
    def __init__(self, repo: Repository, *, default_timezone: str) -> None:
        self._repo = repo
        self._default_timezone = default_timezone

    async def hold(self, delivery: Delivery, chat: Chat, now: datetime) -> bool:
        """True when the alert was put into a digest (quiet hours, hourly or daily schedule).

        An alert that any urgent subscription fired on goes at once: urgency is read now, not
        at match time, so marking a subscription urgent also frees what it fires next.
        """
        zone = load_zone(chat.timezone, self._default_timezone)
        due = hold_until(now, plan_for(chat, zone))
        if due is None:
            return False
        if await self._repo.subscriptions.any_urgent(delivery.subscription_ids):
            return False
        await self._repo.digests.hold(delivery.id, chat.id, due, now, delivery.thread_id)
        return True
