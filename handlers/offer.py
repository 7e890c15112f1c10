"""Plain text in a private chat: offer to subscribe to it, or answer it as a question;
/start's example buttons.

«Что нового по Лаврову?» is a question: it gets the recent news about its content words
(Лавров) and a button to subscribe to those words, never to the whole sentence. The offered
text is kept in the user's FSM data under the id of the message that held it, so the
button's payload stays a small number however long the text is.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import OfferAction, OfferCb
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts
from bot.keyboards import EXAMPLE_QUERIES, offer_keyboard, question_keyboard
from bot.matching import QueryError
from bot.matching.offload import SlicedAnalysis
from bot.middlewares import MANAGE
from bot.question import content_query, is_question
from bot.search import paged_search
from bot.subscriptions import SubscriptionService
from bot.views.recent import render_search
from handlers.buttons import OnMessage
from handlers.subscriptions import subscribe_and_reply
from storage import Chat, Repository

_KEPT_OFFERS = 10
_MANAGE = {MANAGE: True}


async def _remember(state: FSMContext, message_id: int, text: str) -> None:
    data: dict[str, Any] = await state.get_data()
    offers: dict[str, str] = dict(data.get("offers") or {})
    offers[str(message_id)] = text
    await state.update_data(offers=dict(list(offers.items())[-_KEPT_OFFERS:]))


async def _recall(state: FSMContext, message_id: int) -> str | None:
    offers: dict[str, str] = (await state.get_data()).get("offers") or {}
    return offers.get(str(message_id))


async def offer(
    message: Message,
    state: FSMContext,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    analysis: SlicedAnalysis,
    tr: Texts,
) -> None:
    text = (message.text or "").strip()
    analyzer = subscription_service.analyzer
    if is_question(text, analyzer):
        words = content_query(text, analyzer)
        if not words:
            await message.reply(tr("offer.question_empty"))
            return
        try:
            query = subscription_service.compile(words)
        except QueryError:
            query = None
        if query is not None:
            found = await paged_search(
                repo,
                analyzer,
                query,
                chat_id=chat_record.id,
                now=clock(),
                days=settings.retention_days,
                analysis=analysis,
            )
            days = settings.retention_days
            answer, pages = render_search(query.raw, found, chat_record, days, tr)
            await _remember(state, message.message_id, words)
            markup = question_keyboard(pages, words, message.message_id, tr)
            await message.reply(answer, reply_markup=markup)
            return
    await _remember(state, message.message_id, text)
    markup = offer_keyboard(text, message.message_id, tr)
    await message.reply(tr("offer.text"), reply_markup=markup)


async def offer_button(
    query: CallbackQuery,
    callback_data: OfferCb,
    callback_answer: CallbackAnswer,
    message: Message,
    state: FSMContext,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """«Подписаться» under an offer: the text it was made for, if this chat still keeps it."""
    text = await _recall(state, callback_data.ref)
    if text is None:
        callback_answer.text = tr.plain("cb.offer_stale")
        return
    callback_answer.text = tr.plain("cb.subscribed")
    await subscribe_and_reply(
        message, text, subscription_service, settings, clock, tr, chat=chat_record
    )


async def example_button(
    query: CallbackQuery,
    callback_data: OfferCb,
    callback_answer: CallbackAnswer,
    message: Message,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """One of /start's examples."""
    text = EXAMPLE_QUERIES[callback_data.ref]
    callback_answer.text = tr.plain("cb.subscribed")
    await subscribe_and_reply(
        message, text, subscription_service, settings, clock, tr, chat=chat_record
    )


def create_router() -> Router:
    router = Router(name=__name__)
    subscribe = OfferCb.filter(F.action == OfferAction.SUBSCRIBE)
    example = OfferCb.filter((F.action == OfferAction.EXAMPLE) & (F.ref < len(EXAMPLE_QUERIES)))
    router.callback_query.register(offer_button, subscribe, OnMessage(), flags=_MANAGE)
    router.callback_query.register(example_button, example, OnMessage(), flags=_MANAGE)
    router.message.register(
        offer,
        F.chat.type == ChatType.PRIVATE,
        StateFilter(None),
        F.text,
        ~F.text.startswith("/"),
    )
    return router
