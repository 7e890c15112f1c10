"""Measuring point: group a JSON-lines file of items and print the stories, one JSON line each.

    python -c "import sys; from bot.stories.cli import run_stories; sys.exit(run_stories('FILE'))"

Runs the same StoryGrouper the pipeline uses. Items are grouped in publication order (ties by
id, so the output does not depend on file order). A bad line is named on stderr in one line and
nothing is printed (exit 2): a partial grouping would be scored as if it were complete.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, TextIO

from bot.matching import Analyzer
from bot.stories.grouper import StoryGrouper
from bot.stories.model import NewsItem

EXIT_BAD_INPUT = 2
FIELDS = ("id", "outlet", "published", "title", "text")


class InputError(ValueError):
    """A line of the items file that cannot be read as an item."""


def parse_item(line: str, number: int) -> NewsItem:
    try:
        raw: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise InputError(f"line {number}: expected a JSON object")
    for name in FIELDS:
        if not isinstance(raw.get(name), str):
            raise InputError(f"line {number}: field {name!r} is missing or not a string")
    link = raw.get("link", "")
    if not isinstance(link, str):
        raise InputError(f"line {number}: field 'link' is not a string")
    try:
        published = datetime.fromisoformat(raw["published"])
    except ValueError:
        raise InputError(f"line {number}: 'published' is not an ISO 8601 time") from None
    if published.tzinfo is None:
        raise InputError(f"line {number}: 'published' has no time zone")
    return NewsItem(raw["id"], raw["outlet"], published, raw["title"], raw["text"], link)


def read_items(stream: TextIO) -> list[NewsItem]:
    items: list[NewsItem] = []
    seen: set[str] = set()
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        item = parse_item(line, number)
        if item.id in seen:
            raise InputError(f"line {number}: id {item.id!r} repeats an earlier item")
        seen.add(item.id)
        items.append(item)
    return items


def group(items: list[NewsItem], grouper: StoryGrouper) -> list[list[str]]:
    """Stories as lists of item ids in publication order, ordered by their first item."""
    stories: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda it: (it.published, it.id)):
        story = grouper.add(item)
        for gone, kept in grouper.take_merges():
            stories[kept].extend(stories.pop(gone))
        stories.setdefault(story, []).append(item.id)
    order = {item.id: (item.published, item.id) for item in items}
    merged = [sorted(ids, key=order.__getitem__) for ids in stories.values()]
    return sorted(merged, key=lambda ids: order[ids[0]])


def run_stories(
    items_path: str,
    window_hours: float = 24.0,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with open(items_path, encoding="utf-8") as stream:
            items = read_items(stream)
    except OSError as exc:
        print(f"stories: cannot read {items_path}: {exc.strerror}", file=err)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print(f"stories: {items_path} is not UTF-8 text", file=err)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"stories: {items_path}: {exc}", file=err)
        return EXIT_BAD_INPUT
    for ids in group(items, StoryGrouper(Analyzer(), window_hours)):
        out.write(json.dumps({"items": ids}, ensure_ascii=False) + "\n")
    return 0
