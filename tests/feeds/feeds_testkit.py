"""The moment the feed tests say a feed was fetched (served by tests/support/feedserver.py)."""

from __future__ import annotations

from datetime import UTC, datetime

FETCHED_AT = datetime(2026, 2, 3, 12, 0, tzinfo=UTC)
