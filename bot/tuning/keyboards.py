"""The tuning buttons under an alert: one short row, and the menus it opens in place.

The alert itself carries four buttons whatever fired it: «❓ Почему», «🚫 Слово», «🔕 Сюжет»
(only when the item belongs to a story) and «⋯». With several fired subscriptions, «Слово» and
«⋯» first ask which one, one row each; every menu ends with «← Назад» to the row. So an alert of
three subscriptions keeps four buttons, not twelve, and each label fits a phone's row.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import RecentCb, RecentKind, SubAction, SubCb, TuneAction, TuneCb
from bot.i18n import Texts
from bot.tuning.snooze import Snooze
from bot.tuning.words import word_tag
from bot.views.fit import clip

__all__ = [
    "main_row",
    "subscription_menu",
    "subscriptions_menu",
    "words_menu",
]

_LABEL = 28  # characters of a query shown on a button
_WORDS_PER_ROW = 2
_MAX_ROWS = 99  # Telegram shows at most 100 buttons; one is «← Назад»


def _button(text: str, data: TuneCb | SubCb | RecentCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def main_row(alert: int, tr: Texts, *, story: bool, muted: bool = False) -> InlineKeyboardMarkup:
    """The alert's own row; `muted`: the chat hid the story, the button now shows it again."""
    row = [
        _button(tr.plain("tune-btn-why"), TuneCb(action=TuneAction.WHY, alert=alert)),
        _button(tr.plain("tune-btn-exclude"), TuneCb(action=TuneAction.EXCLUDE, alert=alert)),
    ]
    if story:
        action = TuneAction.UNMUTE if muted else TuneAction.MUTE
        key = "tune-btn-unmute" if muted else "tune-btn-mute"
        row.append(_button(tr.plain(key), TuneCb(action=action, alert=alert)))
    row.append(_button(tr.plain("tune-btn-more"), TuneCb(action=TuneAction.MORE, alert=alert)))
    return InlineKeyboardMarkup(inline_keyboard=[row])


def _back(alert: int, tr: Texts, action: TuneAction = TuneAction.BACK) -> InlineKeyboardButton:
    return _button(tr.plain("tune-btn-back"), TuneCb(action=action, alert=alert))


def subscriptions_menu(
    alert: int, subs: Sequence[tuple[int, str]], action: TuneAction, tr: Texts
) -> InlineKeyboardMarkup:
    """Which subscription (of those that fired) `action` is for: one row each."""
    key = "tune-btn-pick_exclude" if action is TuneAction.EXCLUDE else "tune-btn-pick_more"
    rows = [
        [
            _button(
                tr.plain(key, query=clip(query, _LABEL, at_word=True)),
                TuneCb(action=action, alert=alert, sub=sub_id),
            )
        ]
        for sub_id, query in subs[:_MAX_ROWS]
    ]
    rows.append([_back(alert, tr)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def subscription_menu(
    alert: int, sub_id: int, tr: Texts, *, hour_label: str, back_to_list: bool
) -> InlineKeyboardMarkup:
    """One subscription's actions: snooze (an hour, till morning), similar news, unsubscribe."""
    snooze = [
        _button(
            tr.plain("tune-btn-snooze_hour", span=hour_label),
            TuneCb(action=TuneAction.SNOOZE, alert=alert, sub=sub_id, ref=Snooze.HOUR),
        ),
        _button(
            tr.plain("tune-btn-snooze_morning"),
            TuneCb(action=TuneAction.SNOOZE, alert=alert, sub=sub_id, ref=Snooze.MORNING),
        ),
    ]
    other = [
        _button(
            tr.plain("btn.alert_similar"), RecentCb(kind=RecentKind.SIMILAR, page=0, ref=sub_id)
        ),
        _button(tr.plain("tune-btn-unsub"), SubCb(action=SubAction.UNSUB, sub_id=sub_id)),
    ]
    back = _back(alert, tr, TuneAction.MORE if back_to_list else TuneAction.BACK)
    return InlineKeyboardMarkup(inline_keyboard=[snooze, other, [back]])


def words_menu(
    alert: int, sub_id: int, words: Sequence[str], tr: Texts, *, back_to_list: bool
) -> InlineKeyboardMarkup:
    """One button per word: a tap adds «-word» to the subscription."""
    buttons = [
        _button(
            tr.plain("tune-btn-word", word=clip(word, _LABEL)),
            TuneCb(action=TuneAction.WORD, alert=alert, sub=sub_id, ref=word_tag(word)),
        )
        for word in words
    ]
    rows = [buttons[i : i + _WORDS_PER_ROW] for i in range(0, len(buttons), _WORDS_PER_ROW)]
    rows.append([_back(alert, tr, TuneAction.EXCLUDE if back_to_list else TuneAction.BACK)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
