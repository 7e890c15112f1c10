"""HTML (or plain text) to the plain text the matcher and the summariser read.

Feeds put HTML in descriptions, in ``content:encoded`` and, double-escaped, even in titles.
Everything downstream (keyword matching, alert text) wants words, so markup is dropped, the
content of ``<script>``/``<style>`` is dropped with it (otherwise code would match keywords),
entities are decoded and whitespace is collapsed. Paragraph structure survives as ``"\\n\\n"``
because the summariser picks whole paragraphs.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["PARAGRAPH_BREAK", "html_to_text"]

PARAGRAPH_BREAK = "\n\n"

# Elements whose content is never reader-visible text.
_SKIP_CONTENT = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "svg",
        "math",
        "select",
        "textarea",
        "button",
    }
)
# Elements that start or end a paragraph.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "thead",
        "tbody",
        "tfoot",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "address",
        "main",
        "nav",
        "details",
        "summary",
        "body",
        "html",
    }
)
# Void elements never get an end tag, so they must not open a skipped region.
_VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
        "param",
    }
)

_TAG_LIKE = re.compile(r"<\s*[A-Za-z!/?]")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace except newlines
_LINE_BREAKS = re.compile(r"\s*\n\s*")
# Zero-width and other invisible characters that break word matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


class _TextExtractor(HTMLParser):
    """Collects text runs and paragraph boundaries; tolerant of any broken markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT and tag not in _VOID:
            self._skip_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <p/>, <script/>: self-closed, so nothing to skip.
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            # Newlines inside HTML text are just spaces; only tags make paragraphs.
            self.parts.append(data.replace("\n", " ").replace("\r", " "))


def _collapse(text: str) -> str:
    """Collapse spaces inside paragraphs; any run of line breaks becomes one paragraph break."""
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _LINE_BREAKS.sub(PARAGRAPH_BREAK, text)
    return text.strip()


def html_to_text(s: str) -> str:
    """Return the visible text of an HTML fragment (or of plain text) with paragraphs kept.

    Input without anything tag-like is treated as plain text: its line breaks are meaningful
    there (``yandex:full-text`` puts one paragraph per line), whereas in HTML only tags make
    paragraphs. Never raises: the stdlib parser recovers from any broken markup.
    """
    if not s:
        return ""
    if not _TAG_LIKE.search(s):
        return _collapse(html.unescape(s))
    parser = _TextExtractor()
    try:
        parser.feed(s)
        parser.close()
    except Exception:  # pragma: no cover - HTMLParser is lenient; belt and braces
        return _collapse(html.unescape(re.sub(r"<[^>]*>", " ", s)))
    return _collapse("".join(parser.parts))
