"""Last resort: a button nothing else recognises (an old release's, a malformed one)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Texts


async def unknown_button(query: CallbackQuery, callback_answer: CallbackAnswer, tr: Texts) -> None:
    callback_answer.text = tr.plain("cb.stale")


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(unknown_button)
    return router
