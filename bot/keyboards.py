"""Inline keyboards, each built by one small function from plain data and a language."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    FeedAction,
    FeedCb,
    ListCb,
    ListScope,
    OfferAction,
    OfferCb,
    RecentCb,
    RecentKind,
    SettingsAction,
    SettingsCb,
    SubAction,
    SubCb,
    TargetCb,
)
from bot.i18n import LANGUAGES, Texts, texts
from bot.timezones import ZONE_KEYS, zone_label
from bot.tuning.keyboards import main_row
from bot.views.fit import clip
from storage import AlertMode, Chat, ChatFeed, DeliverySchedule, Subscription

# Shown by /start: a name, a phrase and an alternative, to teach the language by example.
EXAMPLE_QUERIES = ("Лавров", '"прямое авиасообщение"', "ОПЕК+ OR нефть")
TIME_ZONES = ZONE_KEYS
ALERT_MODES = tuple(AlertMode)
# Story grouping as its buttons carry it: one alert per story, or every item on its own.
GROUPING = {"on": True, "off": False}
SCHEDULES = tuple(DeliverySchedule)
# Telegram shows at most 100 buttons under a message: /list offers the urgent switch per row
# only while three buttons a row fit (`/sub !query` works for any number).
_URGENT_ROWS = 33


def grouping_value(grouped: bool) -> str:
    """A chat's story grouping as its settings button carries it ("on" / "off")."""
    return "on" if grouped else "off"


_LABEL = 28  # characters of a query or title shown on a button
CHECK = "✓ "  # marks the current choice, as on the language buttons


def _label(text: str, limit: int = _LABEL) -> str:
    """A label-sized piece of user text on one line, cut at a word where possible."""
    return clip(text, limit, at_word=True)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def examples_keyboard(tr: Texts) -> InlineKeyboardMarkup:
    rows = [
        [_button(tr.plain("btn.offer", text=q), OfferCb(action=OfferAction.EXAMPLE, ref=i).pack())]
        for i, q in enumerate(EXAMPLE_QUERIES)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def offer_keyboard(text: str, message_id: int, tr: Texts) -> InlineKeyboardMarkup:
    data = OfferCb(action=OfferAction.SUBSCRIBE, ref=message_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(tr.plain("btn.offer", text=_label(text, 40)), data)]]
    )


