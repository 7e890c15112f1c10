"""Extractive summaries that show, at a glance on a phone, what an item is about and why it fired.

The summary is the lead sentence (what happened) plus the first sentence holding each matched
word (why the chat gets it), in text order, never rewritten: words keep the form they have in the
text, so «Сергея Лаврова» stays as printed and the match is bolded where it stands. When that is
too long, the sentences holding matches shrink to a window of words around the match first, the
lead second, always at word boundaries and marked with «…».
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.alerts.dateline import dateline_end
from bot.alerts.html import escape, sanitize
from bot.alerts.sentences import SentenceFinder
from bot.text import ELLIPSIS, Span, merge_spans, utf16_len, utf16_prefix

__all__ = ["Summary", "summarize"]

GAP = f" {ELLIPSIS} "
# Smallest useful piece: enough words around a match to read it in context.
_MIN_PIECE = 80
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_FIRST_VISIBLE = re.compile(r"\S")
_MIN_SCAN = 1000  # characters razdel sees either side of a match, at least
_TRAILING_JUNK = " \t\n,;:—–-"


@dataclass(frozen=True)
class Summary:
    """Plain summary text plus the character spans in it that matched a subscription."""

    text: str
    marks: tuple[Span, ...] = ()

    def to_html(self) -> str:
        """Telegram HTML: every piece escaped, marks in <b>; malformed marks are skipped."""
        return self.marked("<b>", "</b>", escape)

    def marked(self, before: str, after: str, convert: Callable[[str], str] = str) -> str:
        """The text with each mark wrapped in `before`/`after`, every piece passed to `convert`."""
        out: list[str] = []
        pos = 0
        for start, end in sorted(self.marks):
            end = min(end, len(self.text))
            if start < pos or end <= start:
                continue
            out.append(convert(self.text[pos:start]))
            out.append(f"{before}{convert(self.text[start:end])}{after}")
            pos = end
        out.append(convert(self.text[pos:]))
        return "".join(out)

    def shortened(self, max_utf16: int) -> Summary:
        """Cut at a word boundary with «…» to fit max_utf16 UTF-16 code units (Telegram's unit)."""
        if utf16_len(self.text) <= max_utf16:
            return self
        if max_utf16 < 1:
            return Summary("")
        cut = _word_cut(self.text, utf16_prefix(self.text, max_utf16 - 1))
        marks = tuple((s, min(e, cut)) for s, e in self.marks if s < cut and min(e, cut) > s)
        return Summary(self.text[:cut] + ELLIPSIS, marks)


def _word_cut(text: str, limit: int) -> int:
    """End of the kept prefix: the last word boundary at or before limit, minus dangling commas."""
    if limit >= len(text):
        return len(text)
    cut = limit
    if not text[limit].isspace():
        boundary = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
        if boundary > 0:
            cut = boundary
    while cut > 0 and text[cut - 1] in _TRAILING_JUNK:
        cut -= 1
    return cut if cut > 0 else limit


@dataclass
class _Piece:
    """One sentence chosen for the summary, with the matches it must keep visible."""

    start: int
    stop: int
    cut_left: bool = False  # only part of a very long sentence was split: more text precedes
    cut_right: bool = False
    anchors: list[Span] = field(default_factory=list)
    marks: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class _Rendered:
    """A piece cut down to source segments that are joined by single spaces."""

    segments: tuple[Span, ...]
    cut_left: bool
    cut_right: bool


def summarize(text: str, highlights: Sequence[Span], *, limit: int = 400) -> Summary:
    """Summary of at most `limit` characters; `highlights` are spans of matched words in `text`."""
    if limit <= 0 or not text.strip():
        return Summary("")
    text = sanitize(text)  # one-for-one replacements: highlight offsets stay valid
    body = dateline_end(text)
    spans = _clean_spans(highlights, body, len(text))
    pieces = _choose_pieces(text, body, spans, limit)
    if not pieces:
        return Summary("")
    return _assemble(text, pieces, limit)


def _clean_spans(highlights: Sequence[Span], body: int, size: int) -> list[Span]:
    """Sorted, merged, in-bounds spans; anything inside the dateline is not shown anyway."""
    cleaned: list[Span] = []
    for item in highlights:
        try:
            start, end = int(item[0]), int(item[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(start, body), min(end, size)
        if start < end:
            cleaned.append((start, end))
    return merge_spans(cleaned)


def _choose_pieces(text: str, body: int, spans: list[Span], limit: int) -> list[_Piece]:
    """The lead plus the first sentence with each distinct matched word, in text order."""
    finder = SentenceFinder(text, body, scan=max(_MIN_SCAN, 2 * limit))
    lead_at = _FIRST_VISIBLE.search(text, body)
    lead = finder.at(lead_at.start()) if lead_at else None
    if lead is None:
        return []
    pieces = [_Piece(lead.start, lead.stop, lead.cut_left, lead.cut_right)]
    most = limit // (_MIN_PIECE + len(GAP)) + 1  # more could never fit
    seen: set[str] = set()
    for start, end in spans:
        key = text[start:end].casefold()
        if key in seen:
            continue
        owner = next((p for p in pieces if p.start <= start < p.stop), None)
        if owner is None:
            sentence = finder.at(start)
            if sentence is None:
                continue  # whitespace between sentences
            if len(pieces) >= most:
                break
            # Sentences from different razdel runs may overlap at the edges; never repeat text.
            left = max([sentence.start] + [p.stop for p in pieces if p.start < start])
            owner = _Piece(left, sentence.stop, sentence.cut_left, sentence.cut_right)
            pieces.append(owner)
            pieces.sort(key=lambda p: p.start)
        seen.add(key)
        owner.anchors.append((start, min(end, owner.stop)))
    starts = [span[0] for span in spans]
    for piece in pieces:
        first = bisect_left(starts, piece.start)
        last = bisect_left(starts, piece.stop)
        piece.marks = [(s, min(e, piece.stop)) for s, e in spans[first:last]]
    return pieces


def _assemble(text: str, pieces: list[_Piece], limit: int) -> Summary:
    tokens = [_tokens(text, piece) for piece in pieces]
    full = [words.length(0, len(words.spans) - 1) for words in tokens]
    minimum = [min(f, _MIN_PIECE) for f in full]
    while len(pieces) > 1 and sum(minimum) + len(GAP) * (len(pieces) - 1) > limit:
        pieces, tokens, full, minimum = pieces[:-1], tokens[:-1], full[:-1], minimum[:-1]
    available = limit - len(GAP) * (len(pieces) - 1)
    budgets = [min(full[0], available - sum(minimum[1:]))]
    budgets += _share(full[1:], available - budgets[0])
    rendered = [
        _render(text, piece, toks, budget)
        for piece, toks, budget in zip(pieces, tokens, budgets, strict=True)
    ]
    return _join(text, pieces, rendered)


@dataclass(frozen=True)
class _Words:
    """A piece's words, and whether the sentence goes on beyond what razdel was shown."""

    spans: list[Span]
    more_left: bool
    more_right: bool

    def length(self, first: int, last: int) -> int:
        """Output length of words first..last joined by spaces, with «…» for cut ends."""
        if not self.spans:
            return 0
        words = sum(end - start for start, end in self.spans[first : last + 1])
        return words + (last - first) + self.cut_left(first) + self.cut_right(last)

    def cut_left(self, first: int) -> bool:
        return first > 0 or self.more_left

    def cut_right(self, last: int) -> bool:
        return last < len(self.spans) - 1 or self.more_right


def _tokens(text: str, piece: _Piece) -> _Words:
    spans = [m.span() for m in _WORD.finditer(text, piece.start, piece.stop)]
    return _Words(spans, piece.cut_left, piece.cut_right)


def _share(full: list[int], total: int) -> list[int]:
    """Split total between pieces evenly, never giving one more than its full length."""
    budgets = [0] * len(full)
    remaining = total
    for position, index in enumerate(sorted(range(len(full)), key=lambda i: full[i])):
        share = remaining // (len(full) - position)
        budgets[index] = min(full[index], share)
        remaining -= budgets[index]
    return budgets


def _render(text: str, piece: _Piece, words: _Words, budget: int) -> _Rendered:
    tokens = words.spans
    last = len(tokens) - 1
    if words.length(0, last) <= budget:
        return _Rendered(tuple(tokens), words.cut_left(0), words.cut_right(last))
    anchor_words = [_token_range(tokens, anchor) for anchor in piece.anchors] or [(0, 0)]
    # Keep as many of this sentence's matches as fit; the first one at the very least.
    for keep in range(len(anchor_words), 0, -1):
        first, last_anchor = anchor_words[0][0], anchor_words[keep - 1][1]
        window = _window(words, first, last_anchor, budget)
        if window is not None:
            i, j = window
            while 0 < i < first and not any(c.isalnum() for c in text[slice(*tokens[i])]):
                i += 1  # «…- говорится» starts on a stray dash
            return _Rendered(tuple(tokens[i : j + 1]), words.cut_left(i), words.cut_right(j))
    return _char_window(text, piece, budget)


def _token_range(tokens: list[Span], span: Span) -> tuple[int, int]:
    first = next((i for i, (_, end) in enumerate(tokens) if end > span[0]), len(tokens) - 1)
    last = next((i for i in range(first, len(tokens)) if tokens[i][1] >= span[1]), first)
    return first, last


def _window(words: _Words, first: int, last: int, budget: int) -> tuple[int, int] | None:
    """Widest run of words that holds tokens[first..last] and fits the budget.

    A window that can start at the sentence start does (it reads naturally); otherwise it grows
    one word left, one word right, so the match sits in the middle of its context.
    """
    if words.length(first, last) > budget:
        return None
    end = len(words.spans) - 1
    if words.length(0, last) <= budget:
        i, j = 0, last
        while j < end and words.length(i, j + 1) <= budget:
            j += 1
        return i, j
    i, j = first, last
    grew = True
    while grew:
        grew = False
        if i > 0 and words.length(i - 1, j) <= budget:
            i -= 1
            grew = True
        if j < end and words.length(i, j + 1) <= budget:
            j += 1
            grew = True
    return i, j


def _char_window(text: str, piece: _Piece, budget: int) -> _Rendered:
    """Last resort for a 'word' longer than the budget (URLs, text without spaces)."""
    if budget < 3:
        return _Rendered((), False, False)
    room = max(budget - 2, 1)
    anchor = piece.anchors[0][0] if piece.anchors else piece.start
    start = max(piece.start, min(anchor - room // 4, piece.stop - room))
    start = max(start, piece.start)
    while start > piece.start and start < piece.stop and text[start].isspace():
        start += 1
    cut_left = start > piece.start or piece.cut_left
    room = budget - cut_left - 1  # one for the closing «…», which is needed: the piece is long
    stop = min(piece.stop, start + max(room, 0))
    return _Rendered(((start, stop),), cut_left, stop < piece.stop or piece.cut_right)


def _join(text: str, pieces: list[_Piece], rendered: list[_Rendered]) -> Summary:
    out: list[str] = []
    marks: list[Span] = []
    length = 0
    previous: tuple[_Piece, _Rendered] | None = None
    for piece, part in zip(pieces, rendered, strict=True):
        if not part.segments:
            continue
        if previous is not None:
            adjacent = not text[previous[0].stop : piece.start].strip()
            ellipsis_already = previous[1].cut_right or part.cut_left
            sep = " " if adjacent or ellipsis_already else GAP
            out.append(sep)
            length += len(sep)
        if part.cut_left and not (previous is not None and previous[1].cut_right):
            out.append(ELLIPSIS)
            length += 1
        positions: list[tuple[Span, int]] = []
        for index, (start, stop) in enumerate(part.segments):
            if index:
                out.append(" ")
                length += 1
            positions.append(((start, stop), length))
            out.append(_SPACE.sub(" ", text[start:stop]))
            length += stop - start
        if part.cut_right:
            # «диалога,…» reads as a typo; «диалога…» does not.
            kept = out[-1].rstrip(_TRAILING_JUNK)
            if kept:
                length -= len(out[-1]) - len(kept)
                out[-1] = kept
        marks.extend((s, min(e, length)) for s, e in _map_marks(piece.marks, positions))
        if part.cut_right:
            out.append(ELLIPSIS)
            length += 1
        previous = (piece, part)
    return Summary("".join(out), tuple(marks))


def _map_marks(spans: list[Span], positions: list[tuple[Span, int]]) -> Iterator[Span]:
    """Where each match landed in the output; a match cut by the window keeps its visible part."""
    low, high = positions[0][0][0], positions[-1][0][1]
    for start, end in spans:
        if end <= low or start >= high:
            continue
        hits = [
            (max(start, s) - s + out, min(end, e) - s + out)
            for (s, e), out in positions
            if start < e and end > s
        ]
        if hits:
            yield hits[0][0], hits[-1][1]
