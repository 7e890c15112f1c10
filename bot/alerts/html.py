"""Text hygiene for Telegram: escaping, safe links, and measuring length the way Telegram does.

Feed text is hostile by default. Telegram rejects a whole message over one stray `<` or `&`, and
counts the 4096-character limit in UTF-16 code units of the visible text, so an emoji costs two.
"""

from __future__ import annotations

import html
import re

from bot.text import utf16_len
from bot.urls import is_http_url

__all__ = [
    "MAX_ENTITIES",
    "MAX_LINK_UTF16",
    "clean_line",
    "escape",
    "escape_attr",
    "html_size",
    "safe_link",
    "sanitize",
]

# A link longer than this would crowd out the alert itself; it is treated as no link at all.
MAX_LINK_UTF16 = 2048
MAX_ENTITIES = 100  # formatting entities Telegram keeps in one message

# C0/C1 controls (except tab and newline) break Telegram's parser or display as garbage; lone
# surrogates (from mis-decoded feeds) cannot even be encoded to UTF-8 for the request.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Characters that change how the text around them is shown without being seen themselves:
# bidi embeddings, overrides and isolates (an RTL override turns «Лавров» into «вовраЛ» and
# can disguise what a button does), zero-width spaces and joiners, the BOM, soft hyphens,
# and invisible operators. Together with C0/C1 controls they are dropped from one-line labels.
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)[a-zA-Z][a-zA-Z0-9-]*[^>]*>")
# Commands in a text become bot_command entities on Telegram's side: counted with the tags.
_COMMAND = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?")
# Whitespace and controls cannot be in a working link; quotes and brackets are merely escaped.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Replace unusable characters one for one, so that offsets into the text stay valid."""

    def replace(match: re.Match[str]) -> str:
        return "\ufffd" if _SURROGATE.fullmatch(match.group()) else " "

    return _BAD_CHARS.sub(replace, text)


def clean_line(text: str) -> str:
    """User or feed text made fit for one line of a label or a list: what shows is what is.

    Line breaks and other whitespace become single spaces; controls, bidi overrides and
    zero-width characters are removed (unlike `sanitize`, offsets are not kept: a label is
    never highlighted). Lone surrogates are removed too, so the result always encodes.
    """
    visible = _INVISIBLE.sub("", _SPACES.sub(" ", text))  # line breaks become spaces first
    return _SPACES.sub(" ", visible).strip()


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (only <, > and & are special outside tags)."""
    return html.escape(text, quote=False)


def escape_attr(text: str) -> str:
    """Escape a double-quoted attribute value with the named entities Telegram supports."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def safe_link(link: str | None) -> str | None:
    """The link if a reader can safely follow it (absolute http/https), else None.

    `javascript:`, `data:`, `tg:` and relative links are refused rather than repaired: a feed
    that sends them is broken or malicious, and the alert is still useful without a link.
    """
    if not link:
        return None
    link = link.strip()
    if not link or utf16_len(link) > MAX_LINK_UTF16 or _URL_FORBIDDEN.search(link):
        return None
    return link if is_http_url(link) else None


def html_size(markup: str) -> tuple[int, int]:
    """(UTF-16 units of the visible text, entities) of a Telegram HTML text the bot built.

    Each opening tag is one entity and so is each /command Telegram will link; the visible
    text is what remains once tags are removed and character references decoded. Meant for
    the bot's own well-formed HTML (templates with escaped parameters), not for arbitrary input.
    """
    tags = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal tags
        tags += not match.group(1)
        return ""

    visible = html.unescape(_TAG.sub(drop, markup))
    return utf16_len(visible), tags + len(_COMMAND.findall(visible))
