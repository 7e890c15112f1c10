"""The stand-in counts a message's size as Telegram does: UTF-16 units and entities."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from tests.support.updates import User

ALICE = User(101, "Alice")


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("𝐀" * 2048, True),  # a mathematical bold letter is two UTF-16 units
        ("𝐀" * 2048 + "я", False),
        ("🙂" * 2049, False),
    ],
)
async def test_length_is_counted_in_utf16_code_units(bot: Bot, text: str, fits: bool) -> None:
    if fits:
        await bot.send_message(ALICE.id, text)
    else:
        with pytest.raises(TelegramBadRequest, match="message is too long"):
            await bot.send_message(ALICE.id, text)


@pytest.mark.parametrize(("count", "fits"), [(100, True), (101, False)])
async def test_more_than_a_hundred_entities_are_refused(bot: Bot, count: int, fits: bool) -> None:
    text = " ".join(["<b>x</b>"] * count)
    if fits:
        await bot.send_message(ALICE.id, text)
    else:
        with pytest.raises(TelegramBadRequest, match="too many entities"):
            await bot.send_message(ALICE.id, text)
