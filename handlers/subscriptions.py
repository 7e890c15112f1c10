"""/sub (with its prompt), /list and /unsub; the buttons they show are in subscription_buttons.

In a forum topic, /sub binds the subscription to the topic (its alerts go there), and /list
and /unsub see the topic's subscriptions (the whole group's list is a button away). In General,
or any other chat, they see all of the chat's. Configuring a channel from a private chat, the
replies start with the channel's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import ForceReply, InlineKeyboardMarkup, Message

from bot.callbacks import ListScope
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import list_scope_button, subscriptions_keyboard, unsub_keyboard
from bot.middlewares import MANAGE
from bot.subscriptions import Refusal, SubscribeOutcome, SubscriptionService, split_queries
from bot.topics import topic_label, topic_name_of
from bot.tuning.snooze import awake
from bot.views.fit import clip, fits
from bot.views.subscriptions import (
    render_list,
    render_outcomes,
    render_removed,
    render_unsub_missing,
)
from bot.views.targets import target_header
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
    chat: Chat | None = None,
    topic: int = 0,
) -> None:
    """Subscribe the chat to every query in `text` and say what became of each.

    A query written with a leading `!` (`/sub !Лавров`) is urgent: it breaks through quiet
    hours and digests. The mark is taken off here, never read by the query language; a query
    the chat already has becomes urgent. `chat`: the chat configured (a channel picked with
    /chat; default: the message's own chat); `topic`: the forum topic it was sent in.
    """
    now = clock()
    chat_id = chat.id if chat is not None else message.chat.id
    parts = split_queries(text) if repo is not None else []
    urgent = [_marked_urgent(part) for part in parts]
    if repo is not None and topic and (name := topic_name_of(message)):
        await repo.topics.name(chat_id, topic, name)
    if any(urgent):
        outcomes = [
            await subscription_service.subscribe(
                chat_id, part.lstrip("!").strip() if wanted else part, now, thread_id=topic
            )
            for part, wanted in zip(parts, urgent, strict=True)
        ]
    else:  # the usual path, untouched
        outcomes = await subscription_service.subscribe_many(chat_id, text, now, thread_id=topic)
    marked: list[str] = []
    if any(urgent) and repo is not None:
        for outcome, wanted in zip(outcomes, urgent, strict=True):
            if wanted and (sub := await _subscription_of(outcome, chat_id, topic, repo)):
                await repo.subscriptions.set_urgent(sub.id, True)
                marked.append(sub.query)
    replies = render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat)
    header = target_header(chat, tr) if chat is not None else None
    if header is not None:
        replies = _headed(header, replies)
    for reply in replies:
        await message.answer(reply)
    if marked:
        await message.answer(tr("urgent.marked", queries=clip(", ".join(marked), _URGENT_UNITS)))


def _headed(header: Html, replies: list[Html]) -> list[Html]:
    """The channel's name on top of the first reply (or alone, if that one is full)."""
    first = Html(header + "\n\n" + replies[0])
    return [first, *replies[1:]] if fits(first) else [header, *replies]


def _marked_urgent(part: str) -> bool:
    """`!Лавров`: a query behind the mark (`/sub !!!` stays a query to explain)."""
    return part.startswith("!") and any(ch.isalnum() for ch in part)


async def _subscription_of(
    outcome: SubscribeOutcome, chat_id: int, topic: int, repo: Repository
) -> Subscription | None:
    """The subscription a /sub query made, or the one the chat (topic) already had for it."""
    if outcome.subscription is not None:
        return outcome.subscription
    if outcome.refusal is Refusal.DUPLICATE and outcome.query is not None:
        return await repo.subscriptions.find(chat_id, outcome.query.raw, topic)
    return None


async def sub_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    topic: int,
    tr: Texts,
) -> None:
    text = command.args or ""
    if text.strip():
        await subscribe_and_reply(
            message,
            text,
            subscription_service,
            settings,
            clock,
            tr,
            repo=repo,
            chat=chat_record,
            topic=topic,
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
    chat_record: Chat,
    topic: int,
    tr: Texts,
) -> None:
    await state.set_state(None)  # keeps the offers made earlier in this chat
    text = message.text or ""
    await subscribe_and_reply(
        message,
        text,
        subscription_service,
        settings,
        clock,
        tr,
        repo=repo,
        chat=chat_record,
        topic=topic,
    )


def list_reply(
    subs: Sequence[Subscription],
    chat: Chat,
    settings: Settings,
    tr: Texts,
    now: datetime | None = None,
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The /list message and its buttons, which act on it in place; `now` tells a snooze
    still running from one that ended."""
    subs = awake(subs, now or utc_now())
    head = [h] if (h := target_header(chat, tr)) is not None else []
    text = render_list(subs, chat, settings.max_subscriptions_per_chat, tr, head=head)
    return text, subscriptions_keyboard(subs, tr) if subs else None


async def listed(repo: Repository, chat: Chat, topic: int) -> list[Subscription]:
    """What /list and /unsub number: a forum topic's subscriptions, or all of the chat's."""
    if topic:
        return await repo.subscriptions.in_topic(chat.id, topic)
    return await repo.subscriptions.for_chat(chat.id)


async def list_view(
    repo: Repository,
    chat: Chat,
    topic: int,
    settings: Settings,
    tr: Texts,
    scope: ListScope = ListScope.TOPIC,
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """/list as seen from where it was asked: in a topic, that topic's subscriptions with a
    button to the whole group's; the whole group's list (from a topic) shows which topic each
    subscription alerts in and only the button back, so the buttons of a list always act on
    what it shows. Elsewhere: every subscription, each in a topic marked."""
    limit = settings.max_subscriptions_per_chat
    topics = {t: topic_label(t, n.name) for t, n in (await repo.topics.for_chat(chat.id)).items()}
    if not topic:
        subs = await repo.subscriptions.for_chat(chat.id)
        head = [h] if (h := target_header(chat, tr)) is not None else []
        text = render_list(subs, chat, limit, tr, topics=topics, head=head)
        return text, subscriptions_keyboard(subs, tr) if subs else None
    if scope is ListScope.GROUP:
        subs = await repo.subscriptions.for_chat(chat.id)
        text = render_list(subs, chat, limit, tr, topics=topics, head=[tr("list.group")])
        back = list_scope_button(ListScope.TOPIC, tr)
        return text, InlineKeyboardMarkup(inline_keyboard=[back])
    subs = await repo.subscriptions.in_topic(chat.id, topic)
    head = [tr("list.topic", topic=topics.get(topic) or topic_label(topic, None))]
    if subs:
        text = render_list(subs, chat, limit, tr, head=head)
        rows = subscriptions_keyboard(subs, tr).inline_keyboard
    else:
        text, rows = Html("\n".join([*head, tr("list.topic_empty")])), []
    whole = list_scope_button(ListScope.GROUP, tr)
    return text, InlineKeyboardMarkup(inline_keyboard=[*rows, whole])


async def list_command(
    message: Message,
    repo: Repository,
    settings: Settings,
    chat_record: Chat,
    topic: int,
    tr: Texts,
) -> None:
    text, markup = await list_view(repo, chat_record, topic, settings, tr)
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
    topic: int,
    tr: Texts,
) -> None:
    """`/unsub 2` or `/unsub Лавров`; without an argument, a button for each subscription
    (in a forum topic: of the topic's, numbered as its /list)."""
    subs = await listed(repo, chat_record, topic)
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
