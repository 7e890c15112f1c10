"""The check before a change is made to a channel from a private chat.

Telegram is asked every time (`channel_rights`): what the bot remembers about who administers
a channel may be stale by a minute. A user who lost the right is refused and sent back to
their private chat; a bot that lost the right to post deactivates the channel, and its other
managers are told too.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.destinations.loss import tell
from bot.destinations.rights import channel_rights
from bot.i18n import Html
from storage import Chat, Repository

log = logging.getLogger(__name__)

__all__ = ["BOT_LOST", "deactivate_channel", "target_refusal"]

BOT_LOST = "bot lost the right to post"


async def target_refusal(
    bot: Bot, target: Chat, user_id: int, repo: Repository, now: datetime
) -> str | None:
    """None when `user_id` may change `target` now; else the key of the text saying why not
    (its one parameter: `channel`)."""
    rights = await channel_rights(bot, target.id, user_id)
    if rights.ok:
        return None
    if not rights.known:
        return "rights.unknown"
    if not rights.bot_posts:
        await deactivate_channel(bot, repo, target, BOT_LOST, now, told=user_id)
        return "rights.bot_lost"
    await repo.targets.set_target(user_id, None, now)
    log.info("user %d no longer administers channel %d", user_id, target.id)
    return "rights.user_lost"


async def deactivate_channel(
    bot: Bot, repo: Repository, channel: Chat, reason: str, now: datetime, *, told: int = 0
) -> None:
    """Stop the channel's alerts and tell its managers (but `told`, who hears it already)."""
    cancelled = await repo.deactivate_chat(channel.id, reason, now)
    log.warning("channel %d deactivated (%s); %d alerts cancelled", channel.id, reason, cancelled)

    async def send(home: Chat, text: Html) -> object:
        if home.id == told:
            return None
        try:
            return await bot.send_message(home.id, text)
        except TelegramAPIError:
            log.warning("could not tell user %d that channel %d was lost", home.id, channel.id)
            return None

    await tell(repo, channel, send)
