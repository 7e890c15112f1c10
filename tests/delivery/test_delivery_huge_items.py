"""An alert about a huge item is highlighted without freezing the other chats."""

from __future__ import annotations

import asyncio
import random

from aiogram import Bot

from bot.matching import Analyzer
from bot.matching.offload import SlicedAnalysis
from storage import Repository
from tests.delivery.delivery_kit import Seeder, make_worker
from tests.support.botapi import BotApiStub

ALICE = 101


def unique_words(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    words = (
        "".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) for _ in range(chars // 6)
    )
    return " ".join(words)[:chars]


async def test_a_huge_items_alert_is_analysed_in_slices_and_still_bolds_the_match(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    text = "Сергей Лавров заявил о переговорах. " + unique_words(100_000)
    await seed.queue(ALICE, await seed.item(text=text))
    analysis = SlicedAnalysis()
    worker = make_worker(bot, repo, analyzer, analysis=analysis)

    task = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(20):
            while not stub.messages(ALICE):  # noqa: ASYNC110 - watching the stand-in
                await asyncio.sleep(0.02)
    finally:
        await worker.stop()
        await task

    assert analysis.pauses > 0  # the loop was given away while the words were analysed
    (message,) = stub.messages(ALICE)
    assert "Лавров" in message.bold
