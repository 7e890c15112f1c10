"""What Telegram's refusals mean for topics and channels, and that both sides of the send
budget count a channel as a group (Telegram's 20 messages a minute)."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendMessage

from bot.delivery.outcome import Action, classify
from bot.delivery.throttle import target_chat
from storage import ChatKind

_SEND = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("description", "action"),
    [
        ("Bad Request: message thread not found", Action.TOPIC_GONE),
        ("Bad Request: TOPIC_CLOSED", Action.TOPIC_GONE),
        ("Bad Request: TOPIC_DELETED", Action.TOPIC_GONE),
        ("Bad Request: need administrator rights in the channel chat", Action.CHAT_GONE),
        ("Bad Request: message is too long", Action.REJECT),
    ],
)
def test_telegrams_refusal_of_a_topic_or_a_channel_means(description: str, action: Action) -> None:
    assert classify(TelegramBadRequest(_SEND, description)).action is action


@pytest.mark.parametrize(
    ("kind", "chat_id"),
    [
        (ChatKind.PRIVATE, 101),
        (ChatKind.GROUP, -4001),
        (ChatKind.SUPERGROUP, -1001234567890),
        (ChatKind.CHANNEL, -1008880001),
    ],
)
def test_the_worker_and_the_request_middleware_agree_on_who_is_paced_as_a_group(
    kind: ChatKind, chat_id: int
) -> None:
    _, by_id = target_chat(SendMessage(chat_id=chat_id, text="x"))
    assert kind.paced_as_group == by_id
