"""Every request of the bot built by `build_bot` goes through the one message budget.

Against the Bot API stand-in with Telegram's limits on: replies are paced instead of refused,
a 429 is waited out instead of lost, calls that are not messages pass at once, and the
delivery worker's alerts queue behind replies in the same budget.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, GetMe, SendMessage

from bot.app import build_bot
from bot.delivery import SendBudget
from bot.delivery.throttle import is_message, target_chat
from bot.matching import Analyzer
from storage import Repository
from tests.delivery.delivery_kit import Seeder, make_settings, make_worker, telegram_budget
from tests.support.botapi import BotApiStub
from tests.support.limits import Limits


@pytest.fixture
async def budget() -> SendBudget:
    return telegram_budget()


@pytest.fixture
async def paced(stub: BotApiStub, budget: SendBudget) -> AsyncIterator[Bot]:
    """The bot exactly as `python -m bot` builds it, at the stand-in."""
    stub.tokens = None
    bot = build_bot(make_settings(TELEGRAM_API_URL=stub.base_url), budget)
    yield bot
    await bot.session.close()
    budget.close()


async def test_replies_to_forty_chats_at_once_all_arrive_without_a_429(
    stub: BotApiStub, paced: Bot
) -> None:
    stub.enable_limits(Limits())
    chats = list(range(1, 41))
    await asyncio.gather(*(paced.send_message(chat, "✅ подписка сохранена") for chat in chats))
    assert stub.count_429 == 0
    assert sorted(m.chat_id for m in stub.messages()) == chats


async def test_two_replies_in_one_chat_are_spaced_a_second_apart(
    stub: BotApiStub, paced: Bot
) -> None:
    stub.enable_limits(Limits())
    first = await paced.send_message(7, "первый ответ")
    await paced.edit_message_text("исправлено", chat_id=7, message_id=first.message_id)
    await paced.send_message(7, "второй ответ")
    assert stub.count_429 == 0
    calls = [c for c in stub.calls() if c.chat_id == 7]
    assert [c.method for c in calls] == ["sendMessage", "editMessageText", "sendMessage"]
    assert all(b.at - a.at >= 1.0 for a, b in itertools.pairwise(calls))


async def test_a_chat_with_many_replies_waiting_does_not_delay_another_chats_reply(
    stub: BotApiStub, paced: Bot
) -> None:
    stub.enable_limits(Limits())
    busy = [asyncio.create_task(paced.send_message(1, f"ответ {n}")) for n in range(5)]
    await stub.wait_messages(1, 1)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    await paced.send_message(2, "ответ другому чату")
    waited = loop.time() - asked
    assert len(stub.messages(1)) == 1  # chat 1's other four are still a second apart each
    assert waited < 0.5
    for task in busy:
        task.cancel()
    await asyncio.gather(*busy, return_exceptions=True)
    assert stub.count_429 == 0


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_arrives(
    stub: BotApiStub, paced: Bot, budget: SendBudget
) -> None:
    stub.fail_next("sendMessage", 1, "429", retry_after=1)
    sent = await paced.send_message(5, "ответ")
    calls = stub.calls("sendMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert stub.messages(5)[0].message_id == sent.message_id


async def test_calls_that_are_not_messages_neither_wait_for_nor_use_the_budget(
    stub: BotApiStub, paced: Bot, budget: SendBudget
) -> None:
    budget.pause_all(30.0)  # as if Telegram had just refused a message for 30 s
    async with asyncio.timeout(2.0):
        me = await paced.get_me()
        await paced.set_my_commands([])
        await paced.send_chat_action(5, "typing")
    assert me.username == stub.bot_user.username
    assert budget.limiter.window_delay() == 0.0  # nothing was counted


def test_what_counts_as_a_message_is_what_telegram_limits() -> None:
    counted = [
        "sendMessage",
        "sendPhoto",
        "sendMediaGroup",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "copyMessage",
        "forwardMessage",
    ]
    free = [
        "getUpdates",
        "getMe",
        "setMyCommands",
        "answerCallbackQuery",
        "deleteMessage",
        "sendChatAction",
        "getChatMember",
        "setChatMenuButton",
        "deleteWebhook",
    ]
    assert [m for m in counted if not is_message(m)] == []
    assert [m for m in free if is_message(m)] == []


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (SendMessage(chat_id=42, text="x"), (42, False)),
        (SendMessage(chat_id=-1001234, text="x"), (-1001234, True)),
        (SendMessage(chat_id="@channel", text="x"), ("@channel", True)),
        (AnswerCallbackQuery(callback_query_id="1"), (None, False)),
        (GetMe(), (None, False)),
    ],
)
def test_the_chat_a_request_writes_to_decides_its_limits(method: Any, expected: Any) -> None:
    assert target_chat(method) == expected


async def test_a_reply_goes_ahead_of_a_backlog_of_alerts_in_the_same_budget(
    stub: BotApiStub, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    stub.enable_limits(Limits())
    budget = telegram_budget(rate=10.0)
    bot = build_bot(make_settings(TELEGRAM_API_URL=stub.base_url), budget)
    chats = list(range(1, 61))
    for chat in chats:
        await seed.chat(chat)
    await seed.alerts(chats, per_chat=1)
    worker = make_worker(bot, repo, analyzer, budget=budget)
    task = asyncio.create_task(worker.run())
    try:
        await stub.wait_for(lambda: len(stub.messages()) >= 10, timeout=10)
        before = len(stub.messages())
        await bot.send_message(999, "ответ на команду")
        alerts_first = len(stub.messages(None)) - before - 1
        assert alerts_first <= 2  # at most the slots already granted went before it
        await stub.wait_for(lambda: len(stub.messages()) >= 61, timeout=15)
    finally:
        await worker.stop()
        await task
        await bot.session.close()
        budget.close()
    assert stub.count_429 == 0
    span = stub.messages()[-1].at - stub.messages()[0].at
    assert 61 / span <= 10.0 * 1.1  # one rate for replies and alerts together
