"""Where a destination's message goes: its forum topic, or General once the topic is gone.

See bot/topics.py for the rules: a topic Telegram refuses is marked gone and the message goes
to General at once (nothing lost); the group is told once per topic, in General.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram.enums import ParseMode
from aiogram.types import InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.delivery.outcome import Action, Outcome
from bot.delivery.sender import Sender, shielded
from bot.i18n import texts
from bot.topics import topic_label
from storage import Chat, Repository

log = logging.getLogger(__name__)

__all__ = ["TopicRoute"]


class TopicRoute:
    """Sends a destination's message to its topic, or to General once the topic is gone."""

    def __init__(self, repo: Repository, sender: Sender, *, clock: Clock) -> None:
        self._repo = repo
        self._sender = sender
        self._clock = clock

    async def send(
        self,
        chat: Chat,
        thread_id: int,
        text: str,
        parse_mode: ParseMode | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message | Outcome | None:
        """Telegram's message, what its refusal means, or None (stopping before the send)."""
        if not thread_id:
            return await self._sender.send(chat, text, parse_mode, markup)
        topic = await self._repo.topics.get(chat.id, thread_id)
        if topic is None or not topic.gone:
            result = await self._sender.send(chat, text, parse_mode, markup, thread_id=thread_id)
            if not (isinstance(result, Outcome) and result.action is Action.TOPIC_GONE):
                return result
            now = self._clock()
            await shielded(self._repo.topics.mark_gone(chat.id, thread_id, result.reason, now))
            log.warning("chat %d: topic %d is gone (%s)", chat.id, thread_id, result.reason)
            topic = await self._repo.topics.get(chat.id, thread_id)
        if topic is not None and not topic.noted:
            await self._note(chat, thread_id, topic.name, self._clock())
        return await self._sender.send(chat, text, parse_mode, markup)

    async def _note(self, chat: Chat, thread_id: int, name: str | None, now: datetime) -> None:
        """Tell the group once, in General, why this topic's alerts come here now. A note
        Telegram refuses is tried again with the topic's next alert."""
        tr = texts(chat.language)
        note = tr("topics.gone", topic=topic_label(thread_id, name))
        sent = await self._sender.send(chat, note, ParseMode.HTML, None)
        if isinstance(sent, Message):
            await shielded(self._repo.topics.mark_noted(chat.id, thread_id))
        else:
            log.warning(
                "chat %d: the note about topic %d was not sent: %s", chat.id, thread_id, sent
            )
