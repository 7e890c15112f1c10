"""Plain records that cross the storage boundary; nothing outside `storage/` sees a Row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


def to_ts(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return moment.timestamp()


def from_ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


# Publication times before this are not news but a feed's mistake (year 1, the Unix epoch):
# the parser treats them as missing, and rows stored before that rule are read clamped here,
# so local-time rendering never leaves datetime's range (Europe/London in year 1 does).
EARLIEST_PUBLISHED = datetime(2000, 1, 1, tzinfo=UTC)


def published_from_ts(value: float) -> datetime:
    return from_ts(max(value, EARLIEST_PUBLISHED.timestamp()))


# Typed states: each is stored as its value and passed to SQL as a parameter, never written
# into an SQL string, so a rename or a typo is an error in one place.


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    HELD = "held"  # over the chat's hourly alert budget; announced in one summary message


class ChatKind(StrEnum):
    """Telegram's chat types."""

    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"

    @property
    def is_group(self) -> bool:
        return self in (ChatKind.GROUP, ChatKind.SUPERGROUP)

    @property
    def paced_as_group(self) -> bool:
        """Telegram's 20 messages a minute apply: groups and channels alike (the request
        middleware reads the same from a negative chat id)."""
        return self is not ChatKind.PRIVATE


class Language(StrEnum):
    """The languages the bot speaks; a chat has one of them."""

    RU = "ru"
    EN = "en"


class FullTextMode(StrEnum):
    """Whether a feed's items are completed with their article page's text (issue 15)."""

    AUTO = "auto"  # when the feed itself carries less text than FULLTEXT_MIN_FEED_CHARS
    ALWAYS = "always"
    NEVER = "never"


class AlertMode(StrEnum):
    INSTANT = "instant"
    SILENT = "silent"  # alerts arrive without a sound


class DeliverySchedule(StrEnum):
    """When a chat's alerts go: at once, or batched into a digest (issue 16). Independent of
    `AlertMode`, which is only about the sound."""

    INSTANT = "instant"
    HOURLY = "hourly"  # at the top of every local hour
    DAILY = "daily"  # once a day at the chat's `digest_at`


class DigestStatus(StrEnum):
    PENDING = "pending"  # due at due_at, or retrying
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    type: ChatKind
    title: str | None
    language: Language
    timezone: str
    alert_mode: AlertMode
    active: bool
    paused: bool
    inactive_reason: str | None
    created_at: datetime
    group_stories: bool = True  # /settings: later reports of a story edit its alert, not push
    delivery_schedule: DeliverySchedule = DeliverySchedule.INSTANT
    digest_at: int = 540  # the daily digest's local time, minutes after midnight
    quiet_from: int | None = None  # quiet hours, local minutes after midnight (None: none)
    quiet_until: int | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    chat_id: int
    query: str
    paused: bool
    created_at: datetime
    urgent: bool = False  # breaks through quiet hours and digests
    thread_id: int = 0  # the forum topic it was made in (0: the chat itself)
    snoozed_until: datetime | None = None  # «Отложить» under an alert: silent until then


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str | None
    is_default: bool
    added_by: int | None
    etag: str | None
    last_modified: str | None
    primed: bool
    next_fetch_at: datetime
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str | None
    cut_at: datetime | None = None  # last time new items were dropped over the daily quota
    cut_items: int = 0  # how many were dropped then
    clipped_at: datetime | None = None  # last time a new item's text was shortened
    schedule: PollSchedule | None = None  # the adaptive schedule's state (None: never polled)
    fulltext_mode: FullTextMode = FullTextMode.AUTO
    page_ok_at: datetime | None = None  # last time an article page gave a text
    page_error: str | None = None  # the latest page failure's reason
    page_error_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """What the poll schedule keeps per feed: the learnt rhythm ("items since"), the feed's own
    ttl, and the interval last chosen with its reason (a bot.schedule.Reason value)."""

    interval: float
    reason: str
    rate_items: int = 0
    rate_since: datetime | None = None
    ttl_seconds: float | None = None
    rate_latest: datetime | None = None  # the newest publication: silence since it slows polling


@dataclass(frozen=True, slots=True)
class ChatFeed:
    """A feed as one chat sees it: its own, or a default it may have switched off."""

    feed: Feed
    own: bool
    enabled: bool


@dataclass(frozen=True, slots=True)
class NewItem:
    guid: str
    link: str | None
    canonical_link: str | None
    title: str
    text: str
    published_at: datetime
    story: str | None = None  # the story's key (see `story_key`), decided before storing


def story_key(feed_id: int, guid: str) -> str:
    """An item's identity as the story grouper knows it: stable before the row exists, so
    grouping can run outside the write transaction, and recomputable after a restart."""
    return f"{feed_id}:{guid}"


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    feed_id: int
    guid: str
    link: str | None
    title: str
    text: str
    published_at: datetime
    fetched_at: datetime
    source: str | None = None  # the feed's title, joined in where a caller needs it
    canonical_link: str | None = None
    story: str | None = None  # key of the story it belongs to (None: stored before grouping)


@dataclass(frozen=True, slots=True)
class NewDelivery:
    chat_id: int
    item_id: int
    subscription_ids: tuple[int, ...]
    matched_queries: tuple[str, ...]
    thread_id: int = 0  # the forum topic it goes to (0: the chat itself)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    chat_id: int
    item_id: int
    subscription_ids: tuple[int, ...]
    matched_queries: tuple[str, ...]
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    error: str | None
    edits_wanted: int = 0  # reports that joined this alert's story (each asks for an edit)
    edits_done: int = 0  # how many of them the message shows
    edit_attempts: int = 0  # failed attempts at the pending edit
    digest_id: int | None = None  # held for this digest (quiet hours, hourly or daily)
    thread_id: int = 0  # the forum topic it goes to (0: the chat itself)


@dataclass(frozen=True, slots=True)
class Digest:
    """Held alerts of one chat going out together at `due_at`: one claimable unit."""

    id: int
    chat_id: int
    due_at: datetime
    status: DigestStatus
    attempts: int
    next_attempt_at: datetime
    parts_sent: int
    message_id: int | None
    error: str | None
    thread_id: int = 0  # a topic's alerts make a digest of their own, sent to that topic


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One story of a digest: a held alert, its item and how many reports the story has."""

    delivery_id: int
    matched_queries: tuple[str, ...]
    title: str
    link: str | None
    source: str | None
    published_at: datetime
    reports: int  # the item itself and the later reports that joined it


@dataclass(frozen=True, slots=True)
class NewSource:
    """A later report of a story joining a chat's existing alert for it."""

    delivery_id: int
    item_id: int
    subscription_ids: tuple[int, ...]
    matched_queries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StorySource:
    """A report that joined an alert, as the alert's «Также:» line shows it."""

    item_id: int
    source: str | None  # the feed's title
    link: str | None
    title: str
    published_at: datetime
    subscription_ids: tuple[int, ...]
    matched_queries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """A forum topic the bot has heard of: its name (if seen) and whether it is gone."""

    chat_id: int
    thread_id: int
    name: str | None
    gone: bool
    noted: bool  # the chat was told, in General, that the topic's alerts come there now
