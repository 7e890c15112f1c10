"""Inverted index of subscriptions.

Each OR alternative of a query is filed under one *anchor* term (its most selective positive
term), under every key of that term, or under its prefix for ``word*`` anchors. Matching an
item looks up the item's own keys (and the prefixes of its words), so the cost follows the item
length and the number of candidates, not the number of subscriptions. Candidates are then
verified with the query's direct check. Identical queries share one entry, so a popular query
subscribed by thousands of chats is stored and verified once.
"""

from __future__ import annotations

from bot.matching.analyzer import Document, WordInfo
from bot.matching.query import (
    AliasTerm,
    Branch,
    CompiledQuery,
    MatchResult,
    PhraseTerm,
    PrefixTerm,
    Scan,
    Term,
    anchor_rank,
)


class _Entry:
    """One distinct query and the subscriptions holding it (hashed by identity)."""

    __slots__ = ("anchors", "ids", "query", "simple")

    def __init__(self, query: CompiledQuery, anchors: tuple[tuple[bool, str], ...]) -> None:
        self.query = query
        self.anchors = anchors  # (is_prefix, key) pairs this entry is filed under
        self.ids: list[int] = []
        # A lone word (the commonest subscription), or a lone name whose other names are
        # single words too, is its own anchor: a hit needs no check.
        branches = query.branches
        self.simple: Branch | None = None
        if (
            len(branches) == 1
            and not branches[0].negatives
            and len(branches[0].positives) == 1
            and _single_word(branches[0].positives[0])
        ):
            self.simple = branches[0]


class SubscriptionIndex:
    def __init__(self) -> None:
        self._by_id: dict[int, _Entry] = {}
        self._entries: dict[tuple[Branch, ...], _Entry] = {}
        self._keys: dict[str, list[_Entry]] = {}
        self._prefixes: dict[str, list[_Entry]] = {}
        self._prefix_lengths: dict[int, int] = {}  # prefix length -> number of prefixes indexed

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def add(self, key: int, query: CompiledQuery) -> None:
        """File a subscription; re-adding a key replaces its query."""
        self.remove(key)
        entry = self._entries.get(query.branches)
        if entry is None:
            entry = _Entry(query, _anchors(query))
            self._entries[query.branches] = entry
            for is_prefix, anchor in entry.anchors:
                table = self._prefixes if is_prefix else self._keys
                table.setdefault(anchor, []).append(entry)
                if is_prefix:
                    n = len(anchor)
                    self._prefix_lengths[n] = self._prefix_lengths.get(n, 0) + 1
        entry.ids.append(key)
        self._by_id[key] = entry

    def remove(self, key: int) -> None:
        entry = self._by_id.pop(key, None)
        if entry is None:
            return
        entry.ids.remove(key)
        if entry.ids:
            return
        del self._entries[entry.query.branches]
        for is_prefix, anchor in entry.anchors:
            table = self._prefixes if is_prefix else self._keys
            bucket = table[anchor]
            bucket.remove(entry)
            if not bucket:
                del table[anchor]
            if is_prefix:
                n = len(anchor)
                self._prefix_lengths[n] -= 1
                if not self._prefix_lengths[n]:
                    del self._prefix_lengths[n]

    def match(self, doc: Document) -> dict[int, MatchResult]:
        """Subscription id -> verified result (positions and spans), for every subscription the
        item satisfies: what highlighting and /recent need."""
        candidates, scan = self._candidates(doc)
        out: dict[int, MatchResult] = {}
        for entry in candidates:
            if entry.simple is not None:
                result: MatchResult | None = scan.result([entry.simple])
            else:
                result = entry.query.match(doc, scan)
            if result is not None:
                if len(entry.ids) == 1:
                    out[entry.ids[0]] = result
                else:
                    out.update(dict.fromkeys(entry.ids, result))
        return out

    def match_ids(self, doc: Document) -> set[int]:
        """The ids `match` would return, without building positions or spans: ingest only
        needs to know who to alert (the composer finds the words to highlight at send time)."""
        candidates, scan = self._candidates(doc)
        out: set[int] = set()
        for entry in candidates:
            # A lone word was found by one of its own keys: the lookup was the check.
            if entry.simple is not None or entry.query.matches(doc, scan):
                out.update(entry.ids)
        return out

    def _candidates(self, doc: Document) -> tuple[set[_Entry], Scan]:
        """Entries filed under one of the item's keys or word prefixes, and a scan that
        already knows where those prefixes occur."""
        candidates: set[_Entry] = set()
        keys = self._keys
        for key in doc.postings:
            bucket = keys.get(key)
            if bucket:
                candidates.update(bucket)
        found_prefixes: dict[str, list[int]] = {}
        if self._prefix_lengths:
            prefixes = self._prefixes
            lengths = sorted(self._prefix_lengths)
            for position, tok in enumerate(doc.tokens):
                norm = tok.norm
                for n in lengths:
                    if n > len(norm):
                        break
                    prefix = norm[:n]
                    bucket = prefixes.get(prefix)
                    if bucket:
                        found_prefixes.setdefault(prefix, []).append(position)
                        candidates.update(bucket)
        return candidates, Scan(doc, found_prefixes, self._prefixes)


def _anchors(query: CompiledQuery) -> tuple[tuple[bool, str], ...]:
    anchors: set[tuple[bool, str]] = set()
    for branch in query.branches:
        best = max(branch.positives, key=anchor_rank)
        anchors.update(_term_anchors(best))
    return tuple(sorted(anchors))


def _single_word(term: Term) -> bool:
    if isinstance(term, AliasTerm):
        return all(len(alt) == 1 and isinstance(alt[0], WordInfo) for alt in term.alternatives)
    return isinstance(term, WordInfo)


def _term_anchors(term: Term) -> list[tuple[bool, str]]:
    """The keys a term is filed under: for a name with aliases, each alternative's best."""
    if isinstance(term, AliasTerm):
        return [a for alt in term.alternatives for a in _term_anchors(max(alt, key=anchor_rank))]
    if isinstance(term, PrefixTerm):
        return [(True, term.prefix)]
    if isinstance(term, PhraseTerm):
        word: WordInfo = max(term.words, key=anchor_rank)
        return [(False, key) for key in word.keys]
    return [(False, key) for key in term.keys]
