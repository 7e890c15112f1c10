"""Button payloads: versioned `CallbackData` prefixes with an enum action.

Telegram keeps at most 64 bytes per button, so payloads carry ids, never user text. The version
digit in each prefix lets a future release tell its own buttons from ones on old messages.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Ids are SQLite integers: a pressed payload outside that range (forged, or from nowhere) fails
# to unpack, so no handler sees it and the fallback answers it like any stale button.
Id = Annotated[int, Field(ge=0, le=2**63 - 1)]
Page = Annotated[int, Field(ge=0, le=10**6)]


class SubAction(StrEnum):
    PAUSE = "p"
    RESUME = "r"
    DELETE = "d"
    UNSUB = "u"  # under an alert: delete and say so; the alert stays as it is
    PICK = "k"  # on the /unsub picker: delete, say so, and redraw the picker
    URGENT = "y"  # on /list: mark urgent (breaks through quiet hours and digests)
    ORDINARY = "n"  # on /list: no longer urgent


class SubCb(CallbackData, prefix="s1"):
    action: SubAction
    sub_id: Id


class OfferAction(StrEnum):
    SUBSCRIBE = "s"  # subscribe to a plain text the user wrote (ref = its message id)
    EXAMPLE = "e"  # subscribe to one of /start's examples (ref = its index)


class OfferCb(CallbackData, prefix="o1"):
    action: OfferAction
    ref: Id


class RecentKind(StrEnum):
    DELIVERED = "d"  # the chat's own latest alerts
    SEARCH = "q"  # a page of a stored search (ref = its id in storage/searches.py)
    SIMILAR = "m"  # «Похожие» under an alert: a search for one subscription (ref = its id)


class RecentCb(CallbackData, prefix="r1"):
    kind: RecentKind
    page: Page
    ref: Id = 0


class FeedAction(StrEnum):
    DELETE = "d"
    ENABLE = "e"
    DISABLE = "x"
    FULLTEXT = "t"  # the feed's full-text mode, to the next one (bot/fulltext/modes.py)


class FeedCb(CallbackData, prefix="f1"):
    action: FeedAction
    feed_id: Id


class SettingsAction(StrEnum):
    MENU = "m"
    LANGUAGE = "l"
    TIMEZONE = "t"
    MODE = "a"
    STORIES = "g"  # story grouping on or off (value: "on" / "off")
    SCHEDULE = "d"  # delivery: instant, hourly or daily digest (a DeliverySchedule value)
    QUIET_OFF = "q"  # quiet hours off


class SettingsCb(CallbackData, prefix="c1"):
    action: SettingsAction
    value: str = ""


class TuneAction(StrEnum):
    """The tuning buttons under an alert (handlers/tuning.py); `alert` is the delivery's id."""

    WHY = "w"  # «Почему?»: a reply explaining the match
    EXCLUDE = "x"  # «Исключить…»: pick the subscription (sub=0), then its words (sub=id)
    WORD = "e"  # one word: add «-word» to `sub` (ref: the word's tag, bot/tuning/words.py)
    MUTE = "h"  # «Не показывать сюжет»
    UNMUTE = "u"  # the same button once pressed: show the story again
    MORE = "m"  # «⋯»: the subscriptions (sub=0), or one subscription's actions (sub=id)
    SNOOZE = "z"  # «Отложить» `sub` (ref: a bot.tuning.snooze.Snooze value)
    BACK = "b"  # the first row again


Tag = Annotated[int, Field(ge=0, le=2**32 - 1)]


class TuneCb(CallbackData, prefix="t1"):
    action: TuneAction
    alert: Id
    sub: Id = 0
    ref: Tag = 0


# Telegram chat ids: channels and groups are negative.
ChatId = Annotated[int, Field(ge=-(2**52), le=2**52)]


class TargetCb(CallbackData, prefix="d1"):
    """/chat's picker and the offer after the bot was added to a channel: configure this
    chat from here (`chat_id` 0: the private chat itself)."""

    chat_id: ChatId


class ListScope(StrEnum):
    TOPIC = "t"  # the forum topic the /list was asked in
    GROUP = "g"  # the whole group, every topic's subscriptions


class ListCb(CallbackData, prefix="l1"):
    scope: ListScope
