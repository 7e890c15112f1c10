"""What a failed send means for the delivery: one table, so the policy is readable and tested.

Telegram tells us three different things through errors: "not now" (flood control: wait, it is
not the message's fault), "not this message" (bad request: retrying cannot help) and "not this
chat" (blocked, kicked, gone: stop talking to it; a channel that took away the bot's right to
post is one too). A forum topic closed or deleted is "not there": the message goes to the
group's General topic instead (bot/topics.py). Everything else is assumed transient.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import aiohttp
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

__all__ = ["Action", "Outcome", "classify"]


class Action(StrEnum):
    FLOOD = "flood"  # wait retry_after, then try again; not an attempt
    RETRY = "retry"  # transient: back off and count an attempt
    CHAT_GONE = "chat_gone"  # deactivate the chat and cancel its queue
    PLAIN = "plain"  # the HTML was refused: send once more as plain text
    REJECT = "reject"  # this message can never be sent: mark failed
    TOPIC_GONE = "topic_gone"  # the forum topic was closed or deleted: send to General


@dataclass(frozen=True)
class Outcome:
    action: Action
    reason: str
    retry_after: float = 0.0


# Telegram's words for a topic that cannot take messages: deleted ("message thread not
# found"), closed ("TOPIC_CLOSED"), and MTProto's TOPIC_DELETED should it ever surface.
_TOPIC_GONE = ("message thread not found", "topic_closed", "topic_deleted")


def _reason(exc: BaseException) -> str:
    text = exc.message if isinstance(exc, TelegramAPIError) else (str(exc) or type(exc).__name__)
    return f"{type(exc).__name__}: {text}"[:500]


def classify(exc: BaseException) -> Outcome:
    reason = _reason(exc)
    if isinstance(exc, TelegramRetryAfter):
        return Outcome(Action.FLOOD, reason, float(max(exc.retry_after, 1)))
    if isinstance(exc, TelegramForbiddenError):
        return Outcome(Action.CHAT_GONE, reason)
    if isinstance(exc, TelegramMigrateToChat):
        return Outcome(Action.CHAT_GONE, f"migrated to {exc.migrate_to_chat_id}")
    if isinstance(exc, TelegramBadRequest):
        text = exc.message.lower()
        if "chat not found" in text or "peer_id_invalid" in text or "user is deactivated" in text:
            return Outcome(Action.CHAT_GONE, reason)
        if "need administrator rights in the channel" in text:
            return Outcome(Action.CHAT_GONE, reason)  # the channel took the post right away
        if any(sign in text for sign in _TOPIC_GONE):
            return Outcome(Action.TOPIC_GONE, reason)
        if "can't parse entities" in text or "can't find end" in text:
            return Outcome(Action.PLAIN, reason)
        return Outcome(Action.REJECT, reason)
    if isinstance(
        exc,
        TelegramNetworkError | TelegramServerError | TimeoutError | aiohttp.ClientError,
    ):
        return Outcome(Action.RETRY, reason)
    # Unauthorized, Conflict, NotFound, decode errors, our own bugs: a human must look, but
    # the alert should survive until they do, so it is retried with backoff like a network error.
    return Outcome(Action.RETRY, reason)
