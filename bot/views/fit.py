"""Replies that fit Telegram: its 4,096 UTF-16 units and 100 entities per message.

`clip` is how user or feed text is cut to a length for a reply or a button label (the cut
itself is `bot.text.cut`, shared with feeds and storage quotas).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.alerts.html import MAX_ENTITIES, clean_line, html_size
from bot.i18n import Html
from bot.text import cut

__all__ = ["MAX_REPLY_ENTITIES", "MAX_REPLY_UTF16", "clip", "fits", "pack"]

# Telegram's limits on one message, with a margin for what it trims or adds.
MAX_REPLY_UTF16 = 4000
MAX_REPLY_ENTITIES = MAX_ENTITIES - 5


def clip(text: str, limit: int, *, at_word: bool = False) -> str:
    """One clean line of at most `limit` UTF-16 units (as Telegram counts), «…» if cut.

    `at_word` cuts at the last space when that keeps more than half of the room, so a label
    does not end in a broken word. Controls, bidi overrides and zero-width characters are
    dropped (`clean_line`): a label shows exactly what it acts on.
    """
    return cut(clean_line(text), limit, utf16=True, word_after=limit // 2 if at_word else None)


def fits(text: str) -> bool:
    """Whether one message of this HTML stays within Telegram's length and entity limits."""
    units, entities = html_size(text)
    return units <= MAX_REPLY_UTF16 and entities <= MAX_REPLY_ENTITIES


def pack(
    blocks: Sequence[str],
    *,
    more: Callable[[int], str],
    separator: str = "\n\n",
    max_messages: int = 3,
) -> list[Html]:
    """Blocks of HTML laid into as few messages as fit Telegram, never a block split.

    Past `max_messages`, the blocks left are summed up by `more(count)` at the end of the
    last message. A block too big for a message on its own (callers bound their blocks, so
    only by mistake) is replaced by «…» rather than refused by Telegram.
    """
    sep_units, sep_entities = html_size(separator)
    tail_units, tail_entities = html_size(separator + more(len(blocks)))
    messages: list[list[str]] = [[]]
    units = entities = 0
    for index, raw in enumerate(blocks):
        block = raw if fits(raw) else "…"
        b_units, b_entities = html_size(block)
        if messages[-1]:
            b_units, b_entities = b_units + sep_units, b_entities + sep_entities
        last = len(messages) == max_messages
        room_units = MAX_REPLY_UTF16 - (tail_units if last else 0)
        room_entities = MAX_REPLY_ENTITIES - (tail_entities if last else 0)
        if units + b_units <= room_units and entities + b_entities <= room_entities:
            messages[-1].append(block)
            units, entities = units + b_units, entities + b_entities
            continue
        if last or not messages[-1]:
            messages[-1].append(more(len(blocks) - index))
            break
        messages.append([block])
        units, entities = html_size(block)
    return [Html(separator.join(m)) for m in messages if m]
