"""Plain text in a private chat: offer to subscribe to it; /start's example buttons.

The offered text is kept in the user's FSM data under the id of the message that held it, so
the button's payload stays a small number however long the text is.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import OfferAction, OfferCb
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts
from bot.keyboards import EXAMPLE_QUERIES, offer_keyboard
from bot.subscriptions import SubscriptionService
from handlers.common import callback_may_manage, editable
from handlers.subscriptions import render_outcomes

_KEPT_OFFERS = 10


async def offer(message: Message, state: FSMContext, tr: Texts) -> None:
    text = (message.text or "").strip()
    data: dict[str, Any] = await state.get_data()
    offers: dict[str, str] = dict(data.get("offers") or {})
    offers[str(message.message_id)] = text
    kept = dict(list(offers.items())[-_KEPT_OFFERS:])
    await state.update_data(offers=kept)
    markup = offer_keyboard(text, message.message_id, tr)
    await message.reply(tr("offer.text"), reply_markup=markup)


async def offer_button(
    query: CallbackQuery,
    callback_data: OfferCb,
    callback_answer: CallbackAnswer,
    state: FSMContext,
    bot: Bot,
    subscriptions: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    message = editable(query)
    if message is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    if not await callback_may_manage(query, bot):
        callback_answer.text = tr.plain("cb.not_admin")
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
    await message.answer(render_outcomes(outcomes, tr, settings.max_subscriptions_per_chat))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(offer_button, OfferCb.filter())
    router.message.register(
        offer,
        F.chat.type == ChatType.PRIVATE,
        StateFilter(None),
        F.text,
        ~F.text.startswith("/"),
    )
    return router
