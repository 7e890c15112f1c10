"""Fixtures for delivery: a real aiogram Bot over HTTP against the Bot API stand-in and a
database seeded through the Repository."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from bot.clock import utc_now
from bot.matching import Analyzer
from storage import Repository
from tests.delivery.delivery_kit import TOKEN, Seeder
from tests.support.botapi import BotApiStub


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    async with BotApiStub() as server:
        yield server


@pytest.fixture
async def bot(stub: BotApiStub) -> AsyncIterator[Bot]:
    the_bot = stub.make_bot(TOKEN)
    yield the_bot
    await the_bot.session.close()


@pytest.fixture
def seed(repo: Repository) -> Seeder:
    return Seeder(repo, utc_now)
