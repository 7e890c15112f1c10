"""A digest as the chat reads it: one line per story, grouped by subscription, newest first.

Only the next part is composed: the sender sends it, records which alerts it carried, and the
rest (if the digest had to be split at Telegram's limit) is composed again from what is left,
so a part that was sent is never resent and one that was not is never lost.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Html, Texts
from bot.views.fit import clip, fits
from bot.views.parts import link, local_time
from storage import Chat, DigestEntry

__all__ = ["DigestPart", "compose_part", "ordered"]

_TITLE_UNITS = 200
_SOURCE_UNITS = 40
_QUERY_UNITS = 60
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class DigestPart:
    html: Html
    plain: str  # the same without markup: the fallback when Telegram refuses the HTML
    delivery_ids: tuple[int, ...]


def _group(entry: DigestEntry) -> str:
    return entry.matched_queries[0] if entry.matched_queries else ""


def _newest(entry: DigestEntry) -> tuple[float, int]:
    return (entry.published_at.timestamp(), entry.delivery_id)


def ordered(entries: Sequence[DigestEntry]) -> list[tuple[str, list[DigestEntry]]]:
    """Groups by the subscription that fired first, each newest first; the group with the
    newest story first."""
    groups: dict[str, list[DigestEntry]] = {}
    for entry in entries:
        groups.setdefault(_group(entry), []).append(entry)
    for members in groups.values():
        members.sort(key=_newest, reverse=True)
    return sorted(groups.items(), key=lambda kv: _newest(kv[1][0]), reverse=True)


def _line(entry: DigestEntry, chat: Chat, tr: Texts) -> str:
    title = clip(entry.title, _TITLE_UNITS) or tr.plain("digest.untitled")
    source = clip(entry.source, _SOURCE_UNITS) + " · " if entry.source else ""
    count = " · " + tr.plain("digest.sources", count=entry.reports) if entry.reports > 1 else ""
    return tr(
        "digest.line",
        title=link(title, entry.link),
        source=source,
        when=local_time(entry.published_at, chat.timezone),
        sources=count,
    )


def compose_part(
    entries: Sequence[DigestEntry], chat: Chat, tr: Texts, *, quiet: bool, continued: bool
) -> DigestPart:
    """The next message of the digest: as many of its stories as Telegram takes at once."""
    blocks: list[str] = []
    carried: list[int] = []
    heading = "digest.title"
    if continued:
        heading = "digest.more_title"
    elif quiet:
        heading = "digest.quiet_title"
    full = False
    for query, members in ordered(entries):
        group: list[str] = [tr("digest.group", query=clip(query, _QUERY_UNITS))]
        for entry in members:
            line = _line(entry, chat, tr)
            head = tr(heading, count=len(carried) + 1)
            if carried and not fits("\n\n".join([head, *blocks, "\n".join([*group, line])])):
                full = True
                break
            group.append(line)
            carried.append(entry.delivery_id)
        if len(group) > 1:
            blocks.append("\n".join(group))
        if full:
            break
    text = Html("\n\n".join([tr(heading, count=len(carried)), *blocks]))
    plain = html.unescape(_TAG.sub("", text))
    return DigestPart(text, plain, tuple(carried))
