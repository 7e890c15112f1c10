"""/sub (with its prompt), /list and /unsub; the buttons they show are in subscription_buttons."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import ForceReply, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import subscriptions_keyboard, unsub_keyboard
from bot.middlewares import MANAGE
from bot.subscriptions import Refusal, SubscribeOutcome, SubscriptionService, split_queries
from bot.views.fit import clip
from bot.views.subscriptions import (
    render_list,
    render_outcomes,
    render_removed,
    render_unsub_missing,
)
from storage import Chat, Repository, Subscription

_MANAGE = {MANAGE: True}
_URGENT_UNITS = 300


class SubForm(StatesGroup):
    query = State()


async def subscribe_and_reply(
    message: Message,
    text: str,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
    *,
    repo: Repository | None = None,
) -> None:
    """Subscribe the chat to every query in `text` and say what became of each.

    A query written with a leading `!` (`/sub !Лавров`) is urgent: it breaks through quiet
    hours and digests. The mark is taken off here, never read by the query language; a query
    the chat already has becomes urgent.
    """
    now = clock()
    parts = split_queries(text) if repo is not None else []
    urgent = [_marked_urgent(part) for part in parts]
    if any(urgent):
        outcomes = [
            await subscription_service.subscribe(
                message.chat.id, part.lstrip("!").strip() if wanted else part, now
            )
            for part, wanted in zip(parts, urgent, strict=True)
        ]
    else:  # the usual path, untouched
        outcomes = await subscription_service.subscribe_many(message.chat.id, text, now)
    marked: list[str] = []
    if any(urgent) and repo is not None:
        for outcome, wanted in zip(outcomes, urgent, strict=True):
            if wanted and (sub := await _subscription_of(outcome, message.chat.id, repo)):
                await repo.subscriptions.set_urgent(sub.id, True)
                marked.append(sub.query)
    for reply in render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat):
        await message.answer(reply)
    if marked:
        await message.answer(tr("urgent.marked", queries=clip(", ".join(marked), _URGENT_UNITS)))


def _marked_urgent(part: str) -> bool:
    """`!Лавров`: a query behind the mark (`/sub !!!` stays a query to explain)."""
    return part.startswith("!") and any(ch.isalnum() for ch in part)


async def _subscription_of(
    outcome: SubscribeOutcome, chat_id: int, repo: Repository
) -> Subscription | None:
    """The subscription a /sub query made, or the one the chat already had for it."""
    if outcome.subscription is not None:
        return outcome.subscription
    if outcome.refusal is Refusal.DUPLICATE and outcome.query is not None:
        return await repo.subscriptions.find(chat_id, outcome.query.raw)
    return None


async def sub_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    text = command.args or ""
    if text.strip():
        await subscribe_and_reply(
            message, text, subscription_service, settings, clock, tr, repo=repo
        )
        return
    await state.set_state(SubForm.query)
    if message.chat.type == ChatType.PRIVATE:
        await message.answer(tr("sub.prompt"))
    else:  # with privacy mode on, the bot sees only replies to its own messages
        await message.reply(tr("sub.prompt"), reply_markup=ForceReply(selective=True))


async def sub_prompt_answer(
    message: Message,
    state: FSMContext,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    await state.set_state(None)  # keeps the offers made earlier in this chat
    text = message.text or ""
    await subscribe_and_reply(message, text, subscription_service, settings, clock, tr, repo=repo)


def list_reply(
    subs: Sequence[Subscription], chat: Chat, settings: Settings, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The /list message and its buttons, which act on it in place."""
    text = render_list(subs, chat, settings.max_subscriptions_per_chat, tr)
    return text, subscriptions_keyboard(subs, tr) if subs else None


async def list_command(
    message: Message, repo: Repository, settings: Settings, chat_record: Chat, tr: Texts
) -> None:
    subs = await repo.subscriptions.for_chat(chat_record.id)
    text, markup = list_reply(subs, chat_record, settings, tr)
    await message.answer(text, reply_markup=markup)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _find(subs: Sequence[Subscription], typed: str) -> Subscription | None:
    """The subscription written as `typed`: exactly, or up to spacing and case."""
    exact = next((s for s in subs if s.query == typed), None)
    return exact or next((s for s in subs if _same(s.query, typed)), None)


async def unsub_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    subscription_service: SubscriptionService,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """`/unsub 2` or `/unsub Лавров`; without an argument, a button for each subscription."""
    subs = await repo.subscriptions.for_chat(chat_record.id)
    typed = (command.args or "").strip()
    if not typed:
        if not subs:
            await message.answer(tr("list.empty"))
        else:
            await message.answer(tr("unsub.ask"), reply_markup=unsub_keyboard(subs, tr))
        return
    if typed.isascii() and typed.isdigit():
        n = int(typed)
        if not 1 <= n <= len(subs):
            await message.answer(tr("unsub.no_number", n=n, count=len(subs)))
            return
        target: Subscription | None = subs[n - 1]
    else:
        target = _find(subs, typed)
    removed = await subscription_service.remove(chat_record.id, target.id) if target else None
    if removed is None:
        await message.answer(render_unsub_missing(typed, tr))
        return
    await message.answer(render_removed(removed, tr))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(sub_command, Command("sub", "subscribe"), flags=_MANAGE)
    router.message.register(list_command, Command("list"))
    router.message.register(unsub_command, Command("unsub", "unsubscribe"), flags=_MANAGE)
    router.message.register(
        sub_prompt_answer, StateFilter(SubForm.query), F.text, ~F.text.startswith("/")
    )
    return router
