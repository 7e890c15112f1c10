"""describe() tells the user how a subscription was understood, as plain data the chat layer
renders in its own words."""

from __future__ import annotations

import pytest

from bot.matching import Analyzer, TermDescription, parse_query


def test_describe_branches_kinds_and_examples(analyzer: Analyzer) -> None:
    terms = parse_query('Лавров "прямое авиасообщение" -Захарова OR санкц* G20', analyzer)
    got = [(t.branch, t.kind, t.text, t.negated) for t in terms.describe()]
    assert got == [
        (0, "name", "Лавров", False),
        (0, "phrase", "прямое авиасообщение", False),
        (0, "name", "Захарова", True),
        (1, "prefix", "санкц*", False),
        (1, "exact", "G20", False),
    ]
    lavrov = terms.describe()[0]
    assert {"Лаврова", "Лаврову"} <= set(lavrov.examples)
    assert set(terms.describe()[2].examples) >= {"Захаровой"}


@pytest.mark.parametrize(
    ("query", "kind", "known"),
    [
        ("МИД", "abbreviation", True),
        ("Trump", "english", True),
        ("COVID-19", "exact", True),
        ("авиасообщение", "word", True),
        ("биткоин", "word", False),
        ("Уиткофф", "name", True),
        ("Токаев", "name", True),
        ("поток-2", "word", True),
        ("Ту-154", "exact", True),
    ],
)
def test_describe_kind_per_word(analyzer: Analyzer, query: str, kind: str, known: bool) -> None:
    (term,) = parse_query(query, analyzer).describe()
    assert isinstance(term, TermDescription)
    assert (term.kind, term.known) == (kind, known)


def test_examples_are_inflected_forms_of_common_words(analyzer: Analyzer) -> None:
    (term,) = parse_query("авиасообщение", analyzer).describe()
    assert "авиасообщения" in term.examples
    assert "авиасообщение" not in term.examples
    assert len(term.examples) <= 4


@pytest.mark.parametrize(
    ("query", "forms"),
    [
        ("Токаев", {"Токаева", "Токаеву", "Токаевым"}),
        ("Мантуров", {"Мантурова", "Мантурову"}),
        ("Уиткофф", {"Уиткоффа", "Уиткоффом"}),
        ("Шольц", {"Шольца", "Шольцем"}),
        ("Дегтярёв", {"Дегтярёва", "Дегтярёвым"}),
        ("Поклонская", {"Поклонской", "Поклонскую"}),
        ("поток-2", {"потока-2", "потоку-2"}),
    ],
)
def test_examples_of_surnames_and_numbered_words_are_their_own_forms(
    analyzer: Analyzer, query: str, forms: set[str]
) -> None:
    """The reply to /sub shows forms that the subscription really finds, not the forms of a
    dictionary word the surname happens to resemble («Токаев» is not the wine «токай»)."""
    (term,) = parse_query(query, analyzer).describe()
    assert forms <= set(term.examples)
