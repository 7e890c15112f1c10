"""Candidate lookup: which recent stories share an item's rarest keys.

Comparing a new item with every story in a 24-hour window costs O(window) per item; at
news-stream rates that grows without bound. Instead each key keeps the ids of the stories that
used it most recently (at most POSTINGS_PER_KEY), an item probes only its PROBE_KEYS rarest
keys, and only the best CANDIDATES stories by shared rare keys get a full comparison. Every
step is bounded by a constant, so the cost per item stays flat as the window fills. A story
that shares none of an item's rarest keys is not the same happening anyway: reports of one
event repeat its names, places and numbers, which are exactly the rare keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PROBE_KEYS = 12
POSTINGS_PER_KEY = 48
CANDIDATES = 12


class StoryIndex:
    """Key -> recent story ids (an insertion-ordered dict used as a bounded LRU set)."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[str, None]] = {}

    def __len__(self) -> int:
        return len(self._postings)

    def add(self, story_id: str, keys: Iterable[str]) -> None:
        """Mark `story_id` as the most recent user of `keys`."""
        postings = self._postings
        for key in keys:
            ids = postings.get(key)
            if ids is None:
                postings[key] = {story_id: None}
                continue
            ids.pop(story_id, None)
            ids[story_id] = None
            if len(ids) > POSTINGS_PER_KEY:
                del ids[next(iter(ids))]

    def remove(self, story_id: str, keys: Iterable[str]) -> None:
        """Drop an expired story, so dead keys do not pile up over weeks of running."""
        postings = self._postings
        for key in keys:
            ids = postings.get(key)
            if ids is not None and ids.pop(story_id, 0) is None and not ids:
                del postings[key]

    def candidates(
        self, weights: dict[str, float], idf: Callable[[str], float], live: Callable[[str], bool]
    ) -> list[str]:
        """The stories sharing the most rare weight with an item, best first."""
        ranked = sorted(weights, key=lambda k: weights[k] * idf(k), reverse=True)
        score: dict[str, float] = {}
        for key in ranked[:PROBE_KEYS]:
            ids = self._postings.get(key)
            if not ids:
                continue
            gain = weights[key] * idf(key)
            for story_id in ids:
                score[story_id] = score.get(story_id, 0.0) + gain
        best = sorted(score, key=score.__getitem__, reverse=True)
        return [story_id for story_id in best if live(story_id)][:CANDIDATES]