def question_keyboard(
    pages: InlineKeyboardMarkup | None, words: str, message_id: int, tr: Texts
) -> InlineKeyboardMarkup:
    """Under the answer to a question: its page buttons, then the offer to subscribe."""
    rows = [
        *(pages.inline_keyboard if pages else []),
        *offer_keyboard(words, message_id, tr).inline_keyboard,
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def subscriptions_keyboard(subs: Sequence[Subscription], tr: Texts) -> InlineKeyboardMarkup:
    """One row per subscription: pause/resume with its number and text, and delete."""
    rows = []
    for n, sub in enumerate(subs, 1):
        label = _label(sub.query)
        if sub.paused or sub.snoozed_until is not None:  # ▶️ also ends a snooze
            toggle = _button(
                tr.plain("btn.resume", n=n, query=label),
                SubCb(action=SubAction.RESUME, sub_id=sub.id).pack(),
            )
        else:
            toggle = _button(
                tr.plain("btn.pause", n=n, query=label),
                SubCb(action=SubAction.PAUSE, sub_id=sub.id).pack(),
            )
        delete = _button(
            tr.plain("btn.delete", n=n), SubCb(action=SubAction.DELETE, sub_id=sub.id).pack()
        )
        row = [toggle, delete]
        if len(subs) <= _URGENT_ROWS:
            row.insert(1, _urgent_button(sub, n, tr))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _urgent_button(sub: Subscription, n: int, tr: Texts) -> InlineKeyboardButton:
    """Marked ✓ while the subscription is urgent; a press switches it."""
    if sub.urgent:
        return _button(
            tr.plain("btn.urgent_off", n=n), SubCb(action=SubAction.ORDINARY, sub_id=sub.id).pack()
        )
    return _button(
        tr.plain("btn.urgent_on", n=n), SubCb(action=SubAction.URGENT, sub_id=sub.id).pack()
    )


def unsub_keyboard(subs: Sequence[Subscription], tr: Texts) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                tr.plain("btn.unsub", n=n, query=_label(sub.query)),
                SubCb(action=SubAction.PICK, sub_id=sub.id).pack(),
            )
        ]
        for n, sub in enumerate(subs, 1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def pages_keyboard(
    kind: RecentKind, page: int, has_more: bool, tr: Texts, ref: int = 0
) -> InlineKeyboardMarkup | None:
    row = []
    if page > 0:
        data = RecentCb(kind=kind, page=page - 1, ref=ref).pack()
        row.append(_button(tr.plain("btn.prev"), data))
    if has_more:
        data = RecentCb(kind=kind, page=page + 1, ref=ref).pack()
        row.append(_button(tr.plain("btn.next"), data))
    return InlineKeyboardMarkup(inline_keyboard=[row]) if row else None


def feeds_keyboard(feeds: Sequence[ChatFeed], tr: Texts) -> InlineKeyboardMarkup:
    """Own feeds can be deleted; default feeds can only be switched off and on."""
    rows = []
    for cf in feeds:
        title = _label(cf.feed.title or cf.feed.url)
        if cf.own:
            key, action = "btn.feed_delete", FeedAction.DELETE
        elif cf.enabled:
            key, action = "btn.feed_disable", FeedAction.DISABLE
        else:
            key, action = "btn.feed_enable", FeedAction.ENABLE
        data = FeedCb(action=action, feed_id=cf.feed.id).pack()
        rows.append([_button(tr.plain(key, title=title), data)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def fulltext_keyboard(
    feeds: Sequence[ChatFeed], switchable: Collection[int], tr: Texts
) -> InlineKeyboardMarkup | None:
    """Under /feeds: one button per feed whose full-text mode this user may switch."""
    rows = []
    for cf in feeds:
        if cf.feed.id not in switchable:
            continue
        title = _label(cf.feed.title or cf.feed.url, 30)
        mode = tr.plain(f"fulltext.mode-{cf.feed.fulltext_mode}")
        data = FeedCb(action=FeedAction.FULLTEXT, feed_id=cf.feed.id).pack()
        rows.append([_button(tr.plain("btn.fulltext", title=title, mode=mode), data)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def settings_keyboard(
    tr: Texts,
    mode: str,
    grouped: bool,
    *,
    schedule: str = DeliverySchedule.INSTANT,
    quiet: bool = False,
) -> InlineKeyboardMarkup:
    """Language, alert mode, story grouping and delivery (at once or as a digest), the current
    ones marked ✓; the time zone opens its own list; quiet hours on get a button to end them."""
    languages = [
        _button(
            (CHECK if lang == tr.lang else "") + tr.plain(f"lang.{lang}"),
            SettingsCb(action=SettingsAction.LANGUAGE, value=lang).pack(),
        )
        for lang in LANGUAGES
    ]
    modes = [
        _button(
            (CHECK if m == mode else "") + tr.plain(f"btn.mode_{m}"),
            SettingsCb(action=SettingsAction.MODE, value=m).pack(),
        )
        for m in ALERT_MODES
    ]
    stories = [
        _button(
            (CHECK if value == grouping_value(grouped) else "") + tr.plain(f"btn.stories_{value}"),
            SettingsCb(action=SettingsAction.STORIES, value=value).pack(),
        )
        for value in GROUPING
    ]
    schedules = [
        _button(
            (CHECK if value == schedule else "") + tr.plain(f"btn.schedule_{value}"),
            SettingsCb(action=SettingsAction.SCHEDULE, value=value).pack(),
        )
        for value in SCHEDULES
    ]
    zone = [_button(tr.plain("btn.zone"), SettingsCb(action=SettingsAction.TIMEZONE).pack())]
    rows = [languages, zone, modes, stories, schedules]
    if quiet:
        rows.append(
            [
                _button(
                    tr.plain("btn.quiet_off"), SettingsCb(action=SettingsAction.QUIET_OFF).pack()
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def timezones_keyboard(tr: Texts, now: datetime, current: str) -> InlineKeyboardMarkup:
    """The usual zones as «Москва (UTC+3)», offsets as of `now`; the chat's own marked ✓."""
    builder = InlineKeyboardBuilder()
    for zone in TIME_ZONES:
        builder.button(
            text=(CHECK if zone == current else "") + zone_label(zone, now, tr),
            callback_data=SettingsCb(action=SettingsAction.TIMEZONE, value=zone),
        )
    builder.button(text=tr.plain("btn.back"), callback_data=SettingsCb(action=SettingsAction.MENU))
    builder.adjust(2)
    return builder.as_markup()


def alert_keyboard(alert: int, lang: str, story: bool) -> InlineKeyboardMarkup:
    """Buttons under an alert: one row of tuning buttons (bot/tuning/keyboards.py), whatever
    fired it; «⋯» opens the rest in place: per subscription, snooze, «Похожие» and
    unsubscribe. `alert` is the delivery's id; `story`: the item belongs to a story (it can be
    muted)."""
    return main_row(alert, texts(lang), story=story)


def target_keyboard(
    channels: Sequence[Chat], current: int, home: int, tr: Texts
) -> InlineKeyboardMarkup:
    """/chat: the private chat and each channel the user may configure; ✓ on the current."""

    def mark(chat_id: int) -> str:
        return CHECK if chat_id == current else ""

    rows = [[_button(mark(home) + tr.plain("btn.chat_private"), TargetCb(chat_id=0).pack())]]
    for channel in channels:
        label = tr.plain("btn.chat_channel", channel=_label(channel.title or str(channel.id)))
        rows.append([_button(mark(channel.id) + label, TargetCb(chat_id=channel.id).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def channel_offer_keyboard(channel: Chat, tr: Texts) -> InlineKeyboardMarkup:
    label = tr.plain("btn.channel_manage", channel=_label(channel.title or str(channel.id)))
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(label, TargetCb(chat_id=channel.id).pack())]]
    )


def list_scope_button(scope: ListScope, tr: Texts) -> list[InlineKeyboardButton]:
    """Under /list in a forum topic: switch to the whole group's list, or back."""
    key = "btn.list_group" if scope is ListScope.GROUP else "btn.list_topic"
    return [_button(tr.plain(key), ListCb(scope=scope).pack())]
