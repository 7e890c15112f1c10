"""What Telegram says now about a channel: may this user manage it, may the bot post in it.

Asked on every change made to a channel from a private chat, and when a user picks a channel:
a right lost since (the user demoted, the bot's post right taken away) must stop the change,
whatever the bot remembers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import ChatMemberAdministrator, ChatMemberOwner

log = logging.getLogger(__name__)

__all__ = ["ChannelRights", "bot_may_post", "channel_rights"]

_MANAGERS = frozenset({ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR})


@dataclass(frozen=True)
class ChannelRights:
    user_manages: bool  # the user is the channel's creator or one of its administrators
    bot_posts: bool  # the bot is an administrator allowed to post messages
    known: bool = True  # False: Telegram could not be asked (network, 5xx): nothing is granted,
    # and nothing is concluded either (the channel is not deactivated for it)

    @property
    def ok(self) -> bool:
        return self.known and self.user_manages and self.bot_posts


_UNKNOWN = ChannelRights(user_manages=False, bot_posts=False, known=False)


def bot_may_post(member: object) -> bool:
    """A ChatMember of the bot in a channel: an administrator with the post right."""
    if isinstance(member, ChatMemberOwner):
        return True
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


async def channel_rights(bot: Bot, channel_id: int, user_id: int) -> ChannelRights:
    """Both rights, from Telegram. A refusal (the bot removed: 403, the channel gone: 400)
    means the bot cannot post; any other failure is "unknown", which grants nothing."""
    try:
        me = await bot.get_chat_member(channel_id, bot.id)
        member = await bot.get_chat_member(channel_id, user_id)
    except (TelegramForbiddenError, TelegramBadRequest) as exc:
        log.info("channel %d: Telegram refused to show rights: %s", channel_id, exc)
        return ChannelRights(user_manages=False, bot_posts=False)
    except TelegramAPIError as exc:
        log.warning("channel %d: cannot ask Telegram for rights: %s", channel_id, exc)
        return _UNKNOWN
    return ChannelRights(user_manages=member.status in _MANAGERS, bot_posts=bot_may_post(me))
