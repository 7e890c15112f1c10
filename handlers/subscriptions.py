"""/sub (with its prompt), /list and /unsub, and the buttons that pause and delete."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import SubAction, SubCb
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import subscriptions_keyboard, unsub_keyboard
from bot.middlewares import MANAGE
from bot.subscriptions import Refusal, SubscribeOutcome, SubscriptionService
from handlers.common import clip, describe_query, edit, editable, fits, pack, query_error
from storage import Chat, Repository, Subscription

# Of a query shown in a /sub reply (UTF-16 units): a saved query is at most 256 characters,
# a refused one may be anything the user sent.
_DETAILED_UNITS = 600
_ECHO_UNITS = 120
_LIST_UNITS = 60  # of a query in /list, when all of them fit
_MANAGE = {MANAGE: True}


class SubForm(StatesGroup):
    query = State()


def _outcome_block(o: SubscribeOutcome, tr: Texts, limit: int, detailed: bool) -> str:
    shown = clip(o.raw, _DETAILED_UNITS if detailed else _ECHO_UNITS)
    if o.subscription is not None and o.query is not None:
        block: str = tr("sub.saved", query=shown)
        if detailed:
            block += "\n" + describe_query(o.query, tr)
        return block
    if o.refusal == Refusal.DUPLICATE:
        return tr("sub.duplicate", query=shown)
    if o.refusal == Refusal.LIMIT:
        return tr("sub.limit", query=shown, limit=limit)
    if o.error is not None:
        return tr("sub.invalid", query=shown, error=query_error(o.error, tr))
    return tr("sub.invalid", query=shown, error=tr("qerr.empty"))


def render_outcomes(outcomes: Sequence[SubscribeOutcome], tr: Texts, limit: int) -> list[Html]:
    """One block per query: saved (and how it was understood) or why not.

    All of it in one message when it fits; otherwise one line per query, the queries
    shortened, over as few messages as Telegram's limits allow (at most three, then a count).
    """
    saved = any(o.subscription is not None for o in outcomes)
    footer: list[str] = [tr("sub.footer")] if saved else []
    detailed = "\n\n".join([*(_outcome_block(o, tr, limit, True) for o in outcomes), *footer])
    if fits(detailed):
        return [Html(detailed)]
    blocks = [_outcome_block(o, tr, limit, False) for o in outcomes]
    messages = pack(blocks, more=lambda n: tr("sub.more", count=n), separator="\n")
    if footer and fits(messages[-1] + "\n\n" + footer[0]):
        messages[-1] = Html(messages[-1] + "\n\n" + footer[0])
    return messages


async def subscribe_and_reply(
    message: Message,
    text: str,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    outcomes = await subscriptions.subscribe_many(message.chat.id, text, clock())
    if not outcomes:
        await message.answer(tr("sub.nothing"))
        return
    for reply in render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat):
        await message.answer(reply)


async def sub_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    if not (command.args or "").strip():
        await state.set_state(SubForm.query)
        if message.chat.type == ChatType.PRIVATE:
            await message.answer(tr("sub.prompt"))
        else:  # with privacy mode on, the bot sees only replies to its own messages
            await message.reply(tr("sub.prompt"), reply_markup=ForceReply(selective=True))
        return
    await subscribe_and_reply(message, command.args or "", subscriptions, settings, clock, tr)


async def sub_prompt_answer(
    message: Message,
    state: FSMContext,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    await state.set_state(None)  # keeps the offers made earlier in this chat
    await subscribe_and_reply(message, message.text or "", subscriptions, settings, clock, tr)


def list_view(
    subs: Sequence[Subscription], chat: Chat, settings: Settings, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The numbered list in one message (its buttons act on it in place).

    Queries are shortened as much as it takes for the whole list to fit Telegram's limit,
    whatever their letters cost (a mathematical bold 𝐀 counts two units).
    """
    if not subs:
        return tr("list.empty"), None
    limit = settings.max_subscriptions_per_chat
    head: list[str] = [tr("list.header", count=len(subs), limit=limit)]
    if chat.paused:
        head.append(tr("list.chat_paused"))
    width = _LIST_UNITS
    while True:
        lines = [*head, ""]
        for n, sub in enumerate(subs, 1):
            key = "list.line_paused" if sub.paused else "list.line"
            lines.append(tr(key, n=n, query=clip(sub.query, width)))
        lines += ["", tr("list.hint")]
        text = Html("\n".join(lines))
        if fits(text) or width <= 8:
            return text, subscriptions_keyboard(subs, tr)
        width = width * 3 // 4


