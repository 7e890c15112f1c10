"""OPML 2.0, the file every feed reader imports and exports: read a user's file, write ours.

A file sent to the bot is untrusted. It is read with expat configured to refuse what makes XML
dangerous: a document type with an internal subset (where entities are declared, the "billion
laughs" bomb and external entities alike) and any entity declaration is refused outright, and
expat never fetches an external DTD. The number of outlines read is capped, so a huge file
costs a bounded amount of work. Every refusal has a kind (`OpmlProblem`) the chat can read.

Feed readers nest feeds in folders (Feedly, Inoreader, Miniflux all do); folders are walked,
and a feed is an outline with an `xmlUrl`. An outline with only an `htmlUrl` is a web page,
not a feed: it is counted, not imported.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from enum import StrEnum
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "MAX_OUTLINES",
    "OpmlDocument",
    "OpmlError",
    "OpmlFeed",
    "OpmlProblem",
    "looks_like_xml",
    "parse_opml",
    "write_opml",
]

MAX_OUTLINES = 2000  # outlines (feeds and folders) read from one file
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UNKNOWN_ENCODING = expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class OpmlProblem(StrEnum):
    NOT_XML = "not_xml"  # not well-formed XML
    NOT_OPML = "not_opml"  # XML, but its root is not <opml>
    ENTITIES = "entities"  # declares a DTD subset or entities: refused unread
    ENCODING = "encoding"  # bytes that are not in the encoding the file declares
    TOO_MANY = "too_many"  # more outlines than MAX_OUTLINES
    NO_FEEDS = "no_feeds"  # an OPML file without a single xmlUrl


class OpmlError(ValueError):
    def __init__(self, problem: OpmlProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str | None = None
    folder: str | None = None  # the folders it sits in, outermost first, joined by « / »


@dataclass(frozen=True)
class OpmlDocument:
    feeds: list[OpmlFeed]
    duplicates: int = 0  # feeds listed again (same xmlUrl) and read once
    pages: int = 0  # outlines with an htmlUrl and no xmlUrl: web pages, not feeds
    title: str | None = None


@dataclass
class _Reader:
    """expat callbacks: the outline tree walked as it streams, folders kept on a stack."""

    max_outlines: int
    feeds: list[OpmlFeed] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    folders: list[str | None] = field(default_factory=list)
    depth: int = 0
    root: str | None = None
    outlines: int = 0
    duplicates: int = 0
    pages: int = 0
    in_title: bool = False
    title: str = ""

    def doctype(
        self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool
    ) -> None:
        if has_internal_subset or sysid or pubid:
            raise OpmlError(OpmlProblem.ENTITIES, "a document type declaration")

    def entity(self, name: str, *rest: object) -> None:
        raise OpmlError(OpmlProblem.ENTITIES, f"entity {name}")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.root is None:
            self.root = name
            if name.lower() != "opml":
                raise OpmlError(OpmlProblem.NOT_OPML, f"root element <{name}>")
        self.in_title = name == "title" and self.depth == 3 and not self.folders
        if name.lower() != "outline":
            return
        self.outlines += 1
        if self.outlines > self.max_outlines:
            raise OpmlError(OpmlProblem.TOO_MANY, f"more than {self.max_outlines} outlines")
        lowered = {key.lower(): value.strip() for key, value in attrs.items()}
        label = lowered.get("title") or lowered.get("text") or None
        url = lowered.get("xmlurl")
        self.folders.append(None if url else label)
        if url:
            self._feed(url, label)
        elif lowered.get("htmlurl"):
            self.pages += 1

    def _feed(self, url: str, label: str | None) -> None:
        if url in self.seen:
            self.duplicates += 1
            return
        self.seen.add(url)
        path = [f for f in self.folders[:-1] if f]
        self.feeds.append(OpmlFeed(url, label, " / ".join(path) or None))

    def end(self, name: str) -> None:
        self.depth -= 1
        self.in_title = False
        if name.lower() == "outline" and self.folders:
            self.folders.pop()

    def text(self, data: str) -> None:
        if self.in_title:
            self.title += data


def looks_like_xml(data: bytes) -> bool:
    """Whether a file's first bytes are those of an XML document (for files without a name)."""
    head = data[:64]
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.lstrip().startswith(b"<")


def _declared_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    match = _DECLARED.match(data.removeprefix(codecs.BOM_UTF8))
    return match.group(1).decode("ascii") if match else "utf-8"


def _decodes(data: bytes) -> bool:
    try:
        data.decode(_declared_encoding(data))
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def parse_opml(data: bytes, *, max_outlines: int = MAX_OUTLINES) -> OpmlDocument:
    """The feeds of an OPML file, each once, in file order; `OpmlError` says why not."""
    reader = _Reader(max_outlines)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = reader.doctype
    parser.EntityDeclHandler = reader.entity
    parser.UnparsedEntityDeclHandler = reader.entity
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        if not _decodes(data) or exc.code == _UNKNOWN_ENCODING:
            raise OpmlError(OpmlProblem.ENCODING, str(exc)) from None
        raise OpmlError(OpmlProblem.NOT_XML, str(exc)) from None
    except (LookupError, UnicodeError) as exc:
        raise OpmlError(OpmlProblem.ENCODING, str(exc)) from None
    if reader.root is None:
        raise OpmlError(OpmlProblem.NOT_XML, "no root element")
    if not reader.feeds:
        raise OpmlError(OpmlProblem.NO_FEEDS)
    title = " ".join(reader.title.split()) or None
    return OpmlDocument(reader.feeds, reader.duplicates, reader.pages, title)


def write_opml(feeds: Sequence[OpmlFeed], *, title: str, created: datetime | None = None) -> bytes:
    """An OPML 2.0 file of `feeds` (a folder outline per `folder`), UTF-8, every value escaped.

    Attribute values are escaped for XML (`quoteattr`), and characters XML 1.0 cannot carry at
    all (controls) are dropped, so whatever a feed calls itself the file stays well-formed.
    """
    when = format_datetime((created or datetime.now(UTC)).astimezone(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{when}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    folder: str | None = None
    for feed in feeds:
        if feed.folder != folder:
            if folder is not None:
                lines.append("    </outline>")
            folder = feed.folder
            if folder is not None:
                name = _attr(folder)
                lines.append(f"    <outline text={name} title={name}>")
        indent = "      " if folder is not None else "    "
        label = _attr(feed.title or feed.url)
        lines.append(
            f'{indent}<outline type="rss" text={label} title={label} xmlUrl={_attr(feed.url)}/>'
        )
    if folder is not None:
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML_CHARS.sub("", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text(value: str) -> str:
    return escape(_NOT_XML_CHARS.sub("", value))
