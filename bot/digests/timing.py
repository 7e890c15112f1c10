"""A chat changed its timing (quiet hours off, digests off): what it holds goes now, if the
new settings would send an alert now."""

from __future__ import annotations

from datetime import datetime

from bot.digests.rule import hold_until, plan_for
from bot.timezones import load_zone
from storage import Repository

__all__ = ["release_if_due"]


async def release_if_due(
    repo: Repository, chat_id: int, now: datetime, default_timezone: str
) -> int:
    """Returns how many digests were moved to now (0: the chat still holds, or holds none)."""
    chat = await repo.chats.get(chat_id)
    if chat is None:
        return 0
    if hold_until(now, plan_for(chat, load_zone(chat.timezone, default_timezone))) is not None:
        return 0
    return await repo.digests.release(chat_id, now)
