"""Feed bytes to normalised items, with feedparser underneath.

Everything after this point (dedup, matching, alert text) trusts these items, so the parser
is where feeds' sloppiness is absorbed: encodings, relative links, HTML in titles, missing or
future dates, absent guids, giant fields. It is pure and synchronous so the poller can run it
in a worker thread (``asyncio.to_thread``) without blocking handlers.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
import time
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.feeds.clean import clean_line, clean_text, fix_char_refs
from bot.feeds.encoding import as_utf8_document, decode_document
from bot.feeds.html_text import html_to_text
from bot.feeds.links import canonical_link
from bot.text import cut
from bot.urls import is_http_url

__all__ = [
    "MAX_AUTHOR_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "FeedItem",
    "ParsedFeed",
    "entity_problem",
    "parse_feed",
]

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 100_000
MAX_AUTHOR_CHARS = 200
MAX_GUID_CHARS = 1_000
# Longest replacement text a DTD entity may have; see entity_problem().
MAX_ENTITY_VALUE = 32
# Earlier publication times are a feed's mistake (year 1, the Unix epoch), read as missing; the
# same bound as storage's EARLIEST_PUBLISHED, so every stored time renders in any time zone.
EARLIEST_PUBLISHED = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedItem:
    """One normalised entry: plain text, absolute links, aware UTC time."""

    guid: str
    link: str | None
    canonical_link: str | None
    title: str
    text: str
    published_at: datetime
    author: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed, or an ``error`` saying why the bytes are not a usable feed."""

    title: str | None
    link: str | None
    items: tuple[FeedItem, ...]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _failed(error: str) -> ParsedFeed:
    return ParsedFeed(title=None, link=None, items=(), error=error)


# --- entity expansion ("billion laughs", quadratic blowup) -------------------------------
#
# expat (>= 2.4) stops nested expansion itself, but when it gives up feedparser re-parses the
# document with its lenient sgmllib parser, which expands the entities anyway: a 200 KB
# document with one 100 KB entity referenced 20,000 times took 44 s and 5.9 GB there. So
# documents are vetted before feedparser sees them: only short entities whose values hold no
# further references (at most numeric character references) are let through; such entities
# (``<!ENTITY nbsp "&#160;">``) are all real feeds ever declare.

