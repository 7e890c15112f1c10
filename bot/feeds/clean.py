"""Characters a feed must not pass on: invalid character references, controls, direction tricks.

One bad character must cost that character, never the feed: `&#xD800;` or `&#x110000;` made
feedparser raise and lost all 30 items of the feed. And text that reaches chats (/recent,
/feeds, button labels) must not carry control characters or bidirectional overrides (U+202E
turns «gro.elpmaxe» into a spoof of a link). Cleaning happens once, at parse time.
"""

from __future__ import annotations

import re

__all__ = ["clean_line", "clean_text", "fix_char_refs"]

_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT_REF = b"&#xFFFD;"

# C0 and C1 controls except tab and newline; lone surrogates; bidirectional embeddings,
# overrides and isolates, and the invisible direction marks; U+FFFE/U+FFFF non-characters.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_SPACES = re.compile(r"\s+")


def _xml_char_ok(code: int) -> bool:
    """Whether XML 1.0 allows this code point (tab, newline, CR; no surrogates; ≤ U+10FFFF)."""
    if code in (0x9, 0xA, 0xD):
        return True
    return 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def fix_char_refs(document: bytes) -> bytes:
    """Numeric character references XML does not allow, replaced by U+FFFD's."""
    if b"&#" not in document:
        return document

    def replace(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.group(1), match.group(2)
        text = hex_digits if hex_digits is not None else digits
        if len(text) > 8:
            return _REPLACEMENT_REF
        code = int(text, 16) if hex_digits is not None else int(text)
        return match.group() if _xml_char_ok(code) else _REPLACEMENT_REF

    return _CHAR_REF.sub(replace, document)


def clean_text(text: str) -> str:
    """Text without controls or direction overrides; lone surrogates become U+FFFD."""

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if "\ud800" <= char <= "\udfff":
            return "\ufffd"
        return " " if char < "\x20" or "\x7f" <= char <= "\x9f" else ""

    return _UNWANTED.sub(replace, text)


def clean_line(text: str) -> str:
    """`clean_text` on one line: every run of whitespace (newlines too) becomes one space."""
    return _SPACES.sub(" ", clean_text(text)).strip()
