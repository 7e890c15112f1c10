"""The labelled sets of tests/data/stories as the grouper sees them: alone, as the measuring
point groups a file, or among real unrelated news, as a full window holds them."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.matching import Analyzer
from bot.stories import NewsItem, StoryGrouper
from bot.stories.cli import group, read_items
from tests.support.paths import STORIES


def labelled_items(name: str) -> list[NewsItem]:
    with (STORIES / f"{name}-items.jsonl").open(encoding="utf-8") as f:
        return read_items(f)


def in_a_crowd(items: list[NewsItem]) -> list[NewsItem]:
    """The real Lenta.ru days (tests/data/stories/lenta-items.jsonl) spread at random over the
    set's span, as unrelated news filling the window."""
    first = min(it.published for it in items)
    span = (max(it.published for it in items) - first).total_seconds()
    rng = random.Random(7)
    crowd = labelled_items("lenta")
    moved = [first + timedelta(seconds=rng.uniform(0, span)) for _ in crowd]
    return [
        NewsItem(f"crowd-{it.id}", it.outlet, when, it.title, it.text, it.link)
        for it, when in zip(crowd, moved, strict=True)
    ]


def grouping(name: str, analyzer: Analyzer, crowded: bool = False) -> list[list[str]]:
    """The set's stories (its own items only, crowd items left out)."""
    items = labelled_items(name)
    mine = {it.id for it in items}
    others = in_a_crowd(items) if crowded else []
    grouped = group(items + others, StoryGrouper(analyzer, window_hours=24))
    return [kept for story in grouped if (kept := [x for x in story if x in mine])]