_ENTITY_DECL = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b[^>]*)\s*>""",
    re.IGNORECASE,
)
_CHAR_REF = re.compile(rb"&#(?:[0-9]{1,7}|x[0-9a-fA-F]{1,6});")


def entity_problem(body: bytes) -> str | None:
    """Why the document's entity declarations are refused, or None if there is nothing risky.

    ``body`` is the document as UTF-8 (see ``encoding.as_utf8_document``).
    """
    view = body
    if b"<!entity" not in view.lower():
        return None
    declared = view.lower().count(b"<!entity")
    matches = list(_ENTITY_DECL.finditer(view))
    if len(matches) != declared:
        return "refused: unparseable XML entity declarations (possible entity expansion attack)"
    for match in matches:
        name = match.group(2).decode("ascii", errors="replace")
        if match.group(1):
            return f"refused: XML parameter entity {name!r} (possible entity expansion attack)"
        if match.group(5):
            return f"refused: external XML entity {name!r}"
        value = match.group(3) if match.group(3) is not None else match.group(4) or b""
        if b"&" in _CHAR_REF.sub(b"", value) or b"%" in value:
            return (
                f"refused: XML entity {name!r} refers to other entities (entity expansion attack)"
            )
        if len(value) > MAX_ENTITY_VALUE:
            return (
                f"refused: XML entity {name!r} is {len(value)} bytes long "
                "(possible entity expansion attack)"
            )
    return None


# --- helpers ------------------------------------------------------------------------------

_HTML_SNIFF = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_TRUNCATION_MESSAGES = ("no element found", "unclosed token", "unclosed cdata section")


def _looks_like_html(document: bytes, content_type: str | None) -> bool:
    if _HTML_SNIFF.match(document[:4096]):
        return True
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return mime in ("text/html", "application/xhtml+xml")


def _bozo_reason(exc: object) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"malformed XML at line {exc.getLineNumber()}: {exc.getMessage()}"
    if isinstance(exc, BaseException):
        return f"{type(exc).__name__}: {exc}"
    return str(exc)


def _is_truncation(exc: object) -> bool:
    if not isinstance(exc, xml.sax.SAXParseException):
        return False
    message = exc.getMessage().lower()
    return any(text in message for text in _TRUNCATION_MESSAGES)


def _absolute(link: str | None, base: str) -> str | None:
    """``link`` made absolute against ``base``; None unless it ends up http(s)."""
    if not link or not isinstance(link, str):
        return None
    try:
        joined = urljoin(base, link.strip())
    except ValueError:
        return None
    return joined if is_http_url(joined) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _raw(entry: Mapping[str, Any], key: str) -> Any:
    """Stored value only: FeedParserDict.get() aliases keys (``updated`` -> ``published``)
    and warns about it, and warnings are errors in the test suite."""
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _entry_link(entry: Mapping[str, Any]) -> str | None:
    link = _str(_raw(entry, "link"))
    if link:
        return link
    for candidate in _raw(entry, "links") or ():
        if not isinstance(candidate, Mapping):
            continue
        if (_raw(candidate, "rel") or "alternate") == "alternate":
            href = _str(_raw(candidate, "href"))
            if href:
                return href
    return None


def _entry_text(entry: Mapping[str, Any]) -> str:
    """Full text when the feed carries it (content:encoded, yandex:full-text), else summary."""
    for content in _raw(entry, "content") or ():
        if isinstance(content, Mapping):
            text = html_to_text(_str(_raw(content, "value")))
            if text:
                return text
    # feedparser keeps unknown namespaced elements as "<prefix>_<name>".
    for key in ("yandex_full-text", "yandex_fulltext"):
        text = html_to_text(_str(_raw(entry, key)))
        if text:
            return text
    return html_to_text(_str(_raw(entry, "summary")) or _str(_raw(entry, "description")))


def _entry_time(entry: Mapping[str, Any], fetched_at: datetime) -> datetime:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = _raw(entry, key)
        if isinstance(parsed, time.struct_time):
            try:
                when = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
            if when < EARLIEST_PUBLISHED:
                continue
            return min(when, fetched_at)
    return fetched_at


def _guid(entry: Mapping[str, Any], link: str | None, title: str) -> str:
    guid = _str(_raw(entry, "id")).strip()
    if not guid and link:
        guid = link
    if not guid:
        date = _str(_raw(entry, "published")) or _str(_raw(entry, "updated"))
        digest = hashlib.sha1(f"{title}\n{date}".encode(), usedforsecurity=False)
        return f"sha1:{digest.hexdigest()}"
    if len(guid) > MAX_GUID_CHARS:
        digest = hashlib.sha1(guid.encode("utf-8", "replace"), usedforsecurity=False)
        return f"sha1:{digest.hexdigest()}"
    return guid


def _item(entry: Mapping[str, Any], base: str, fetched_at: datetime) -> FeedItem | None:
    title = cut(clean_line(html_to_text(_str(_raw(entry, "title")))), MAX_TITLE_CHARS)
    text = cut(clean_text(_entry_text(entry)), MAX_TEXT_CHARS)
    link = _absolute(_entry_link(entry), base)
    if not (title or text or link):
        return None
    author = cut(clean_line(html_to_text(_str(_raw(entry, "author")))), MAX_AUTHOR_CHARS)
    return FeedItem(
        guid=_guid(entry, link, title),
        link=link,
        canonical_link=canonical_link(link) if link else None,
        title=title,
        text=text,
        published_at=_entry_time(entry, fetched_at),
        author=author or None,
    )


def _feedparser(document: bytes) -> Any:
    # The document was already decoded and re-encoded as UTF-8 (see encoding.py), so the
    # original Content-Type must not make feedparser decode it a second time.
    headers = {"content-type": "application/xml; charset=utf-8"}
    # No content-location: feedparser would resolve links against it before we can apply
    # the channel's <link>; xml:base is still honoured by feedparser itself.
    return feedparser.parse(
        document, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )


def parse_feed(
    body: bytes, *, url: str, content_type: str | None, fetched_at: datetime
) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``. Never raises; problems come back as ``error``.

    ``content_type`` is the HTTP Content-Type; its charset and the XML declaration decide the
    encoding (with a fallback for wrong labels, see ``encoding.py``). Relative links resolve
    against xml:base, then the channel's ``<link>``, then ``url``. ``fetched_at``
    stands in for missing or future publication times.
    """
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    fetched_at = fetched_at.astimezone(UTC)
    try:
        return _parse(body, url=url, content_type=content_type, fetched_at=fetched_at)
    except Exception as exc:  # feedparser on hostile input: report, never crash the poller
        log.exception("feed parser failed on %s", url)
        return _failed(f"cannot parse feed ({type(exc).__name__})")


def _parse(body: bytes, *, url: str, content_type: str | None, fetched_at: datetime) -> ParsedFeed:
    if not body or not body.strip():
        return _failed("empty body")
    decoded = decode_document(body, content_type)
    if decoded.note:
        log.info("feed %s: %s", url, decoded.note)
    document = fix_char_refs(as_utf8_document(decoded.text))
    if not document.lstrip().startswith(b"<"):
        shown = (content_type or "no Content-Type").split(";", 1)[0].strip()
        return _failed(f"not a feed: the response is not XML ({shown})")
    problem = entity_problem(document)
    if problem:
        return _failed(problem)
    result = _feedparser(document)
    entries = list(_raw(result, "entries") or ())
    bozo = bool(_raw(result, "bozo"))
    exception = _raw(result, "bozo_exception")
    if bozo and entries and _is_truncation(exception):
        # The document was cut off; the last entry may be half an item. It will be read
        # whole on the next fetch if the feed still has it.
        entries = entries[:-1]
    if not entries:
        if not _raw(result, "version") and _looks_like_html(document, content_type):
            return _failed("not a feed: got an HTML page")
        if bozo:
            return _failed(_bozo_reason(exception))
        if not _raw(result, "version"):
            return _failed("not a feed: no RSS or Atom structure found")
    if bozo:
        log.info("accepting imperfect feed %s: %s", url, _bozo_reason(exception))
    channel = _raw(result, "feed") or {}
    feed_link = _absolute(_str(_raw(channel, "link")), url)
    base = feed_link or url
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        item = _item(entry, base, fetched_at)
        if item is None or item.guid in seen:
            continue
        seen.add(item.guid)
        items.append(item)
    title = cut(clean_line(html_to_text(_str(_raw(channel, "title")))), MAX_TITLE_CHARS) or None
    return ParsedFeed(title=title, link=feed_link, items=tuple(items))
