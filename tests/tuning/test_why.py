"""«Почему?»: the words a query found in an item, in the forms written there."""

from __future__ import annotations

from bot.matching import Analyzer, item_text, parse_query
from bot.tuning.why import explain

TITLE = "Лавров и Рубио обсудили авиасообщение"
TEXT = (
    "Сергея Лаврова спросили о возобновлении прямого авиасообщения. Лавров ответил, "
    "что Банк России готов."
)


def test_each_term_lists_its_forms_once_and_whether_the_title_has_it(analyzer: Analyzer) -> None:
    query = parse_query('Лавров "прямое авиасообщение"', analyzer)
    doc = analyzer.document(item_text(TITLE, TEXT))

    found = explain(query, doc, len(TITLE)).found

    lavrov, phrase = found
    assert (lavrov.term, lavrov.forms, lavrov.in_title) == ("Лавров", ("Лавров", "Лаврова"), True)
    assert (phrase.term, phrase.forms, phrase.in_title) == (
        '"прямое авиасообщение"',
        ("прямого авиасообщения",),
        False,
    )


def test_a_name_found_under_another_name_of_its_entity_says_which(analyzer: Analyzer) -> None:
    query = parse_query("ЦБ", analyzer)
    doc = analyzer.document(item_text(TITLE, TEXT))

    (found,) = explain(query, doc, len(TITLE)).found

    assert found.term == "ЦБ" and found.forms == ("Банк России",)
    assert found.names == ("Банк России",)


def test_only_the_alternative_that_matched_is_explained(analyzer: Analyzer) -> None:
    query = parse_query("Песков OR Рубио", analyzer)
    doc = analyzer.document(item_text(TITLE, TEXT))

    assert [f.term for f in explain(query, doc, len(TITLE)).found] == ["Рубио"]


def test_a_query_that_no_longer_matches_explains_nothing(analyzer: Analyzer) -> None:
    query = parse_query("Лавров -Рубио", analyzer)
    doc = analyzer.document(item_text(TITLE, TEXT))

    assert not explain(query, doc, len(TITLE)).matches
