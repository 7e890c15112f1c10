"""DATABASE_URL names SQLite (a path or sqlite:///path) or PostgreSQL (postgresql://…); anything
else stops the bot at start with a message naming both."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.support.botapi import TEST_TOKEN


def _settings(url: str) -> Settings:
    return Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, DATABASE_URL=url)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///data/alerts.sqlite3",
        "data/alerts.sqlite3",
        "postgresql://bot@127.0.0.1:5432/news",
        "postgres://bot:pw@db/news",
    ],
)
def test_sqlite_and_postgresql_urls_are_accepted(url: str) -> None:
    assert _settings(url).database_url == url


@pytest.mark.parametrize("url", ["mysql://db/news", "sqlite://relative.db", "postgresql://"])
def test_other_database_urls_are_refused_naming_what_is_supported(url: str) -> None:
    with pytest.raises(ValidationError, match=r"sqlite:///path or postgresql://"):
        _settings(url)
