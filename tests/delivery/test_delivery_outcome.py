"""What each Telegram answer means for a delivery: the policy table of the worker."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage

from bot.delivery import Action, classify

M = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("exc", "action"),
    [
        (TelegramRetryAfter(M, "Too Many Requests: retry after 7", 7), Action.FLOOD),
        (TelegramForbiddenError(M, "Forbidden: bot was blocked by the user"), Action.CHAT_GONE),
        (
            TelegramForbiddenError(M, "Forbidden: bot was kicked from the group chat"),
            Action.CHAT_GONE,
        ),
        (TelegramForbiddenError(M, "Forbidden: user is deactivated"), Action.CHAT_GONE),
        (TelegramBadRequest(M, "Bad Request: chat not found"), Action.CHAT_GONE),
        (TelegramMigrateToChat(M, "group upgraded", -100555), Action.CHAT_GONE),
        (
            TelegramBadRequest(M, "Bad Request: can't parse entities: Unsupported start tag"),
            Action.PLAIN,
        ),
        (TelegramBadRequest(M, "Bad Request: message is too long"), Action.REJECT),
        (TelegramNetworkError(M, "ClientConnectionError: dropped"), Action.RETRY),
        (TelegramServerError(M, "Internal Server Error"), Action.RETRY),
        (TimeoutError(), Action.RETRY),
        (aiohttp.ServerDisconnectedError(), Action.RETRY),
        (TelegramUnauthorizedError(M, "Unauthorized"), Action.RETRY),
        (RuntimeError("surprise"), Action.RETRY),
    ],
)
def test_each_error_maps_to_one_action(exc: BaseException, action: Action) -> None:
    outcome = classify(exc)
    assert outcome.action is action
    assert outcome.reason  # every failure is logged and stored with a reason


def test_flood_control_carries_telegrams_wait() -> None:
    outcome = classify(TelegramRetryAfter(M, "Too Many Requests: retry after 7", 7))
    assert outcome.retry_after == 7.0
    assert "retry after 7" in outcome.reason
