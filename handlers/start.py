"""/start, /help and /cancel: what the bot does, how to write queries, and a way out."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Texts
from bot.keyboards import examples_keyboard


async def start_command(message: Message, state: FSMContext, tr: Texts) -> None:
    await state.set_state(None)
    await message.answer(tr("start.text"), reply_markup=examples_keyboard(tr))


async def help_command(message: Message, settings: Settings, tr: Texts) -> None:
    await message.answer(tr("help.text", days=settings.retention_days))


async def cancel_command(
    message: Message, state: FSMContext, tr: Texts, ended_prompt: str | None = None
) -> None:
    """Leave a prompt. The command itself already ended it (`EndPromptOnCommand`), which
    hands over what it ended, so the answer still says whether there was anything to cancel."""
    if ended_prompt is None and await state.get_state() is None:
        await message.answer(tr("cancel.nothing"))
        return
    await state.set_state(None)
    await message.answer(tr("cancel.done"))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start_command, CommandStart())
    router.message.register(help_command, Command("help"))
    router.message.register(cancel_command, Command("cancel"))
    return router
