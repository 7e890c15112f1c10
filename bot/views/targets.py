"""Replies about which chat a private chat configures: the /chat picker, offers, refusals."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Html, Texts
from bot.views.fit import clip
from storage import Chat, ChatKind

__all__ = ["chat_name", "render_current", "render_picker", "target_header"]

_NAME_UNITS = 64


def chat_name(chat: Chat, tr: Texts) -> str:
    """A channel's title as people know it (plain: `tr` escapes it), or its id."""
    return clip(chat.title, _NAME_UNITS) if chat.title else str(chat.id)


def render_current(target: Chat, tr: Texts) -> Html:
    if target.type == ChatKind.PRIVATE:
        return tr("chat.current_private")
    return tr("chat.current_channel", channel=chat_name(target, tr))


def render_picker(target: Chat, channels: Sequence[Chat], tr: Texts) -> Html:
    key = "chat.picker" if channels else "chat.picker_empty"
    return tr(key, current=render_current(target, tr))


def target_header(target: Chat, tr: Texts) -> Html | None:
    """The line that says a reply is about a channel, not the private chat it is read in."""
    if target.type != ChatKind.CHANNEL:
        return None
    return tr("target.header", channel=chat_name(target, tr))
