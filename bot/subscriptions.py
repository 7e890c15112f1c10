"""Subscriptions as the domain sees them: validated queries kept in step with the live index.

Storage is the source of truth; the in-memory index mirrors every unpaused subscription so a
new one takes effect for the very next item, without a restart.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.alerts.html import clean_line
from bot.clock import Clock, utc_now
from bot.matching import (
    Analyzer,
    CompiledQuery,
    Document,
    QueryError,
    SubscriptionIndex,
    parse_query,
)
from bot.tuning.words import with_exclusion
from storage import DuplicateSubscriptionError, Repository, Subscription


class Refusal(StrEnum):
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    LIMIT = "limit"


@dataclass(frozen=True)
class SubscribeOutcome:
    """One query's fate in a `/sub a, b` request: saved, or refused with the reason."""

    raw: str
    subscription: Subscription | None = None
    query: CompiledQuery | None = None
    refusal: Refusal | None = None
    error: QueryError | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionHit:
    """Who an item alerts. No spans: the composer finds the words to highlight at send time,
    so ingest asks the index for ids only."""

    subscription_id: int
    chat_id: int
    query: str
    thread_id: int = 0  # the forum topic it alerts into (0: the chat itself)


def split_queries(text: str) -> list[str]:
    """Split `/sub` arguments on commas outside quotes: a comma is never part of a query."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch in '"«»“”„':
            quoted = not quoted if ch == '"' else ch in "«“„"
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


class SubscriptionService:
    def __init__(
        self,
        repo: Repository,
        analyzer: Analyzer,
        *,
        max_per_chat: int,
        clock: Clock = utc_now,
    ) -> None:
        self._repo = repo
        self._analyzer = analyzer
        self._max_per_chat = max_per_chat
        self._clock = clock
        # Snoozed from an alert («Отложить»): indexed as usual, skipped until the moment passes.
        self._snoozed: dict[int, datetime] = {}
        self._index = SubscriptionIndex()
        self._owners: dict[int, tuple[int, str, int]] = {}

    @property
    def analyzer(self) -> Analyzer:
        return self._analyzer

    def __len__(self) -> int:
        return len(self._index)

    async def load(self) -> int:
        """Fill the index from storage at start-up; a query that no longer parses is skipped."""
        for sub in await self._repo.subscriptions.all_unpaused():
            try:
                self._track(sub, parse_query(sub.query, self._analyzer))
            except QueryError:
                continue
            if sub.snoozed_until is not None:
                self._snoozed[sub.id] = sub.snoozed_until
        return len(self._index)

    async def refresh(self, sub_id: int) -> None:
        """Index one subscription as storage has it now: another process changed it (several
        processes on one database: bot/cluster.py). Idempotent, so hearing of this process's
        own changes costs a compile and changes nothing."""
        sub = await self._repo.subscriptions.get(sub_id)
        self._untrack(sub_id)
        if sub is None or sub.paused:
            return
        try:
            query = self.compile(sub.query)
        except QueryError:
            return
        self._track(sub, query)
        if sub.snoozed_until is not None:
            self._snoozed[sub.id] = sub.snoozed_until

    async def reload(self) -> int:
        """Rebuild the index from storage and swap it in at once (changes announced while
        this process could not hear them are picked up this way)."""
        fresh = SubscriptionService(
            self._repo, self._analyzer, max_per_chat=self._max_per_chat, clock=self._clock
        )
        count = await fresh.load()
        self._index, self._owners, self._snoozed = fresh._index, fresh._owners, fresh._snoozed
        return count

    def compile(self, raw: str) -> CompiledQuery:
        return parse_query(raw, self._analyzer)

    def _track(self, sub: Subscription, query: CompiledQuery) -> None:
        self._index.add(sub.id, query)
        self._owners[sub.id] = (sub.chat_id, sub.query, sub.thread_id)

    def _untrack(self, sub_id: int) -> None:
        self._index.remove(sub_id)
        self._owners.pop(sub_id, None)
        self._snoozed.pop(sub_id, None)

    async def subscribe(
        self, chat_id: int, raw: str, now: datetime, *, thread_id: int = 0
    ) -> SubscribeOutcome:
        """`thread_id`: the forum topic the subscription belongs to (0: the chat itself); the
        per-chat limit counts every topic's subscriptions together."""
        # Controls and bidi overrides would be stored and shown on every list and button,
        # and make «Лавров» and «Лав\u202eров» two subscriptions to the same words.
        raw = clean_line(raw)
        try:
            query = self.compile(raw)
        except QueryError as exc:
            return SubscribeOutcome(raw, refusal=Refusal.INVALID, error=exc)
        if await self._repo.subscriptions.count_for_chat(chat_id) >= self._max_per_chat:
            return SubscribeOutcome(raw, query=query, refusal=Refusal.LIMIT)
        try:
            sub = await self._repo.subscriptions.add(chat_id, query.raw, now, thread_id=thread_id)
        except DuplicateSubscriptionError:
            return SubscribeOutcome(raw, query=query, refusal=Refusal.DUPLICATE)
        self._track(sub, query)
        return SubscribeOutcome(raw, subscription=sub, query=query)

    async def subscribe_many(
        self, chat_id: int, text: str, now: datetime, *, thread_id: int = 0
    ) -> list[SubscribeOutcome]:
        return [
            await self.subscribe(chat_id, raw, now, thread_id=thread_id)
            for raw in split_queries(text)
        ]

    async def remove(self, chat_id: int, sub_id: int) -> Subscription | None:
        """Delete one of this chat's subscriptions; None when it is not (or no longer) there."""
        sub = await self._repo.subscriptions.get(sub_id)
        if sub is None or sub.chat_id != chat_id:
            return None
        await self._repo.subscriptions.delete(sub_id)
        self._untrack(sub_id)
        return sub

    async def set_paused(self, chat_id: int, sub_id: int, paused: bool) -> Subscription | None:
        sub = await self._repo.subscriptions.get(sub_id)
        if sub is None or sub.chat_id != chat_id:
            return None
        await self._repo.subscriptions.set_paused(sub_id, paused)
        if not paused:  # ▶️ in /list ends a snooze too
            await self._repo.subscriptions.set_snoozed(sub_id, None)
            self._snoozed.pop(sub_id, None)
        if paused:
            self._untrack(sub_id)
        else:
            with contextlib.suppress(QueryError):  # stored before a language change: skip
                self._track(sub, self.compile(sub.query))
        return await self._repo.subscriptions.get(sub_id)

    async def snooze(self, chat_id: int, sub_id: int, until: datetime) -> Subscription | None:
        """Silence one of this chat's subscriptions until `until`; None when it is gone."""
        sub = await self._repo.subscriptions.get(sub_id)
        if sub is None or sub.chat_id != chat_id:
            return None
        await self._repo.subscriptions.set_snoozed(sub_id, until)
        if sub_id in self._owners:
            self._snoozed[sub_id] = until
        return await self._repo.subscriptions.get(sub_id)

    async def exclude(self, chat_id: int, sub_id: int, word: str) -> SubscribeOutcome | None:
        """Add «-word» to every alternative of one of this chat's subscriptions, within the
        query language's limits; the index follows at once. None when it is gone."""
        sub = await self._repo.subscriptions.get(sub_id)
        if sub is None or sub.chat_id != chat_id:
            return None
        raw = with_exclusion(sub.query, word)
        try:
            query = self.compile(raw)
        except QueryError as exc:
            return SubscribeOutcome(raw, subscription=sub, refusal=Refusal.INVALID, error=exc)
        try:
            await self._repo.subscriptions.set_query(sub_id, query.raw)
        except DuplicateSubscriptionError:
            return SubscribeOutcome(raw, subscription=sub, refusal=Refusal.DUPLICATE)
        changed = dataclasses.replace(sub, query=query.raw)
        if sub_id in self._owners:
            snoozed = self._snoozed.get(sub_id)
            self._untrack(sub_id)
            self._track(changed, query)
            if snoozed is not None:
                self._snoozed[sub_id] = snoozed
        return SubscribeOutcome(raw, subscription=changed, query=query)

    def _asleep(self, sub_id: int) -> bool:
        until = self._snoozed.get(sub_id)
        if until is None:
            return False
        if until > self._clock():
            return True
        del self._snoozed[sub_id]  # over: the stored moment is simply past
        return False

    def holds(self, sub_id: int) -> bool:
        """Whether this subscription is live (exists, is not paused, not snoozed) right now."""
        return sub_id in self._owners and not self._asleep(sub_id)

    def match(self, doc: Document) -> list[SubscriptionHit]:
        hits = []
        for sub_id in sorted(self._index.match_ids(doc)):
            owner = self._owners.get(sub_id)
            if owner is not None and not (self._snoozed and self._asleep(sub_id)):
                hits.append(SubscriptionHit(sub_id, owner[0], owner[1], owner[2]))
        return hits
