"""Plain text in a private chat: offer to subscribe to it, or answer it as a question;
/start's example buttons.

«Что нового по Лаврову?» is a question: it gets the recent news about its content words
(Лавров) and a button to subscribe to those words, never to the whole sentence. The offered
text is kept in the user's FSM data under the id of the message that held it, so the
button's payload stays a small number however long the text is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.app import Services
from bot.callbacks import OfferAction, OfferCb
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts
from bot.keyboards import EXAMPLE_QUERIES, offer_keyboard
from bot.matching import QueryError
from bot.middlewares import MANAGE
from bot.question import content_query, is_question
from bot.search import search
from bot.subscriptions import SubscriptionService
from handlers.common import editable
from handlers.recent import render_search
from handlers.subscriptions import render_outcomes
from storage import Chat, Repository

_KEPT_OFFERS = 10


async def _remember(state: FSMContext, message_id: int, text: str) -> None:
    data: dict[str, Any] = await state.get_data()
    offers: dict[str, str] = dict(data.get("offers") or {})
    offers[str(message_id)] = text
    await state.update_data(offers=dict(list(offers.items())[-_KEPT_OFFERS:]))


async def offer(
    message: Message,
    state: FSMContext,
    repo: Repository,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    services: Services,
    tr: Texts,
) -> None:
    text = (message.text or "").strip()
    analyzer = subscriptions.analyzer
    if is_question(text, analyzer):
        words = content_query(text, analyzer)
        if not words:
            await message.reply(tr("offer.question_empty"))
            return
        try:
            query = subscriptions.compile(words)
        except QueryError:
            query = None
        if query is not None:
            found = await search(
                repo,
                analyzer,
                query,
                chat_id=chat_record.id,
                since=clock() - timedelta(days=settings.retention_days),
                page=0,
                analysis=services.analysis,
            )
            answer, pages = render_search(query, found, chat_record, settings.retention_days, tr)
            await _remember(state, message.message_id, words)
            offer_row = offer_keyboard(words, message.message_id, tr).inline_keyboard
            rows = [*(pages.inline_keyboard if pages else []), *offer_row]
            await message.reply(answer, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
            return
    await _remember(state, message.message_id, text)
    markup = offer_keyboard(text, message.message_id, tr)
    await message.reply(tr("offer.text"), reply_markup=markup)


async def offer_button(
    query: CallbackQuery,
    callback_data: OfferCb,
    callback_answer: CallbackAnswer,
    state: FSMContext,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    message = editable(query)
    if message is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    if callback_data.action == OfferAction.EXAMPLE:
        if not 0 <= callback_data.ref < len(EXAMPLE_QUERIES):
            callback_answer.text = tr.plain("cb.stale")
            return
        text = EXAMPLE_QUERIES[callback_data.ref]
    else:
        offers: dict[str, str] = (await state.get_data()).get("offers") or {}
        found = offers.get(str(callback_data.ref))
        if found is None:
            callback_answer.text = tr.plain("cb.offer_stale")
            return
        text = found
    outcomes = await subscriptions.subscribe_many(message.chat.id, text, clock())
    callback_answer.text = tr.plain("cb.subscribed")
    if not outcomes:
        await message.answer(tr("sub.nothing"))
        return
    for reply in render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat):
        await message.answer(reply)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(offer_button, OfferCb.filter(), flags={MANAGE: True})
    router.message.register(
        offer,
        F.chat.type == ChatType.PRIVATE,
        StateFilter(None),
        F.text,
        ~F.text.startswith("/"),
    )
    return router