async def list_command(
    message: Message, repo: Repository, settings: Settings, chat_record: Chat, tr: Texts
) -> None:
    subs = await repo.subscriptions.for_chat(message.chat.id)
    text, markup = list_view(subs, chat_record, settings, tr)
    await message.answer(text, reply_markup=markup)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


async def unsub_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    subscriptions: SubscriptionService,
    tr: Texts,
) -> None:
    subs = await repo.subscriptions.for_chat(message.chat.id)
    arg = (command.args or "").strip()
    if not arg:
        if not subs:
            await message.answer(tr("list.empty"))
        else:
            await message.answer(tr("unsub.ask"), reply_markup=unsub_keyboard(subs, tr))
        return
    target: Subscription | None = None
    if arg.isascii() and arg.isdigit():
        n = int(arg)
        if not 1 <= n <= len(subs):
            await message.answer(tr("unsub.no_number", n=n, count=len(subs)))
            return
        target = subs[n - 1]
    else:
        target = next((s for s in subs if s.query == arg), None) or next(
            (s for s in subs if _same(s.query, arg)), None
        )
    removed = await subscriptions.remove(message.chat.id, target.id) if target else None
    if removed is None:
        await message.answer(tr("unsub.not_found", query=clip(arg, _ECHO_UNITS)))
        return
    await message.answer(tr("unsub.done", query=clip(removed.query, _ECHO_UNITS)))


async def sub_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    chat_id = chat_record.id
    action = callback_data.action
    sub_id = callback_data.sub_id
    changed: Subscription | None
    if action in (SubAction.PAUSE, SubAction.RESUME):
        changed = await subscriptions.set_paused(chat_id, sub_id, action == SubAction.PAUSE)
        done = "cb.paused" if action == SubAction.PAUSE else "cb.resumed"
    else:
        changed = await subscriptions.remove(chat_id, sub_id)
        done = "cb.deleted"
    callback_answer.text = tr.plain(done if changed is not None else "cb.stale_sub")
    message = editable(query)
    if action == SubAction.UNSUB:
        if changed is not None and message is not None:
            await message.answer(tr("unsub.done", query=clip(changed.query, _ECHO_UNITS)))
        if message is not None and _is_unsub_list(message):
            subs = await repo.subscriptions.for_chat(chat_id)
            await edit(
                message,
                tr("unsub.ask") if subs else tr("list.empty"),
                unsub_keyboard(subs, tr) if subs else None,
            )
        return
    if message is not None:  # redraw the list so it shows what is true now
        subs = await repo.subscriptions.for_chat(chat_id)
        text, markup = list_view(subs, chat_record, settings, tr)
        await edit(message, text, markup)


def _is_unsub_list(message: Message) -> bool:
    """An /unsub picker (only delete buttons), as opposed to an alert's buttons."""
    markup = message.reply_markup
    if markup is None:
        return False
    data = [b.callback_data or "" for row in markup.inline_keyboard for b in row]
    prefix = SubCb(action=SubAction.UNSUB, sub_id=0).pack().rsplit(":", 1)[0] + ":"
    return bool(data) and all(d.startswith(prefix) for d in data)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(sub_command, Command("sub", "subscribe"), flags=_MANAGE)
    router.message.register(list_command, Command("list"))
    router.message.register(unsub_command, Command("unsub", "unsubscribe"), flags=_MANAGE)
    router.message.register(
        sub_prompt_answer, StateFilter(SubForm.query), F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(sub_button, SubCb.filter(), flags=_MANAGE)
    return router
