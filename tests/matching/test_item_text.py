"""The one text an item is matched on: its title, a paragraph break, its text."""

from __future__ import annotations

from bot.matching import Analyzer, item_text, parse_query, text_offset


def test_an_item_without_text_is_matched_on_its_title_alone() -> None:
    assert item_text("Сергей Лавров", "") == "Сергей Лавров"


def test_a_phrase_does_not_run_from_the_title_into_the_text(analyzer: Analyzer) -> None:
    query = parse_query('"Лавров прибыл"', analyzer)
    assert query.match(analyzer.document(item_text("Сергей Лавров", "Прибыл в Анкару"))) is None
    assert query.match(analyzer.document(item_text("Сергей Лавров прибыл", ""))) is not None


def test_a_match_in_the_text_maps_back_onto_the_text(analyzer: Analyzer) -> None:
    title, text = "Новости дня", "Встреча: Сергей Лавров в Анкаре"
    result = parse_query("Лавров", analyzer).match(analyzer.document(item_text(title, text)))
    assert result is not None
    [(start, end)] = result.spans
    offset = text_offset(title)
    assert text[start - offset : end - offset] == "Лавров"
