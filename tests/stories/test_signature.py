"""What an item says, as the grouper sees it: content words only."""

from __future__ import annotations

from bot.matching import Analyzer
from bot.stories import signature


def test_a_capitalised_one_letter_preposition_opening_a_sentence_is_not_content(
    analyzer: Analyzer,
) -> None:
    # «В Томске…», «С начала года…»: half of all news sentences open like this, and two items
    # must not look alike for it.
    sig = signature(analyzer, "В Томске эвакуировали торговый центр", "С утра идет дождь.")
    keys = sig.keys
    assert "в" not in keys and "с" not in keys
    assert "томск" in keys


def test_numbers_stay_content_however_short(analyzer: Analyzer) -> None:
    sig = signature(analyzer, "Курс опустился на 5 рублей", "")
    assert "=5" in sig.keys
