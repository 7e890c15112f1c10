"""Choosing the character encoding of a feed document.

feedparser's own fallback for bytes that do not match the declared encoding is windows-1252,
which turns a Russian feed into mojibake ("Ñòàëî èçâåñòíî") that then matches no keyword and
looks like a working feed. So the bytes are decoded here and handed to feedparser as UTF-8.

Order: a byte-order mark; then UTF-8 if the bytes are valid UTF-8 with non-ASCII in them
(text in a single-byte Cyrillic code page is practically never valid UTF-8, whereas servers
often send a stale ``charset=windows-1251`` header for what is now UTF-8); then the HTTP
charset; then the XML declaration. If none of them decodes cleanly, a handful of bad bytes
(a truncated last character) are replaced, and otherwise the bytes are read as windows-1251
or KOI8-R, whichever the distribution of Cyrillic letters points to.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = [
    "DecodedDocument",
    "as_utf8_document",
    "decode_document",
    "guess_cyrillic_codec",
    "http_charset",
]

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""", re.IGNORECASE
)
_DECLARATION_TEXT = re.compile(
    r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[A-Za-z0-9._:-]{1,40}\2""", re.IGNORECASE
)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
# Replacement characters tolerated before the declared encoding is judged wrong: a document
# cut in the middle of a multi-byte character has one.
_TOLERATED_ERRORS = 8


@dataclass(frozen=True)
class DecodedDocument:
    text: str
    encoding: str
    note: str | None = None  # set when the bytes did not match any declared encoding


def http_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _codec(name: str | None) -> str | None:
    """Python's name for an encoding label, or None for unknown labels."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess_cyrillic_codec(body: bytes) -> str:
    """windows-1251 or KOI8-R, by where most high bytes fall.

    Russian text is mostly lowercase letters: 0xE0-0xFF in windows-1251, 0xC0-0xDF in KOI8-R.
    """
    high = body.translate(None, bytes(range(0xC0)))
    upper_half = sum(1 for byte in high if byte >= 0xE0)
    return "cp1251" if upper_half * 2 >= len(high) else "koi8_r"


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_document(body: bytes, content_type: str | None) -> DecodedDocument:
    """Decode an XML document's bytes; never raises."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return DecodedDocument(body[len(bom) :].decode(codec, errors="replace"), codec)
    if b"\x00" in body[:4]:  # UTF-16 without a byte-order mark: "<" is 00 3C or 3C 00
        codec = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
        return DecodedDocument(body.decode(codec, errors="replace"), codec)
    if body.isascii():
        return DecodedDocument(body.decode("ascii"), "ascii")
    text = _strict(body, "utf-8")
    if text is not None:
        return DecodedDocument(text, "utf-8")
    declaration = _DECLARATION.match(body[:1024])
    declared = declaration.group(1).decode("ascii") if declaration else None
    candidates = [c for c in (_codec(http_charset(content_type)), _codec(declared)) if c]
    for codec in candidates:
        text = _strict(body, codec)
        if text is not None:
            return DecodedDocument(text, codec)
    primary = candidates[0] if candidates else "utf-8"
    text = body.decode(primary, errors="replace")
    if text.count("\ufffd") <= _TOLERATED_ERRORS:
        return DecodedDocument(text, primary, f"bytes invalid in {primary}, replaced")
    guess = guess_cyrillic_codec(body)
    return DecodedDocument(
        body.decode(guess, errors="replace"),
        guess,
        f"bytes invalid in {primary}, decoded as {guess}",
    )


def as_utf8_document(text: str) -> bytes:
    """UTF-8 bytes of ``text`` with its XML declaration (if any) saying so."""
    text = _DECLARATION_TEXT.sub(r"\g<1>\g<2>utf-8\g<2>", text, count=1)
    return text.encode("utf-8", errors="replace")
