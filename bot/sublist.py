"""A chat's subscriptions as a plain text list: one query a line, for people and other tools.

The list re-imports exactly: each line goes through the same parser as /sub, and a paused
subscription is written after `PAUSED` («⏸ Лавров»), a sign no query can start with (a term
needs a letter or a digit), so it comes back paused. Lines starting with `#` are comments,
as in `python -m bot preview --queries`, so the file's header is never read as a query.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["PAUSED", "ListLine", "decode_list", "read_list", "write_list"]

PAUSED = "⏸"
MAX_LINES = 500  # lines read from one list (the per-chat limit refuses far fewer)


@dataclass(frozen=True)
class ListLine:
    number: int  # in the file, from 1, for "line 7: …" in the report
    query: str
    paused: bool = False


def write_list(queries: Sequence[tuple[str, bool]], *, header: Sequence[str] = ()) -> str:
    """The list of (query, paused), after `header` lines written as comments."""
    lines = [f"# {line}" for text in header for line in text.splitlines()]
    lines += [f"{PAUSED} {query}" if paused else query for query, paused in queries]
    return "\n".join(lines) + "\n"


def read_list(text: str) -> list[ListLine]:
    """The queries of a list, blank lines and comments skipped (at most MAX_LINES)."""
    result: list[ListLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff").strip()
        if not line or line.startswith("#"):
            continue
        paused = line.startswith(PAUSED)
        query = line.removeprefix(PAUSED).lstrip("\ufe0f").strip() if paused else line
        if query:
            result.append(ListLine(number, query, paused))
        if len(result) >= MAX_LINES:
            break
    return result


def decode_list(data: bytes) -> str | None:
    """The text of an uploaded list: UTF-8 (a BOM allowed) or UTF-16 with a BOM; else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text
