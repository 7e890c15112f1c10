"""The command menu Telegram shows next to the input field, in Russian and English."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault

from bot.i18n import texts

# Everyone's commands, in menu order; groups get the same set (privacy mode still sees them).
MENU = (
    "sub",
    "list",
    "recent",
    "unsub",
    "feeds",
    "addfeed",
    "delfeed",
    "export",
    "import",
    "pause",
    "resume",
    "settings",
    "chat",
    "quiet",
    "digest",
    "timezone",
    "help",
    "start",
    "cancel",
)


def menu(lang: str) -> list[BotCommand]:
    tr = texts(lang)
    return [BotCommand(command=name, description=tr.plain(f"cmd.{name}")) for name in MENU]


async def register_commands(bot: Bot) -> None:
    """Russian for clients in Russian; English for everyone else (the default menu)."""
    for scope in (BotCommandScopeDefault(), BotCommandScopeAllGroupChats()):
        await bot.set_my_commands(menu("en"), scope=scope)
        await bot.set_my_commands(menu("ru"), scope=scope, language_code="ru")
