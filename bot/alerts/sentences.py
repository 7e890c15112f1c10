"""The sentence around a position in an article, found without splitting the whole article."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

import razdel

__all__ = ["Sentence", "SentenceFinder"]

_SPACE = re.compile(r"\s")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Sentence:
    start: int
    stop: int
    cut_left: bool  # razdel saw only part of it: the region began inside the sentence
    cut_right: bool


class SentenceFinder:
    """The sentence around a position, from razdel run on a bounded stretch of its paragraph.

    Splitting a whole 100,000-character article into sentences takes most of a second; the
    summary needs only the lead and a few sentences around matches, so razdel sees at most
    `scan` characters either side of each, never crossing a paragraph break.
    """

    def __init__(self, text: str, body: int, scan: int) -> None:
        self.text = text
        self.scan = scan
        breaks = list(_PARAGRAPH_BREAK.finditer(text, body))
        self.starts = [body] + [m.end() for m in breaks]
        self.ends = [m.start() for m in breaks] + [len(text)]
        self.regions: list[tuple[int, int, list[Sentence]]] = []

    def at(self, position: int) -> Sentence | None:
        for low, high, sentences in self.regions:
            if low <= position < high:
                found = self._lookup(sentences, position)
                if found is not None and not (found.cut_left or found.cut_right):
                    return found
        return self._lookup(self._split_around(position), position)

    @staticmethod
    def _lookup(sentences: list[Sentence], position: int) -> Sentence | None:
        index = bisect_right([s.start for s in sentences], position) - 1
        if index >= 0 and position < sentences[index].stop:
            return sentences[index]
        return None

    def _split_around(self, position: int) -> list[Sentence]:
        paragraph = bisect_right(self.starts, position) - 1
        first, last = self.starts[paragraph], self.ends[paragraph]
        low, high = max(first, position - self.scan), min(last, position + self.scan)
        if low > first:  # start on a word, not inside one
            found = _SPACE.search(self.text, low, position)
            low = found.end() if found else low
        if high < last:
            space = max(
                self.text.rfind(" ", position, high), self.text.rfind("\n", position, high)
            )
            high = space if space > position else high
        sentences = [
            Sentence(low + part.start, low + part.stop, False, False)
            for part in razdel.sentenize(self.text[low:high])
            if part.text.strip()
        ]
        if sentences and low > first:
            sentences[0] = replace(sentences[0], cut_left=True)
        if sentences and high < last:
            sentences[-1] = replace(sentences[-1], cut_right=True)
        self.regions.append((low, high, sentences))
        return sentences
