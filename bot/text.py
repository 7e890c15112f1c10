"""Lengths, cuts and spans of text: the rules every layer shares (feeds, alerts, replies).

Telegram counts a message's length in UTF-16 code units, so an emoji costs two; storage and
feed limits count characters. Whatever the unit, a text cut to a length ends in «…», and
spans (matched words, marks) are kept sorted and merged the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ELLIPSIS", "Span", "cut", "merge_spans", "utf16_len", "utf16_prefix"]

ELLIPSIS = "…"
Span = tuple[int, int]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's message limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_prefix(text: str, max_units: int) -> int:
    """Largest n such that text[:n] fits in max_units UTF-16 code units."""
    if max_units <= 0:
        return 0
    if len(text) * 2 <= max_units:
        return len(text)
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > max_units:
            return index
    return len(text)


def cut(text: str, limit: int, *, utf16: bool = False, word_after: int | None = None) -> str:
    """`text` if it fits in `limit`, else the longest prefix that fits once «…» is added.

    `limit` counts characters, or UTF-16 units with `utf16`. With `word_after`, the cut moves
    back to the last space when that space comes after index `word_after`, so the text does not
    end in a broken word yet keeps most of its room.
    """
    if (utf16_len(text) if utf16 else len(text)) <= limit:
        return text
    room = max(limit - 1, 0)
    kept = text[: utf16_prefix(text, room) if utf16 else room]
    if word_after is not None:
        space = kept.rfind(" ")
        if space > word_after:
            kept = kept[:space]
    return kept.rstrip() + ELLIPSIS


def merge_spans(spans: Iterable[Span], *, touching: bool = True) -> list[Span]:
    """The spans sorted, overlapping ones joined; with `touching`, also those that only meet.

    Marks for a reader join when they touch (one bold run, not two); matched words keep
    apart when they only meet, so a phrase's words stay separate occurrences.
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] if touching else start < merged[-1][1]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
