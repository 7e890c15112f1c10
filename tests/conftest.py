"""Fixtures shared by every test area; area-specific ones live in each folder's conftest."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Bot

from bot.matching import Analyzer
from storage import Repository
from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.offline import install as stay_offline
from tests.support.postgres import PostgresServer, fresh_database, running_server

NOW = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    """No test looks up a name past this machine (tests/support/offline.py); the bots the
    tests start get the same guard through their PYTHONPATH."""
    stay_offline()


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One for the whole run: loading pymorphy3's dictionary takes a moment, and the analyser
    is meant to be shared (the running bot has one)."""
    return Analyzer()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the run, started on first use (initdb + pg_ctl)."""
    with running_server() as server:
        yield server


@pytest.fixture
def engine() -> str:
    """Which database engine `db_url` points at; areas that run on both override it with a
    parametrized fixture (tests/storage/conftest.py). TEST_DATABASE_ENGINE=postgres runs the
    rest on PostgreSQL too, to see how far it gets (not yet part of CI)."""
    return os.environ.get("TEST_DATABASE_ENGINE", "sqlite")


@pytest.fixture
def db_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with fresh_database(server, f"t{uuid.uuid4().hex}") as url:
        yield url


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
