"""How names with aliases are compiled, indexed, highlighted and switched off, and which names
get Latin spellings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.alerts.view import highlights_for
from bot.cli import main
from bot.matching import Analyzer, SubscriptionIndex, parse_query
from storage import Item


def _found(analyzer: Analyzer, query: str, text: str) -> list[str] | None:
    result = parse_query(query, analyzer).match(analyzer.document(text))
    return None if result is None else [text[a:b] for a, b in result.spans]


def _also(analyzer: Analyzer, query: str) -> list[tuple[str, tuple[str, ...]]]:
    described = parse_query(query, analyzer).describe(aliases=True)
    return [(d.text, d.examples) for d in described if d.kind == "alias"]


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("ЦБ", "Банк России сохранил ставку, а ЦБ Турции повысил.", ["Банк России", "ЦБ"]),
        (
            "Зеленский",
            "Zelenskyy's office said Зеленский would fly.",
            ["Zelenskyy's", "Зеленский"],
        ),
        ("Северный поток-2", "Оператор «Северного потока — 2»", ["Северного потока — 2"]),
    ],
)
def test_the_match_marks_whichever_name_was_found(
    analyzer: Analyzer, query: str, text: str, marked: list[str]
) -> None:
    assert _found(analyzer, query, text) == marked


def test_an_alert_highlights_the_other_name_in_the_item_text(analyzer: Analyzer) -> None:
    now = datetime(2026, 2, 2, tzinfo=UTC)
    text = "Регулятор решил: Центробанк сохранил ключевую ставку на уровне 16%."
    item = Item(1, 1, "g", None, "Ставка", text, now, now)

    spans = highlights_for(item, ["ЦБ"], analyzer)

    assert [text[a:b] for a, b in spans] == ["Центробанк"]


def test_the_index_files_a_name_under_all_its_names(analyzer: Analyzer) -> None:
    index = SubscriptionIndex()
    index.add(1, parse_query("ЦБ", analyzer))
    index.add(2, parse_query("Зеленский санкции", analyzer))
    index.add(3, parse_query("Путин", analyzer))
    doc = analyzer.document("Центробанк and Zelensky: new sanctions? Санкции против Zelensky.")

    assert index.match_ids(doc) == {1, 2}
    assert set(index.match(doc)) == {1, 2}
    assert index.match_ids(analyzer.document("Putin's remarks")) == {3}


def test_an_equals_sign_keeps_a_name_to_itself(analyzer: Analyzer) -> None:
    text = "Банк России сохранил ставку."
    assert _found(analyzer, "ЦБ", text) == ["Банк России"]
    assert _found(analyzer, "=ЦБ", text) is None
    assert _found(analyzer, "=ЦБ", "ЦБ сохранил ставку.") == ["ЦБ"]
    assert _found(analyzer, '="Северный поток-2"', "Nord Stream 2 AG") is None
    assert _found(analyzer, '"Северный поток-2"', "Nord Stream 2 AG") == ["Nord Stream 2"]
    assert _found(analyzer, "ставка -ЦБ", text) is None  # an exclusion covers every name
    assert _found(analyzer, "ставка -=ЦБ", text) == ["ставку"]
    assert _also(analyzer, "=ЦБ") == []
    assert _also(analyzer, "Лавров -Грызлов")[1] == ("Грызлов", ("Gryzlov",))


def test_a_run_of_words_that_names_an_entity_keeps_its_own_meaning_too(
    analyzer: Analyzer,
) -> None:
    # «Банк России» typed without quotes still finds both words apart, as before.
    assert _found(analyzer, "Банк России", "Банк, работающий в России") == ["Банк", "России"]
    assert _found(analyzer, "Банк России", "ЦБ сохранил ставку") == ["ЦБ"]
    assert _found(analyzer, "Банк России", "ЦБ Китая снизил ставку") == ["ЦБ"]


def test_the_reply_lists_other_names_without_redundant_ones(analyzer: Analyzer) -> None:
    [(text, names)] = _also(analyzer, "ЦБ")
    assert text == "ЦБ"
    assert names[:2] == ("Банк России", "Центробанк")
    assert "ЦБ РФ" not in names  # every item it finds has «ЦБ» in it anyway
    assert _also(analyzer, "Ставка") == []


@pytest.mark.parametrize(
    ("query", "spellings"),
    [
        ("Мантуров", ("Manturov",)),  # in the table, and a Russian surname
        ("Грызлов", ("Gryzlov",)),  # not in the table: a Russian surname is romanised
        ("Захарова", ("Zakharova",)),
        ("Трамп", ("Trump",)),  # foreign: the table's spelling only, never «Tramp»
        ("Маск", ("Musk",)),  # never «Mask»
        ("Берлин", ()),  # a place in the dictionary, not a surname
        ("Робин", ()),  # a first name in the dictionary
        ("песков", ()),  # lower case: the common word
    ],
)
def test_which_names_get_latin_spellings(
    analyzer: Analyzer, query: str, spellings: tuple[str, ...]
) -> None:
    also = _also(analyzer, query)
    assert (also[0][1] if also else ()) == spellings


def test_preview_uses_the_same_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        "<item><guid>1</guid><title>Ставка</title><link>https://news.example/1</link>"
        "<description>Банк России сохранил ключевую ставку.</description></item>"
        "</channel></rss>",
        "utf-8",
    )

    assert main(["preview", "--feed", str(feed), "--json", "--query", "ЦБ"]) == 0

    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert "<b>Банк России</b>" in str(line["message_html"])
