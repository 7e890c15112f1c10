"""A channel that lost the bot (demoted, removed, or a 403 on send): who is told, and what.

The channel is deactivated by whoever noticed (the courier, or the `my_chat_member` handler);
this tells the users who manage it, each in their own private chat and language, and sends
anyone configuring it back to their private chat. A manager who never started the bot cannot
be written to and is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram.enums import ParseMode
from aiogram.types import Message

from bot.delivery.sender import Sender
from bot.i18n import Html, texts
from bot.views.targets import chat_name
from storage import Chat, ChatKind, Repository

log = logging.getLogger(__name__)

__all__ = ["ChannelLoss", "loss_notices"]


async def loss_notices(repo: Repository, channel: Chat) -> list[tuple[Chat, Html]]:
    """The private chats to tell that `channel` lost the bot, each with its text; targets
    pointing at the channel are dropped."""
    if channel.type != ChatKind.CHANNEL:
        return []
    await repo.targets.drop_chat(channel.id)
    notices: list[tuple[Chat, Html]] = []
    for user_id in await repo.targets.managers(channel.id):
        home = await repo.chats.get(user_id)
        if home is None or not home.active:
            continue
        tr = texts(home.language)
        notices.append((home, tr("channel.lost", channel=chat_name(channel, tr))))
    return notices


async def tell(
    repo: Repository, channel: Chat, send: Callable[[Chat, Html], Awaitable[object]]
) -> None:
    """Send each notice; one manager's refusal does not stop the others."""
    for home, text in await loss_notices(repo, channel):
        try:
            await send(home, text)
        except Exception:
            log.warning("could not tell user %d that channel %d was lost", home.id, channel.id)


class ChannelLoss:
    """The delivery side's notices, sent through its own budget slots."""

    def __init__(self, repo: Repository, sender: Sender) -> None:
        self._repo = repo
        self._sender = sender

    async def tell_managers(self, channel: Chat) -> None:
        async def send(home: Chat, text: Html) -> object:
            result = await self._sender.send(home, text, ParseMode.HTML, None)
            if not isinstance(result, Message):
                log.warning("notice to user %d not sent: %s", home.id, result)
            return result

        await tell(self._repo, channel, send)
