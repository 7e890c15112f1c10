"""/recent: the chat's latest alerts, or a search of stored news; pages by buttons.

A search page starts with «🔎 QUERY», and the page buttons read the query back from it: the
payload stays a page number, and paging works for anyone in a group and after a restart.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import RecentCb, RecentKind
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import pages_keyboard
from bot.matching import CompiledQuery, QueryError
from bot.search import PER_PAGE, Page, delivered, search
from bot.subscriptions import SubscriptionService
from handlers.common import clip, edit, editable, link, local_time, query_error
from storage import Chat, Repository

SEARCH_MARK = "🔎 "


def _items(page: Page, chat: Chat, tr: Texts) -> list[str]:
    lines: list[str] = []
    for i, found in enumerate(page.found):
        item = found.item
        source = clip(item.source, 60) + " · " if item.source else ""
        lines.append(
            tr(
                "recent.item",
                n=page.page * PER_PAGE + i + 1,
                title=link(clip(item.title, 200), item.link),
                source=source,
                when=local_time(item.published_at, chat.timezone),
            )
        )
    return lines


def render_delivered(
    page: Page, chat: Chat, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not page.found and page.page == 0:
        return tr("recent.delivered_empty"), None
    blocks = [tr("recent.delivered_header", page=page.page + 1), *_items(page, chat, tr)]
    markup = pages_keyboard(RecentKind.DELIVERED, page.page, page.has_more, tr)
    return Html("\n\n".join(blocks)), markup


def render_search(
    query: CompiledQuery, page: Page, chat: Chat, days: int, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not page.found and page.page == 0:
        text = tr("recent.search_empty", query=query.raw, days=days)
        if page.truncated:
            text = Html(text + "\n" + tr("recent.scan_note", scanned=page.scanned))
        return text, None
    header = tr("recent.search_header", query=query.raw, days=days, page=page.page + 1)
    blocks = [header, "\n\n".join(_items(page, chat, tr))]
    if page.truncated:
        blocks.append(tr("recent.scan_note", scanned=page.scanned))
    markup = pages_keyboard(RecentKind.SEARCH, page.page, page.has_more, tr)
    return Html("\n\n".join(blocks)), markup


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
) -> tuple[Html, InlineKeyboardMarkup | None]:
    try:
        query = subscriptions.compile(" ".join(raw.split()))
    except QueryError as error:
        return tr("sub.invalid", query=raw, error=query_error(error, tr)), None
    since = clock() - timedelta(days=settings.retention_days)
    found = await search(repo, subscriptions.analyzer, query, since=since, page=page)
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
) -> None:
    raw = (command.args or "").strip()
    if raw:
        text, markup = await _search_view(
            raw, 0, chat_record, repo, subscriptions, settings, clock, tr
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
            sub.query, 0, chat_record, repo, subscriptions, settings, clock, tr
        )
        await message.answer(text, reply_markup=markup)
        return
    raw = query_from_page(message.text)
    if raw is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    text, markup = await _search_view(
        raw, page, chat_record, repo, subscriptions, settings, clock, tr
    )
    await edit(message, text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(recent_command, Command("recent"))
    router.callback_query.register(recent_button, RecentCb.filter())
    return router
