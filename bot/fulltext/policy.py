"""Which items get their article page fetched, and how a page's text joins the feed's.

Per feed, a mode (storage.FullTextMode): `always`, `never`, or `auto`, which fetches when the
feed's items carry, on median, fewer than FULLTEXT_MIN_FEED_CHARS characters (measured on the
agencies' feeds: RIA gives a title only, TASS, Lenta and Kommersant a lead of 100-1,000
characters, Interfax and RBC the whole text, 1,500 and more). The median of the whole poll, not
each item: a full-text feed's one-line flash is not worth a page, and a lead feed's one long
lead does not stop the rest from being completed.

Never fetched: Telegram channels (their posts are whole), links to t.me, and anything that is
not an http(s) link.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.channels.names import is_channel_feed, is_telegram_host
from bot.urls import is_http_url
from storage import FullTextMode

__all__ = ["combine", "page_link", "wants_pages"]


def wants_pages(
    mode: FullTextMode, feed_url: str, texts: Sequence[str], min_feed_chars: int
) -> bool:
    """Whether this poll's new items get their pages (`texts`: every item the feed lists)."""
    if is_channel_feed(feed_url) or mode == FullTextMode.NEVER:
        return False
    if mode == FullTextMode.ALWAYS:
        return True
    return not texts or statistics.median(len(t) for t in texts) < min_feed_chars


def page_link(link: str | None) -> str | None:
    """The item's link if its page may be fetched."""
    if link is None or not is_http_url(link):
        return None
    if is_telegram_host(urlsplit(link).hostname or ""):
        return None
    return link


def _squashed(text: str) -> str:
    return " ".join(text.split()).casefold()


def combine(feed_text: str, page_text: str) -> str:
    """The item's text once its page is read: the page's text, after the feed's lead when the
    page does not carry that lead itself (the summary's first sentence stays the feed's)."""
    lead = feed_text.strip()
    if not page_text.strip():
        return feed_text
    if not lead or _squashed(lead)[:200] in _squashed(page_text):
        return page_text
    return f"{lead}\n{page_text}"
