"""Fixtures for story grouping: a fresh grouper per test (over the session's `analyzer`) and a
compact way to write items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.matching import Analyzer
from bot.stories import NewsItem, StoryGrouper

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
MakeItem = Callable[..., NewsItem]


@pytest.fixture
def grouper(analyzer: Analyzer) -> StoryGrouper:
    return StoryGrouper(analyzer, window_hours=24)


@pytest.fixture
def item() -> MakeItem:
    """item(id, minutes after START, title, text, outlet=...) -> NewsItem."""

    def make(
        item_id: str, minutes: float, title: str, text: str = "", outlet: str = "ТАСС"
    ) -> NewsItem:
        return NewsItem(item_id, outlet, START + timedelta(minutes=minutes), title, text)

    return make
