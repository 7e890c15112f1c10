"""Fixtures shared by every test area; area-specific ones live in each folder's conftest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Bot

from bot.matching import Analyzer
from storage import Repository
from tests.support.botapi import TEST_TOKEN, BotApiStub

NOW = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One for the whole run: loading pymorphy3's dictionary takes a moment, and the analyser
    is meant to be shared (the running bot has one)."""
    return Analyzer()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'alerts.sqlite3'}"


@pytest.fixture
async def repo(db_url: str) -> AsyncIterator[Repository]:
    repository = await Repository.open(db_url)
    yield repository
    await repository.close()


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    """The Bot API stand-in on 127.0.0.1 (tests/support/botapi.py)."""
    async with BotApiStub() as server:
        yield server


@pytest.fixture
async def bot(stub: BotApiStub) -> AsyncIterator[Bot]:
    """A real aiogram Bot talking HTTP to the stand-in."""
    the_bot = stub.make_bot(TEST_TOKEN)
    yield the_bot
    await the_bot.session.close()
