"""Forum topics: which topic a message belongs to, and where a topic's alerts go.

A subscription made in a topic alerts into that topic (`message_thread_id`). A message in the
General topic carries no thread id, or one with `is_topic_message` unset (a reply there names
the replied message's thread, which is no topic): both are the group itself, thread 0.

When Telegram refuses a topic ("message thread not found": deleted; TOPIC_CLOSED: closed), the
topic is marked gone and the message goes to General instead, so nothing is lost; the group is
told once per topic, in General, why that topic's alerts arrive there. Later alerts of a gone
topic go straight to General. A message written in the topic again (it was reopened) clears the
mark (`ChatMiddleware`); a reopen nobody writes in is not detected. The sending side is
`bot/delivery/topic_route.py`.
"""

from __future__ import annotations

from aiogram.types import Message

from bot.views.fit import clip

__all__ = ["topic_label", "topic_name_of", "topic_of"]

_NAME_UNITS = 60


def topic_of(message: Message | None) -> int:
    """The forum topic a message was written in; 0 for General and every other chat."""
    if message is None or not message.is_topic_message:
        return 0
    return message.message_thread_id or 0


def topic_name_of(message: Message) -> str | None:
    """The topic's name, when Telegram shows its creation as what the message replies to."""
    replied = message.reply_to_message
    created = replied.forum_topic_created if replied is not None else None
    return created.name if created is not None else None


def topic_label(thread_id: int, name: str | None) -> str:
    """How a topic is named to people: its name when seen, else its number."""
    return clip(name, _NAME_UNITS) if name else f"#{thread_id}"
