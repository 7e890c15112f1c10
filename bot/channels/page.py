"""A public channel's preview page (``t.me/s/<name>``) read as a feed: one item per post.

The page is HTML made for browsers, not an API: Telegram changes it when it likes. So it is
read defensively, by the few class names every reader of it relies on (``tgme_channel_history``,
``tgme_widget_message`` with ``data-post``, ``tgme_widget_message_text``, ``time[datetime]``),
and a page that no longer has them is an *error* ("page format changed"), shown in /feeds, not
a channel that merely went quiet. An empty but well-formed channel is not an error.

What becomes an item, and why:
- a post with text, or a caption under its photo, video, album or file: its text is what a
  subscription can match, so it is the item: its first line the title (its first sentence
  when the line is long), the rest the text, as an RSS item has a title and a description;
- a post with media only (no caption), a sticker: no words, so nothing could ever match it:
  skipped;
- a poll: its question and options are words: an item;
- a forwarded post: kept as the channel's own item (the channel chose to publish it), linked
  to the channel's post; where it came from is not written into its text;
- an edited post: the same post (its guid is ``<name>/<id>``), so it is never alerted again;
- service messages (channel created, photo changed, a post pinned): skipped.

Parsing runs in the feed parse pool, like feedparser, and never raises.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from bot.channels.names import channel_of_feed, post_link
from bot.feeds.clean import clean_line, clean_text
from bot.feeds.encoding import decode_document
from bot.feeds.html_text import PARAGRAPH_BREAK, html_to_text
from bot.feeds.links import canonical_link
from bot.feeds.parser import MAX_TEXT_CHARS, FeedItem, ParsedFeed
from bot.text import cut

__all__ = ["FORMAT_CHANGED", "NOT_PUBLIC", "TITLE_CHARS", "parse_channel_page"]

log = logging.getLogger(__name__)

# Error prefixes: /addfeed tells them apart by these, /feeds shows the whole sentence.
NOT_PUBLIC = "not a public channel"
FORMAT_CHANGED = "Telegram channel page format changed"
TITLE_CHARS = 200
_WHY_NOT_PUBLIC = "private, preview off, or no such channel"
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_POST = re.compile(r"[A-Za-z0-9_]{1,64}/([0-9]{1,12})")
# Media a post can carry: a post with one of these and no caption is media-only, not a sign
# that the page changed.
_MEDIA = (
    "tgme_widget_message_photo_wrap",
    "tgme_widget_message_video_player",
    "tgme_widget_message_roundvideo_player",
    "tgme_widget_message_grouped_wrap",
    "tgme_widget_message_document_wrap",
    "tgme_widget_message_voice",
    "tgme_widget_message_sticker",
    "tgme_widget_message_tgsticker",
    "tgme_widget_message_videosticker",
    "tgme_widget_message_location_wrap",
    "tgme_widget_message_contact",
    "tgme_widget_message_link_preview",
    "message_media_not_supported",
)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _find(node: Any, name: str) -> list[Any]:
    return list(node.xpath(f".//*[{_has_class(name)}]"))


def _text_of(node: Any) -> str:
    markup = lxml_html.tostring(node, encoding="unicode", with_tail=False)
    return clean_text(html_to_text(str(markup)))


def _failed(error: str) -> ParsedFeed:
    return ParsedFeed(title=None, link=None, items=(), error=error)


def _title(text: str) -> str:
    """The post's first line, or its first sentence when that line is long."""
    first = clean_line(text.split(PARAGRAPH_BREAK, 1)[0])
    if len(first) <= TITLE_CHARS:
        return first
    ends = [m.end() for m in _SENTENCE_END.finditer(first, 0, TITLE_CHARS) if m.end() >= 40]
    if ends:
        return first[: ends[-1]]
    return cut(first, TITLE_CHARS, word_after=TITLE_CHARS // 2)


def _published(message: Any, fetched_at: datetime) -> datetime | None:
    for stamp in message.xpath(".//time[@datetime]"):
        try:
            when = datetime.fromisoformat(str(stamp.get("datetime")).strip())
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return min(when.astimezone(UTC), fetched_at)
    return None


def _own_text(message: Any) -> Any | None:
    """The post's text element: not a replied-to post's quote, not a caption nested in
    another caption (albums wrap theirs twice)."""
    for node in _find(message, "tgme_widget_message_text"):
        if node.xpath(f"ancestor::*[{_has_class('tgme_widget_message_reply')}]"):
            continue
        if node.xpath(f"ancestor::*[{_has_class('tgme_widget_message_text')}]"):
            continue
        return node
    return None


def _poll_text(message: Any) -> str:
    parts = [_text_of(n) for n in _find(message, "tgme_widget_message_poll_question")]
    parts += [_text_of(n) for n in _find(message, "tgme_widget_message_poll_option_text")]
    return PARAGRAPH_BREAK.join(p for p in parts if p)


def _forwarded_from(message: Any) -> str | None:
    names = _find(message, "tgme_widget_message_forwarded_from_name")
    if not names:
        return None
    return clean_line(names[0].text_content()) or None


class _Post:
    """What one message element holds, or why it is no item."""

    def __init__(self, message: Any, name: str, fetched_at: datetime) -> None:
        self.item: FeedItem | None = None
        self.recognised = True
        classes = f" {message.get('class') or ''} "
        match = _POST.fullmatch(str(message.get("data-post") or "").strip())
        if " service_message " in classes or match is None:
            return
        published = _published(message, fetched_at)
        node = _own_text(message)
        text = _text_of(node) if node is not None else _poll_text(message)
        if not text:
            # A post is words or media; one with neither is of a shape this reader lacks.
            self.recognised = any(_find(message, c) for c in _MEDIA)
            return
        post_id = int(match.group(1))
        link = post_link(name, post_id)
        title = _title(text)
        # A first line that is the whole title is not repeated as the text's lead (the alert
        # shows both); a title cut from a longer line leaves the text whole.
        first, _, rest = text.partition(PARAGRAPH_BREAK)
        self.item = FeedItem(
            guid=f"{name}/{post_id}",
            link=link,
            canonical_link=canonical_link(link),
            title=title,
            text=cut(rest if clean_line(first) == title else text, MAX_TEXT_CHARS),
            published_at=published or fetched_at,
            author=_forwarded_from(message),
        )


def _channel_title(root: Any) -> str | None:
    for node in _find(root, "tgme_channel_info_header_title"):
        title = clean_line(node.text_content())
        if title:
            return cut(title, TITLE_CHARS)
    for content in root.xpath("//meta[@property='og:title']/@content"):
        title = clean_line(str(content))
        if title:
            return cut(title, TITLE_CHARS)
    return None


def parse_channel_page(
    body: bytes, *, url: str, content_type: str | None, fetched_at: datetime
) -> ParsedFeed:
    """The posts of the channel whose feed URL is `url` (``https://t.me/s/<name>``), newest
    first, from its preview page `body`. Never raises; problems come back as ``error``."""
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    name = channel_of_feed(url)
    if name is None:
        return _failed(f"not a channel preview address: {url}")
    try:
        return _parse(body, name, content_type, fetched_at.astimezone(UTC))
    except Exception as exc:  # hostile or broken markup must not crash the poller
        log.exception("channel page of %s could not be read", name)
        return _failed(f"{FORMAT_CHANGED}: the page cannot be read ({type(exc).__name__})")


def _parse(body: bytes, name: str, content_type: str | None, fetched_at: datetime) -> ParsedFeed:
    if not body.strip():
        return _failed(f"{FORMAT_CHANGED}: empty page")
    try:
        root = lxml_html.document_fromstring(decode_document(body, content_type).text)
    except (etree.ParserError, ValueError) as exc:
        return _failed(f"{FORMAT_CHANGED}: the page cannot be read ({exc})")
    history = _find(root, "tgme_channel_history")
    messages = [m for m in _find(root, "tgme_widget_message") if m.get("data-post")]
    title = _channel_title(root)
    if not history and not messages:
        if _find(root, "tgme_page") or _find(root, "tgme_page_title"):
            return _failed(
                f"{NOT_PUBLIC}: t.me shows no posts of @{name} (private or no such channel)"
            )
        return _failed(f"{FORMAT_CHANGED}: no message list on the page")
    if title is None:
        return _failed(f"{FORMAT_CHANGED}: no channel title on the page")
    if not messages and any(h.xpath(".//*[@data-post]") for h in history):
        return _failed(f"{FORMAT_CHANGED}: the posts on the page are not marked as messages")
    posts = [_Post(m, name, fetched_at) for m in messages]
    items = [p.item for p in posts if p.item is not None]
    if not items and not all(p.recognised for p in posts):
        return _failed(f"{FORMAT_CHANGED}: no post has text or media that can be read")
    unique = {item.guid: item for item in reversed(items)}  # newest first, as feeds list
    return ParsedFeed(title=title, link=f"https://t.me/{name}", items=tuple(unique.values()))
