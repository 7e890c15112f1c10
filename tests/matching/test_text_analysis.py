"""Tokenisation and normalisation: spans always point into the text as given."""

from __future__ import annotations

import pytest

from bot.matching import Analyzer

CASES = [
    ("plain", "Лавров и Рубио", ["Лавров", "и", "Рубио"]),
    ("hyphenated words stay whole", "Санкт-Петербург, Улан-Удэ", ["Санкт-Петербург", "Улан-Удэ"]),
    (
        "digits and plus",
        "ОПЕК+ и G20, COVID-19 в 2025 году",
        ["ОПЕК+", "и", "G20", "COVID-19", "в", "2025", "году"],
    ),
    ("en dash separates", "2020–2025", ["2020", "2025"]),
    ("soft hyphen dropped", "авиа\u00adсообщение", ["авиа\u00adсообщение"]),
    ("zero-width joiner dropped", "Лав\u200dров", ["Лав\u200dров"]),
    ("entities decoded", "&laquo;Лавров&raquo;&nbsp;и&#160;Рубио", ["Лавров", "и", "Рубио"]),
    ("unknown entity kept", "&foo; Лавров", ["foo", "Лавров"]),
    ("non-breaking hyphen", "Санкт\u2011Петербург", ["Санкт\u2011Петербург"]),
    ("possessive", "Trump's plan", ["Trump's", "plan"]),
    ("ellipsis and numero", "Итак… №5", ["Итак", "№5"]),
]


@pytest.mark.parametrize(
    ("text", "surfaces"), [pytest.param(t, s, id=name) for name, t, s in CASES]
)
def test_tokens_and_spans(analyzer: Analyzer, text: str, surfaces: list[str]) -> None:
    doc = analyzer.document(text)
    assert [tok.surface for tok in doc.tokens] == surfaces
    for tok in doc.tokens:
        assert text[tok.start : tok.end] == tok.surface


def test_sentence_and_paragraph_breaks_split_segments(analyzer: Analyzer) -> None:
    doc = analyzer.document("Заголовок новости\n\nПервое предложение. Второе! Третье, и всё")
    assert [tok.segment for tok in doc.tokens] == [0, 0, 1, 1, 2, 3, 3, 3]


def test_folded_forms_and_keys(analyzer: Analyzer) -> None:
    doc = analyzer.document("ЁЖИК Лаврова МИДе G20")
    assert [tok.norm for tok in doc.tokens] == ["ежик", "лаврова", "миде", "g20"]
    assert "лавров" in doc.tokens[1].keys
    assert "abbr:мид" in doc.tokens[2].keys
    assert doc.tokens[3].keys == frozenset({"=g20"})


@pytest.mark.parametrize(
    "text", ["", "   ", "—", "\x00\ud800", "&&&;", "\u0301" * 5, "a" * 10_000]
)
def test_odd_text_never_crashes(analyzer: Analyzer, text: str) -> None:
    doc = analyzer.document(text)
    for tok in doc.tokens:
        assert 0 <= tok.start < tok.end <= len(text)


def test_repeated_words_come_from_the_cache(analyzer: Analyzer) -> None:
    first = analyzer.word_keys("Лаврова")
    assert analyzer.word_keys("Лаврова") is first


def test_cache_is_bounded() -> None:
    small = Analyzer(cache_size=20)
    for n in range(100):
        small.document(f"слово{n} x{n}")
    assert len(small._doc_cache) <= 20
