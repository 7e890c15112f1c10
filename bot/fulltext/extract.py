"""An article page's main text, as trafilatura finds it (run in a worker process).

trafilatura is the field's standard for main-content extraction; told so, it leaves out what
would make a chat's subscription fire on the wrong article: comments (which it keeps by
default), tables (price lists, "most read" grids), and with `favor_precision` the boxes of
related links («Читайте также»), tags and teasers it is unsure about. Menus, footers and
cookie banners are never main content. The page is decoded by the feeds' own rules (a stale
or bogus charset does not turn Russian into mojibake), and the text is cleaned and capped like
a feed's, so a hostile page costs at most FULLTEXT_MAX_CHARS of text.

Pure and synchronous: bot/fulltext/pool.py runs it away from the event loop.
"""

from __future__ import annotations

import logging
import re

from bot.feeds.clean import clean_text
from bot.feeds.encoding import decode_document
from bot.text import cut

__all__ = ["extract_text"]

_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _tidy(text: str) -> str:
    """One paragraph a line, no runs of spaces: the shape feed texts have."""
    text = _SPACES.sub(" ", clean_text(text))
    lines = (line.strip() for line in _BLANK_LINES.sub("\n", text).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_text(body: bytes, *, url: str, content_type: str | None, max_chars: int) -> str:
    """The main text of the page in `body` ("" when it has none); never raises."""
    if not body:
        return ""
    import trafilatura  # in the worker only (preloaded there); the bot's process never needs it

    # trafilatura logs every page it finds too short or odd at WARNING: not the bot's news.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    document = decode_document(body, content_type).text
    try:
        found = trafilatura.extract(
            document,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            # Its deduplication remembers paragraphs across calls, process-wide: a page read
            # twice, or two reports sharing a paragraph, would lose text. Off.
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # a page that breaks the extractor is a page without text, not a crash
        logging.getLogger(__name__).warning("extracting %s failed", url, exc_info=True)
        return ""
    if not found:
        return ""
    return cut(_tidy(found), max_chars, word_after=max(max_chars - 200, 0))
