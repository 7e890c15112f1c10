"""Fixtures for the matching engine (the session's `analyzer` is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.matching import Analyzer, MatchResult, parse_query


@pytest.fixture(scope="session")
def check(analyzer: Analyzer) -> Callable[[str, str], MatchResult | None]:
    """check(query, text) -> the direct match result of one query on one text."""

    def run(query: str, text: str) -> MatchResult | None:
        return parse_query(query, analyzer).match(analyzer.document(text))

    return run
