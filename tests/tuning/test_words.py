"""«Исключить слово»: which words of an item are offered, and the query one tap makes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.parser import parse_feed
from bot.matching import Analyzer, item_text, parse_query
from bot.tuning.words import distinctive_words, with_exclusion
from tests.support.paths import sample

TITLE = "Лавров прокомментировал открытие лыжного трамплина в Сочи"
TEXT = (
    "Министр иностранных дел России Сергей Лавров заявил журналистам, что новый трамплин "
    "в Сочи открыт. Глава МИД отметил работу строителей."
)
# The stream the item came in: a real day of Lenta.ru, where «заявил», «России», «глава» are
# everyday words, as recent_texts gives it (title, blank line, the text's head).
STREAM = [
    f"{i.title}\n\n{i.text[:600]}"
    for i in parse_feed(
        sample("lenta-2022-12-03.xml"),
        url="http://127.0.0.1/lenta",
        content_type=None,
        fetched_at=datetime(2022, 12, 3, tzinfo=UTC),
    ).items
]


def words(analyzer: Analyzer, query: str, title: str = TITLE, text: str = TEXT) -> list[str]:
    compiled = parse_query(query, analyzer)
    return [c.text for c in distinctive_words(analyzer, title, text, compiled, STREAM)]


def test_the_rare_words_of_the_item_come_first_in_their_dictionary_form(
    analyzer: Analyzer,
) -> None:
    offered = words(analyzer, "Лавров")

    assert 4 <= len(offered) <= 6
    assert {"трамплин", "лыжный"} <= set(offered[:3])
    assert not {"Россия", "россия", "глава", "заявить", "дело"} & set(offered)


def test_no_word_of_the_query_is_offered_in_any_form(analyzer: Analyzer) -> None:
    offered = words(analyzer, 'Лавров "лыжный трамплин"')

    assert not {w.casefold() for w in offered} & {"лавров", "трамплин", "лыжный"}


def test_words_the_query_already_excludes_or_prefixes_are_not_offered(
    analyzer: Analyzer,
) -> None:
    offered = words(analyzer, "Лавров OR сочи*", text=TEXT + " Открытие в Сочинском районе.")

    assert not any(w.casefold().startswith("сочи") for w in offered)


def test_function_words_numbers_and_short_words_are_never_offered(analyzer: Analyzer) -> None:
    offered = words(
        analyzer,
        "Лавров",
        title="Лавров: в 2026 году и после него он не уедет из МИД",
        text="",
    )

    assert not {"в", "и", "он", "после", "него", "не", "из", "2026"} & set(offered)


@pytest.mark.parametrize(
    "query", ["Лавров", "Лавров OR Песков", 'Лавров | "прямое авиасообщение"']
)
def test_every_offered_word_excluded_stops_the_very_item_it_was_offered_on(
    analyzer: Analyzer, query: str
) -> None:
    doc = analyzer.document(item_text(TITLE, TEXT))
    for word in words(analyzer, query):
        edited = parse_query(with_exclusion(query, word), analyzer)
        assert not edited.matches(doc), word


def test_a_name_inside_a_sentence_is_offered_capitalised(analyzer: Analyzer) -> None:
    offered = words(
        analyzer, "трамплин", title="Трамплин открыли", text="На открытии выступил Чернышенко."
    )

    assert "Чернышенко" in offered


def test_a_name_opening_the_title_is_offered_capitalised_too(analyzer: Analyzer) -> None:
    offered = words(analyzer, "трамплин")

    assert "Лавров" in offered and "лавров" not in offered


@pytest.mark.parametrize(
    ("query", "edited"),
    [
        ("Лавров", "Лавров -трамплин"),
        ("Лавров OR Песков", "Лавров -трамплин OR Песков -трамплин"),
        ("Лавров|Песков", "Лавров -трамплин|Песков -трамплин"),
        ("Лавров | Песков", "Лавров -трамплин | Песков -трамплин"),
        ('"OR в кавычках" Лавров', '"OR в кавычках" Лавров -трамплин'),
        ('"a | b" ORBIT', '"a | b" ORBIT -трамплин'),
        ("Лавров -Песков", "Лавров -Песков -трамплин"),
    ],
)
def test_the_exclusion_joins_every_alternative_of_the_query(query: str, edited: str) -> None:
    assert with_exclusion(query, "трамплин") == edited
