"""Users, chats and the Update payloads Telegram would send for them.

Payloads are plain dicts in the Bot API's JSON shape, so aiogram validates them exactly as it
validates real traffic.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Literal

from tests.support.html_check import utf16_len

ChatType = Literal["private", "group", "supergroup", "channel"]

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s])")


@dataclass(frozen=True)
class User:
    id: int
    first_name: str = "Тест"
    username: str | None = None
    language_code: str | None = "ru"
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    id: int
    type: ChatType = "private"
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False  # a supergroup with topics

    @classmethod
    def private(cls, user: User) -> Chat:
        return cls(user.id, "private", first_name=user.first_name, username=user.username)

    @classmethod
    def group(cls, chat_id: int, title: str = "Группа", supergroup: bool = True) -> Chat:
        return cls(chat_id, "supergroup" if supergroup else "group", title=title)

    @classmethod
    def forum(cls, chat_id: int, title: str = "Редакция") -> Chat:
        """A supergroup with topics (General plus the ones created with the stand-in)."""
        return cls(chat_id, "supergroup", title=title, is_forum=True)

    @classmethod
    def channel(cls, chat_id: int, title: str = "Канал") -> Chat:
        return cls(chat_id, "channel", title=title)

    @classmethod
    def from_id(cls, chat_id: int) -> Chat:
        """Guesses the type the way Telegram ids encode it (-100… supergroups, < 0 groups)."""
        if chat_id > 0:
            return cls(chat_id, "private", first_name="User")
        if str(chat_id).startswith("-100"):
            return cls(chat_id, "supergroup", title="Group")
        return cls(chat_id, "group", title="Group")

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.is_forum:
            data["is_forum"] = True
        return data

    def to_full_api(self) -> dict[str, Any]:
        """The ChatFullInfo shape returned by getChat."""
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **self.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }


def command_entities(text: str) -> list[dict[str, Any]]:
    """A bot_command entity for a leading command, as Telegram adds (incl. /cmd@botname)."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def addressed_to_other_bot(text: str, bot_username: str) -> bool:
    match = _COMMAND_RE.match(text)
    if match is None or "@" not in match.group(0):
        return False
    return match.group(0).split("@", 1)[1].lower() != bot_username.lower()


def message_payload(
    chat: Chat,
    user: User,
    message_id: int,
    text: str,
    reply_to: dict[str, Any] | None = None,
    topic: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """`topic`: (thread id, name) of the forum topic the message is written in; as Telegram
    does, a message in a topic that replies to nothing replies to the topic's creation."""
    data: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat.to_api(),
        "from": user.to_api(),
        "text": text,
    }
    if entities := command_entities(text):
        data["entities"] = entities
    if topic is not None:
        data["message_thread_id"] = topic[0]
        data["is_topic_message"] = True
        if reply_to is None:
            reply_to = topic_created_payload(chat, user, topic[0], topic[1])
    if reply_to is not None:
        data["reply_to_message"] = reply_to
    return data


def topic_created_payload(chat: Chat, user: User, thread_id: int, name: str) -> dict[str, Any]:
    """The service message that opened a forum topic (its id is the topic's thread id)."""
    return {
        "message_id": thread_id,
        "message_thread_id": thread_id,
        "date": int(time.time()),
        "chat": chat.to_api(),
        "from": user.to_api(),
        "is_topic_message": True,
        "forum_topic_created": {"name": name, "icon_color": 7322096},
    }


def my_chat_member_payload(
    chat: Chat, user: User, old: dict[str, Any], new: dict[str, Any]
) -> dict[str, Any]:
    """The bot's own membership changed (`my_chat_member`): who did it, from what to what."""
    return {
        "chat": chat.to_api(),
        "from": user.to_api(),
        "date": int(time.time()),
        "old_chat_member": old,
        "new_chat_member": new,
    }


def document_payload(
    chat: Chat,
    user: User,
    message_id: int,
    document: dict[str, Any],
    caption: str | None = None,
) -> dict[str, Any]:
    """A message carrying a document; a caption's leading command gets its entity, as text's."""
    data: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat.to_api(),
        "from": user.to_api(),
        "document": document,
    }
    if caption:
        data["caption"] = caption
        if entities := command_entities(caption):
            data["caption_entities"] = entities
    return data


def callback_payload(
    query_id: str, chat: Chat, user: User, message: dict[str, Any], data: str
) -> dict[str, Any]:
    return {
        "id": query_id,
        "from": user.to_api(),
        "message": message,
        "chat_instance": str(abs(chat.id) * 7919 % 10**12),
        "data": data,
    }


def inaccessible_message(chat: Chat, message_id: int) -> dict[str, Any]:
    """What a callback carries for a message the bot can no longer see (date 0)."""
    return {"chat": chat.to_api(), "message_id": message_id, "date": 0}
