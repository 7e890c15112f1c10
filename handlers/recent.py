"""/recent: the chat's latest alerts, or a search of stored news; pages by buttons.

A search page starts with «🔎 QUERY», and the page buttons read the query back from it: the
payload stays a page number, and paging works for anyone in a group and after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.app import Services
from bot.callbacks import RecentCb, RecentKind
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import pages_keyboard
from bot.matching import CompiledQuery, QueryError
from bot.matching.offload import SlicedAnalysis
from bot.search import PER_PAGE, Page, delivered, search
from bot.subscriptions import SubscriptionService
from handlers.common import clip, edit, editable, fits, link, local_time, query_error
from storage import Chat, Repository

SEARCH_MARK = "🔎 "
# Title and source lengths (UTF-16 units) tried in turn until a page fits one message.
_CLIPS = ((200, 60), (140, 40), (90, 30), (60, 20), (30, 12))


def _items(page: Page, chat: Chat, tr: Texts, title_units: int, source_units: int) -> list[str]:
    lines: list[str] = []
    for i, found in enumerate(page.found):
        item = found.item
        source = clip(item.source, source_units) + " · " if item.source else ""
        lines.append(
            tr(
                "recent.item",
                n=page.page * PER_PAGE + i + 1,
                title=link(clip(item.title, title_units), item.link),
                source=source,
                when=local_time(item.published_at, chat.timezone),
            )
        )
    return lines


def _fitted(head: Sequence[str], page: Page, chat: Chat, tr: Texts, tail: Sequence[str]) -> Html:
    """The page with titles as long as Telegram's 4,096 UTF-16 units and 100 entities allow."""
    text = ""
    for title_units, source_units in _CLIPS:
        items = _items(page, chat, tr, title_units, source_units)
        text = "\n\n".join([*head, *items, *tail])
        if fits(text):
            break
    return Html(text)


def render_delivered(
    page: Page, chat: Chat, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not page.found and page.page == 0:
        return tr("recent.delivered_empty"), None
    text = _fitted([tr("recent.delivered_header", page=page.page + 1)], page, chat, tr, [])
    markup = pages_keyboard(RecentKind.DELIVERED, page.page, page.has_more, tr)
    return text, markup


def render_search(
    query: CompiledQuery, page: Page, chat: Chat, days: int, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not page.found and page.page == 0:
        text = tr("recent.search_empty", query=query.raw, days=days)
        if page.truncated:
            text = Html(text + "\n" + tr("recent.scan_note", scanned=page.scanned))
        return text, None
    header = tr("recent.search_header", query=query.raw, days=days, page=page.page + 1)
    tail = [tr("recent.scan_note", scanned=page.scanned)] if page.truncated else []
    markup = pages_keyboard(RecentKind.SEARCH, page.page, page.has_more, tr)
    return _fitted([header], page, chat, tr, tail), markup


def query_from_page(text: str | None) -> str | None:
    """The query a search page was made for: its first line, after the mark."""
    first = (text or "").split("\n", 1)[0]
    if not first.startswith(SEARCH_MARK):
        return None
    return first[len(SEARCH_MARK) :].strip() or None


async def _search_view(
    raw: str,
    page: int,
    chat: Chat,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
    analysis: SlicedAnalysis,
) -> tuple[Html, InlineKeyboardMarkup | None]:
    try:
        query = subscriptions.compile(" ".join(raw.split()))
    except QueryError as error:
        return tr("sub.invalid", query=raw, error=query_error(error, tr)), None
    since = clock() - timedelta(days=settings.retention_days)
    found = await search(
        repo,
        subscriptions.analyzer,
        query,
        chat_id=chat.id,
        since=since,
        page=page,
        analysis=analysis,
    )
    return render_search(query, found, chat, settings.retention_days, tr)


async def recent_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
    services: Services,
) -> None:
    raw = (command.args or "").strip()
    if raw:
        text, markup = await _search_view(
            raw, 0, chat_record, repo, subscriptions, settings, clock, tr, services.analysis
        )
    else:
        page = await delivered(repo, chat_record.id, page=0)
        text, markup = render_delivered(page, chat_record, tr)
    await message.answer(text, reply_markup=markup)


async def recent_button(
    query: CallbackQuery,
    callback_data: RecentCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
    services: Services,
) -> None:
    message = editable(query)
    if message is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    page = max(callback_data.page, 0)
    if callback_data.kind == RecentKind.DELIVERED:
        found = await delivered(repo, chat_record.id, page=page)
        if not found.found:
            callback_answer.text = tr.plain("recent.no_page")
            return
        await edit(message, *render_delivered(found, chat_record, tr))
        return
    if callback_data.kind == RecentKind.SIMILAR:
        sub = await repo.subscriptions.get(callback_data.ref)
        if sub is None or sub.chat_id != chat_record.id:
            callback_answer.text = tr.plain("cb.stale_sub")
            return
        text, markup = await _search_view(
            sub.query, 0, chat_record, repo, subscriptions, settings, clock, tr, services.analysis
        )
        await message.answer(text, reply_markup=markup)
        return
    raw = query_from_page(message.text)
    if raw is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    text, markup = await _search_view(
        raw, page, chat_record, repo, subscriptions, settings, clock, tr, services.analysis
    )
    await edit(message, text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(recent_command, Command("recent"))
    router.callback_query.register(recent_button, RecentCb.filter())
    return router
