"""What a person may type to name a public Telegram channel, and the addresses made from it.

A channel is kept as an ordinary feed whose URL is its public preview, ``https://t.me/s/<name>``
(the name lower-cased: Telegram usernames ignore case, so ``@Durov`` and ``t.me/durov`` are one
feed, not two). Everything the bot fetches for a channel is built from a validated name, so a
user's text can never steer the host or the path of the request.

Usernames are 5 to 32 characters of ``a-z``, ``0-9`` and ``_``, beginning with a letter, with no
trailing underscore and no two underscores in a row; collectible (Fragment) usernames can be as
short as 4, so 4 is accepted. Links that are Telegram but not a public channel (invitations
``t.me/+…`` and ``t.me/joinchat/…``, private channels' posts ``t.me/c/…``, sticker sets,
proxies …) are recognised so they can be refused as such rather than as "not a URL".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_PREVIEW_BASE",
    "ChannelReference",
    "channel_of_feed",
    "channel_reference",
    "feed_url",
    "fetch_url",
    "is_channel_feed",
    "is_telegram_host",
    "post_link",
    "valid_name",
]

DEFAULT_PREVIEW_BASE = "https://t.me/s/"
PUBLIC_BASE = "https://t.me/"
_FEED_BASE = "https://t.me/s/"

_NAME = re.compile(r"[a-z][a-z0-9_]{2,30}[a-z0-9]")
_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me", "telegram.dog"})
# First path segments of t.me that are pages of Telegram, not usernames (all are reserved).
_SERVICE_PATHS = frozenset(
    {
        "addemoji",
        "addlist",
        "addstickers",
        "addtheme",
        "boost",
        "confirmphone",
        "contact",
        "giftcode",
        "invoice",
        "joinchat",
        "login",
        "proxy",
        "setlanguage",
        "share",
        "socks",
    }
)
_POST_ID = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class ChannelReference:
    """A Telegram reference: `name` of a public channel, or None for a Telegram link that
    names no public channel (an invitation, a private channel's post, a service page)."""

    name: str | None


def valid_name(name: str) -> bool:
    """Whether `name` (lower case) is shaped like a public username."""
    return bool(_NAME.fullmatch(name)) and "__" not in name


def feed_url(name: str) -> str:
    """The URL a channel is stored under (its public preview page)."""
    return _FEED_BASE + name


def post_link(name: str, post_id: int) -> str:
    """A post's public link: always t.me itself, whatever preview base pages come from."""
    return f"{PUBLIC_BASE}{name}/{post_id}"


def _name(text: str) -> str | None:
    name = text.lower()
    return name if valid_name(name) else None


def channel_reference(text: str) -> ChannelReference | None:
    """The channel `text` names (``@name``, ``t.me/name``, ``https://t.me/s/name``, a post
    link ``https://t.me/name/123``), a refusal for other Telegram links, or None when `text`
    is not a Telegram reference at all (an ordinary feed URL, say)."""
    text = text.strip().strip("<>")
    if not text or len(text.split()) != 1:
        return None
    if text.startswith("@"):
        return ChannelReference(_name(text[1:]))
    address = text if "://" in text else "https://" + text
    try:
        parts = urlsplit(address)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in _HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[0].lower() == "s":
        segments = segments[1:]
    if not segments or len(segments) > 2:
        return ChannelReference(None)
    first = segments[0].lower()
    if first in _SERVICE_PATHS:
        return ChannelReference(None)
    if len(segments) == 2 and not _POST_ID.fullmatch(segments[1]):
        return ChannelReference(None)
    return ChannelReference(_name(first))


def channel_of_feed(url: str) -> str | None:
    """The channel a feed URL follows (a t.me preview address, ``…/s/<name>``), else None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in _HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2 or segments[0] != "s" or parts.query or parts.fragment:
        return None
    return _name(segments[1])


def is_telegram_host(host: str) -> bool:
    """t.me and its aliases (a link there is Telegram's page, never an article)."""
    host = host.lower().rstrip(".")
    return host in _HOSTS or host.endswith(".t.me")


def is_channel_feed(url: str) -> bool:
    return channel_of_feed(url) is not None


def fetch_url(url: str, preview_base: str) -> str:
    """Where to fetch feed `url` from: a channel's page under the operator's preview base
    (TELEGRAM_CHANNEL_PREVIEW_URL), any other feed at its own address."""
    name = channel_of_feed(url)
    if name is None:
        return url
    base = preview_base if preview_base.endswith("/") else preview_base + "/"
    return base + name
