"""/feeds and /addfeed replies: each feed's health and quota cuts, and a check's outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.channels.names import is_channel_feed
from bot.chatfeeds import AddFeedOutcome, FeedRefusal
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.schedule import Reason
from bot.views.fit import clip
from bot.views.parts import local_time
from storage import Chat, ChatFeed

__all__ = [
    "cut_notes",
    "feed_line",
    "fulltext_notes",
    "poll_note",
    "render_added",
    "render_busy",
    "render_checking",
    "render_feeds",
]

_RECENT_CUT = timedelta(days=1)  # a cut older than this is history, not news for /feeds
_TITLE_UNITS = 40  # defaults and 20 own feeds fit one message
_ERROR_UNITS = 60
_URL_UNITS = 200  # a URL echoed in a reply


def cut_notes(cf: ChatFeed, settings: Settings, now: datetime, tr: Texts) -> list[str]:
    """What the storage quota did to this feed lately, one line each."""
    feed = cf.feed
    notes: list[str] = []
    if feed.cut_at is not None and now - feed.cut_at < _RECENT_CUT:
        notes.append(tr("feeds.cut", count=feed.cut_items, limit=settings.feed_max_items_per_day))
    if feed.clipped_at is not None and now - feed.clipped_at < _RECENT_CUT:
        notes.append(tr("feeds.clipped", limit=settings.item_max_chars))
    return notes


def fulltext_notes(cf: ChatFeed, now: datetime, tr: Texts) -> list[str]:
    """The feed's full-text mode, and a page failure of the last day that no page read since
    has made history (a channel's posts are whole: nothing to say)."""
    feed = cf.feed
    if not cf.enabled or is_channel_feed(feed.url):
        return []
    notes: list[str] = [tr("fulltext.note", mode=tr.plain(f"fulltext.mode-{feed.fulltext_mode}"))]
    failed = feed.page_error_at
    if (
        feed.page_error is not None
        and failed is not None
        and now - failed < _RECENT_CUT
        and (feed.page_ok_at is None or feed.page_ok_at < failed)
    ):
        notes.append(tr("fulltext.failed", error=clip(feed.page_error, _ERROR_UNITS)))
    return notes


def every(seconds: float, tr: Texts) -> str:
    """An interval in the largest unit that keeps it readable (90 s, 15 minutes, 2 hours)."""
    if seconds < 120:
        return tr.plain("feeds.every-seconds", count=max(1, round(seconds)))
    if seconds < 2 * 3600:
        return tr.plain("feeds.every-minutes", count=round(seconds / 60))
    return tr.plain("feeds.every-hours", count=round(seconds / 3600))


def poll_note(cf: ChatFeed, tr: Texts) -> str | None:
    """How often the feed is checked now and why (see bot/schedule.py); None before any poll."""
    schedule = cf.feed.schedule
    if schedule is None or not cf.enabled:
        return None
    try:
        reason = Reason(schedule.reason)
    except ValueError:
        return None
    return tr(
        "feeds.poll", every=every(schedule.interval, tr), why=tr.plain(f"feeds.why-{reason}")
    )


def feed_line(cf: ChatFeed, chat: Chat, tr: Texts) -> Html:
    feed = cf.feed
    title = clip(feed.title or feed.url, _TITLE_UNITS)
    if cf.own:
        title += f" ({tr.plain('feeds.own')})"
    if not cf.enabled:
        mark, health = "⏹", tr("feeds.disabled")
    elif feed.consecutive_failures > 0:
        error = clip(feed.last_error or "?", _ERROR_UNITS)
        mark, health = "🔴", tr("feeds.failing", error=error, count=feed.consecutive_failures)
    elif feed.last_success_at is not None:
        mark, health = "🟢", tr("feeds.ok", when=local_time(feed.last_success_at, chat.timezone))
    else:
        mark, health = "⚪", tr("feeds.never")
    return tr("feeds.line", mark=mark, title=title, health=health)


def render_feeds(
    feeds: list[ChatFeed],
    chat: Chat,
    settings: Settings,
    now: datetime,
    tr: Texts,
    *,
    switchable: bool = False,
) -> Html:
    """`switchable`: some feed's full-text mode has a button under the list (explained)."""
    if not feeds:
        return tr("feeds.empty")
    lines: list[str] = [tr("feeds.header")]
    for cf in feeds:
        lines.append(feed_line(cf, chat, tr))
        notes = cut_notes(cf, settings, now, tr)
        if (poll := poll_note(cf, tr)) is not None:
            notes.insert(0, poll)
        notes.extend(fulltext_notes(cf, now, tr))
        lines.extend("    " + note for note in notes)
    hint: str = tr("feeds.hint", limit=settings.max_feeds_per_chat)
    if switchable:
        hint += "\n" + tr("fulltext.hint")
    return Html("\n".join(lines) + "\n\n" + hint)


def render_added(outcome: AddFeedOutcome, limit: int, tr: Texts) -> Html:
    """The outcome as one sentence in the chat's language (no technical English inside)."""
    if outcome.refusal is None:
        if is_channel_feed(outcome.url):
            return tr("channels.added", title=outcome.title or outcome.url, count=outcome.items)
        return tr("addfeed.added", title=outcome.title or outcome.url, count=outcome.items)
    if outcome.refusal == FeedRefusal.LIMIT:
        return tr("addfeed.limit", limit=limit)
    if outcome.refusal == FeedRefusal.HTTP_ERROR:
        return tr("addfeed.http_error", status=outcome.status or 0)
    return tr(f"addfeed.{outcome.refusal.value}", url=clip(outcome.url, _URL_UNITS))


def render_busy(url: str, tr: Texts) -> Html:
    """This chat is already checking a feed: which one."""
    return tr("addfeed.busy", url=clip(url, _URL_UNITS))


def render_checking(url: str, tr: Texts) -> Html:
    return tr("addfeed.checking", url=clip(url, _URL_UNITS))
