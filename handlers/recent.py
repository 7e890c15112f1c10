"""/recent: the chat's latest alerts, or a search of stored news; pages by buttons.

A search's page buttons carry the id of the stored search (`bot.search.paged_search`), so
paging works for anyone in a group and after a restart, and never reads the page's text.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import RecentCb, RecentKind
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.matching import QueryError
from bot.matching.offload import SlicedAnalysis
from bot.search import delivered, paged_search
from bot.subscriptions import SubscriptionService
from bot.views.query import query_error
from bot.views.recent import render_delivered, render_search
from handlers.buttons import OnMessage, edit
from storage import Chat, Repository


async def _search_view(
    raw: str,
    page: int,
    ref: int,
    chat: Chat,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
    analysis: SlicedAnalysis,
) -> tuple[Html, InlineKeyboardMarkup | None]:
    try:
        query = subscription_service.compile(" ".join(raw.split()))
    except QueryError as error:
        return tr("sub.invalid", query=raw, error=query_error(error, tr)), None
    found = await paged_search(
        repo,
        subscription_service.analyzer,
        query,
        chat_id=chat.id,
        now=clock(),
        days=settings.retention_days,
        page=page,
        ref=ref,
        analysis=analysis,
    )
    return render_search(query.raw, found, chat, settings.retention_days, tr)


async def recent_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
    analysis: SlicedAnalysis,
) -> None:
    raw = (command.args or "").strip()
    if raw:
        text, markup = await _search_view(
            raw, 0, 0, chat_record, repo, subscription_service, settings, clock, tr, analysis
        )
    else:
        page = await delivered(repo, chat_record.id, page=0)
        text, markup = render_delivered(page, chat_record, tr)
    await message.answer(text, reply_markup=markup)


async def delivered_page(
    query: CallbackQuery,
    callback_data: RecentCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    chat_record: Chat,
    tr: Texts,
) -> None:
    found = await delivered(repo, chat_record.id, page=max(callback_data.page, 0))
    if not found.found:
        callback_answer.text = tr.plain("recent.no_page")
        return
    await edit(message, *render_delivered(found, chat_record, tr))


async def similar_button(
    query: CallbackQuery,
    callback_data: RecentCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
    analysis: SlicedAnalysis,
) -> None:
    """«Похожие» under an alert: a search for that subscription, as a new message."""
    sub = await repo.subscriptions.get(callback_data.ref)
    if sub is None or sub.chat_id != chat_record.id:
        callback_answer.text = tr.plain("cb.stale_sub")
        return
    text, markup = await _search_view(
        sub.query, 0, 0, chat_record, repo, subscription_service, settings, clock, tr, analysis
    )
    await message.answer(text, reply_markup=markup)


async def search_page(
    query: CallbackQuery,
    callback_data: RecentCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
    analysis: SlicedAnalysis,
) -> None:
    raw = await repo.searches.query(chat_record.id, callback_data.ref)
    if raw is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    page, ref = max(callback_data.page, 0), callback_data.ref
    text, markup = await _search_view(
        raw, page, ref, chat_record, repo, subscription_service, settings, clock, tr, analysis
    )
    await edit(message, text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(recent_command, Command("recent"))
    for kind, handler in (
        (RecentKind.DELIVERED, delivered_page),
        (RecentKind.SIMILAR, similar_button),
        (RecentKind.SEARCH, search_page),
    ):
        router.callback_query.register(handler, RecentCb.filter(F.kind == kind), OnMessage())
    return router
