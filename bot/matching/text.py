"""Normalisation and tokenisation of item text.

Matching works on a normalised copy of the text (NFKC, soft hyphens, zero-width characters and
combining accents dropped, HTML entities decoded), but alerts highlight the *original* text, so
every normalised character keeps the offsets of the original characters it came from.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
# Cheap pre-check: if none of these occur and the text is already NFKC, offsets are identity.
_SLOW_PATH = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff&\u0300-\u036f]")
_CHUNK = re.compile(r"\S+|\s+")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")

# A word: letters/digits, joined by hyphens or apostrophes, optionally ending in '+' (ОПЕК+).
TOKEN_RE = re.compile(r"[^\W_]+(?:[-\u2010'\u2019][^\W_]+)*\+*")
# Gaps between tokens that end a sentence or a paragraph: phrases never match across them.
BREAK_RE = re.compile(r"[.!?…;\n\r]")


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised text plus, per character, its [start, end) in the original text."""

    text: str
    starts: tuple[int, ...] | None  # None means identity mapping
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> Normalised:
    """Return the matching view of `text` with an offset map back into it."""
    if _SLOW_PATH.search(text) is None and unicodedata.is_normalized("NFKC", text):
        return Normalised(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Only the words that need it take the slow per-character path: «…» and «№» are common.
    for chunk in _CHUNK.finditer(text):
        lo, hi = chunk.span()
        part = chunk.group()
        if _SLOW_PATH.search(part) is None and unicodedata.is_normalized("NFKC", part):
            out.append(part)
            starts.extend(range(lo, hi))
            ends.extend(range(lo + 1, hi + 1))
        else:
            _slow(text, lo, hi, out, starts, ends)
    return Normalised("".join(out), tuple(starts), tuple(ends))


def _slow(text: str, i: int, n: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    while i < n:
        ch = text[i]
        if ch == "&":
            m = _ENTITY.match(text, i, n)
            if m is not None:
                decoded = html.unescape(m.group())
                if decoded != m.group():
                    _emit(unicodedata.normalize("NFKC", decoded), i, m.end(), out, starts, ends)
                    i = m.end()
                    continue
        # A base character with its combining marks is normalised as one cluster (и + ̆ -> й).
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        _emit(unicodedata.normalize("NFKC", text[i:j]), i, j, out, starts, ends)
        i = j


def _emit(
    chunk: str, start: int, end: int, out: list[str], starts: list[int], ends: list[int]
) -> None:
    for ch in chunk:
        if ch in _DROPPED or unicodedata.category(ch) == "Mn":
            continue
        out.append(ch)
        starts.append(start)
        ends.append(end)


def fold(word: str) -> str:
    """Case- and ё-insensitive form of a word, the basis of every key."""
    return word.lower().replace("ё", "е")


# An item is matched as its title, a blank line, then its text. The blank line is a paragraph
# break (BREAK_RE), so a phrase never runs from the end of the title into the text.
TITLE_BREAK = "\n\n"


def item_text(title: str, text: str) -> str:
    """What a subscription is matched against: the title, and the text when there is one."""
    return f"{title}{TITLE_BREAK}{text}" if text else title


def text_offset(title: str) -> int:
    """Where the item's text starts in `item_text`, to map matches back onto the text alone."""
    return len(title) + len(TITLE_BREAK)
