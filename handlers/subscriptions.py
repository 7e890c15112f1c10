"""/sub (with its prompt), /list and /unsub, and the buttons that pause and delete."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot, F, Router
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
from bot.subscriptions import Refusal, SubscribeOutcome, SubscriptionService
from handlers.common import (
    callback_may_manage,
    clip,
    describe_query,
    edit,
    editable,
    message_may_manage,
    query_error,
)
from storage import Chat, Repository, Subscription

_MAX_REPLY = 3800  # characters; Telegram's limit is 4096 after entity parsing


class SubForm(StatesGroup):
    query = State()


def render_outcomes(
    outcomes: Sequence[SubscribeOutcome], tr: Texts, limit: int, detailed: bool = True
) -> Html:
    """One block per query: saved (and how it was understood) or why not."""
    blocks: list[str] = []
    for o in outcomes:
        block: str
        if o.subscription is not None and o.query is not None:
            block = tr("sub.saved", query=o.raw)
            if detailed:
                block += "\n" + describe_query(o.query, tr)
        elif o.refusal == Refusal.DUPLICATE:
            block = tr("sub.duplicate", query=o.raw)
        elif o.refusal == Refusal.LIMIT:
            block = tr("sub.limit", query=o.raw, limit=limit)
        elif o.error is not None:
            block = tr("sub.invalid", query=o.raw, error=query_error(o.error, tr))
        else:
            block = tr("sub.invalid", query=o.raw, error=tr("qerr.empty"))
        blocks.append(block)
    if any(o.subscription is not None for o in outcomes):
        blocks.append(tr("sub.footer"))
    text: str = "\n\n".join(blocks)
    if len(text) > _MAX_REPLY and detailed:
        return render_outcomes(outcomes, tr, limit, detailed=False)
    if len(text) > _MAX_REPLY:
        kept: list[str] = []
        for block in blocks:
            if sum(len(b) + 2 for b in kept) + len(block) > _MAX_REPLY - 10:
                kept.append("…")
                break
            kept.append(block)
        text = "\n\n".join(kept)
    return Html(text)


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
    await message.answer(render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat))


async def sub_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
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
    await state.clear()
    await subscribe_and_reply(message, message.text or "", subscriptions, settings, clock, tr)


def list_view(
    subs: Sequence[Subscription], chat: Chat, settings: Settings, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not subs:
        return tr("list.empty"), None
    limit = settings.max_subscriptions_per_chat
    lines: list[str] = [tr("list.header", count=len(subs), limit=limit)]
    if chat.paused:
        lines.append(tr("list.chat_paused"))
    lines.append("")
    for n, sub in enumerate(subs, 1):
        key = "list.line_paused" if sub.paused else "list.line"
        lines.append(tr(key, n=n, query=clip(sub.query, 60)))  # 50 of them fit one message
    lines += ["", tr("list.hint")]
    return Html("\n".join(lines)), subscriptions_keyboard(subs, tr)


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
    bot: Bot,
    repo: Repository,
    subscriptions: SubscriptionService,
    tr: Texts,
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
    subs = await repo.subscriptions.for_chat(message.chat.id)
    arg = (command.args or "").strip()
    if not arg:
        if not subs:
            await message.answer(tr("list.empty"))
        else:
            await message.answer(tr("unsub.ask"), reply_markup=unsub_keyboard(subs, tr))
        return
    target: Subscription | None = None
    if arg.isdigit():
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
        await message.answer(tr("unsub.not_found", query=arg))
        return
    await message.answer(tr("unsub.done", query=removed.query))


async def sub_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    bot: Bot,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    if not await callback_may_manage(query, bot):
        callback_answer.text = tr.plain("cb.not_admin")
        return
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
            await message.answer(tr("unsub.done", query=changed.query))
        if message is not None and _is_unsub_list(message):
            subs = await repo.subscriptions.for_chat(chat_id)
            await edit(message, tr("unsub.ask") if subs else tr("list.empty"),
                       unsub_keyboard(subs, tr) if subs else None)
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
    router.message.register(sub_command, Command("sub", "subscribe"))
    router.message.register(list_command, Command("list"))
    router.message.register(unsub_command, Command("unsub", "unsubscribe"))
    router.message.register(
        sub_prompt_answer, StateFilter(SubForm.query), F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(sub_button, SubCb.filter())
    return router
