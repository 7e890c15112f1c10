"""Extractive summaries: the lead plus the sentences that show why the alert fired."""

from __future__ import annotations

import html
import re

import feedparser
import pytest

from bot.alerts.summary import Summary, summarize
from tests.support.paths import sample

LEAD_START = "В МИД РФ заявили в понедельник"
WORDS = ("Лаврова", "авиасообщения")


def plain_text(markup: str) -> str:
    """Feed HTML to plain text, paragraphs separated by a blank line."""
    markup = re.sub(r"(?i)<br\s*/?>|</p\s*>", "\n\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    paragraphs = (re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


@pytest.fixture(scope="module")
def article() -> str:
    """The Interfax sample (a verbatim copy of ../shared/feeds/interfax-sample.xml)."""
    parsed = feedparser.parse(sample("interfax-sample.xml"))
    assert parsed.encoding == "windows-1251"
    return plain_text(parsed.entries[0]["yandex_full-text"])


def spans_of(text: str, *words: str) -> list[tuple[int, int]]:
    """What the matcher would hand over: the span of each word's first occurrence."""
    found = []
    for word in words:
        start = text.find(word)
        assert start >= 0, word
        found.append((start, start + len(word)))
    return found


def marked(summary: Summary) -> list[str]:
    return [summary.text[start:end] for start, end in summary.marks]


def test_interfax_reference_case(article: str) -> None:
    summary = summarize(article, spans_of(article, *WORDS))

    assert len(summary.text) <= 400
    assert summary.text.startswith(LEAD_START)
    assert "INTERFAX" not in summary.text and "2 февраля" not in summary.text
    assert marked(summary) == list(WORDS)
    rendered = summary.to_html()
    assert "Сергея <b>Лаврова</b>" in rendered
    assert "прямого <b>авиасообщения</b>" in rendered
    assert summary.text.index("Лаврова") < summary.text.index("авиасообщения")


@pytest.mark.parametrize("limit", [2000, 1000, 600, 400, 300, 250])
def test_interfax_keeps_both_matches_when_there_is_room(article: str, limit: int) -> None:
    summary = summarize(article, spans_of(article, *WORDS), limit=limit)
    assert len(summary.text) <= limit
    assert summary.text.startswith(LEAD_START)
    assert marked(summary) == list(WORDS)


@pytest.mark.parametrize("limit", [200, 120, 80, 40, 10, 3, 2])
def test_interfax_under_tight_limits_shortens_but_starts_with_the_lead(
    article: str, limit: int
) -> None:
    summary = summarize(article, spans_of(article, *WORDS), limit=limit)
    assert 0 < len(summary.text) <= limit
    assert summary.text[0] == "В"
    assert summary.text.endswith("…")
    assert set(marked(summary)) <= set(WORDS)


def test_whole_article_fits_in_a_large_limit_and_uses_no_ellipsis_where_adjacent(
    article: str,
) -> None:
    summary = summarize(article, spans_of(article, "Лаврова"), limit=10_000)
    lead, _, second = summary.text.partition("диалога. ")
    assert lead.startswith(LEAD_START)
    assert second.startswith('"Исходим из того')  # the next sentence: joined by a plain space
    assert "…" not in summary.text


LEAD = "Первое предложение о событии."
FILLER = "Второе предложение без совпадений."

ELLIPSIS_CASES = [
    # (name, text, highlighted word, limit, expected summary text with marks in [brackets])
    ("fits whole", f"{LEAD} Потом слово здесь.", "слово", 400, f"{LEAD} Потом [слово] здесь."),
    (
        "lead holds the match",
        f"{LEAD} {FILLER}",
        "событии",
        400,
        "Первое предложение о [событии].",
    ),
    (
        "non-adjacent sentences get a gap",
        f"{LEAD} {FILLER} Третье со словом.",
        "словом",
        400,
        f"{LEAD} … Третье со [словом].",
    ),
    (
        "lead cut at a word boundary",
        "Очень длинное первое предложение о событии, которое не помещается.",
        "",
        30,
        "Очень длинное первое…",
    ),
    (
        "window around a match deep in a long sentence",
        f"{LEAD} Раз. "
        + "раз два три четыре пять шесть семь восемь девять десять " * 3
        + "ключ "
        + "один два три четыре пять шесть семь восемь " * 3
        + "конец.",
        "ключ",
        120,
        None,  # checked structurally below
    ),
    (
        "repeated word: only its first sentence",
        f"{LEAD} {FILLER} Слово раз. {FILLER} Слово два.",
        "Слово",
        400,
        f"{LEAD} … [Слово] раз.",
    ),
    (
        "paragraph breaks become spaces",
        f"{LEAD}\n\nНовый абзац со словом.",
        "словом",
        400,
        f"{LEAD} Новый абзац со [словом].",
    ),
]


def bracketed(summary: Summary) -> str:
    out, pos = [], 0
    for start, end in summary.marks:
        out += [summary.text[pos:start], "[", summary.text[start:end], "]"]
        pos = end
    return "".join([*out, summary.text[pos:]])


@pytest.mark.parametrize(
    ("text", "word", "limit", "expected"),
    [case[1:] for case in ELLIPSIS_CASES],
    ids=[case[0] for case in ELLIPSIS_CASES],
)
def test_ellipsis_placement(text: str, word: str, limit: int, expected: str | None) -> None:
    spans = [] if not word else spans_of(text, word)
    summary = summarize(text, spans, limit=limit)
    assert len(summary.text) <= limit
    if expected is not None:
        assert bracketed(summary) == expected
        return
    lead, window = summary.text.split(" …", 1)
    assert lead == LEAD
    assert window.startswith("…") is False  # one ellipsis marks the gap, never «… …»
    assert window.endswith("…")
    assert marked(summary) == ["ключ"]
    words = window.strip("…").split()
    assert words[len(words) // 2 - 3 : len(words) // 2 + 4].count("ключ") == 1  # centred


def test_every_cut_is_at_a_word_boundary(article: str) -> None:
    words = set(re.findall(r"\S+", article))
    words |= {word.rstrip(",;:—–-") for word in words}  # a cut drops a dangling comma
    for limit in range(20, 420, 7):
        summary = summarize(article, spans_of(article, *WORDS), limit=limit)
        for token in summary.text.replace("…", " ").split():
            assert token in words, (limit, token)


HOSTILE_SPANS = [
    [(-5, 3)],
    [(10, 5)],
    [(0, 10**9)],
    [(10**9, 10**9 + 5)],
    [(3, 8), (5, 12), (5, 12)],
    [(0, 0)],
    [],
]


@pytest.mark.parametrize("spans", HOSTILE_SPANS)
def test_bad_spans_never_crash_and_marks_stay_inside(
    article: str, spans: list[tuple[int, int]]
) -> None:
    summary = summarize(article, spans)
    assert summary.text.startswith(LEAD_START)
    assert all(0 <= s < e <= len(summary.text) for s, e in summary.marks)
    assert list(summary.marks) == sorted(summary.marks)


def test_matches_inside_the_dateline_are_not_shown(article: str) -> None:
    summary = summarize(article, spans_of(article, "Москва"))
    assert summary.marks == ()
    assert summary.text.startswith(LEAD_START)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "слово " * 17_000,
        "Да. " * 25_000,
        "😀 " * 50_000,
        "\x00\x01\ud800 мусор \x1f",
        "",
        "   \n\n  ",
    ],
    ids=[
        "one huge word",
        "one huge sentence",
        "many sentences",
        "emoji",
        "controls",
        "empty",
        "blank",
    ],
)
def test_huge_or_strange_text_is_bounded(text: str) -> None:
    spans = [(len(text) // 2, len(text) // 2 + 3)] if text.strip() else []
    summary = summarize(text, spans)
    assert len(summary.text) <= 400
    assert all(0 <= s < e <= len(summary.text) for s, e in summary.marks)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\ud800-\udfff]", summary.text)
    summary.text.encode("utf-8")  # sendable


def test_deterministic(article: str) -> None:
    spans = spans_of(article, *WORDS)
    assert summarize(article, spans) == summarize(article, list(reversed(spans)))
    assert summarize(article, spans).to_html() == summarize(article, spans).to_html()


@pytest.mark.parametrize(
    ("summary", "html_text"),
    [
        (Summary("a<b & c", ((0, 1),)), "<b>a</b>&lt;b &amp; c"),
        (Summary("&amp; <i>", ((0, 5),)), "<b>&amp;amp;</b> &lt;i&gt;"),
        (Summary("abc", ((1, 2), (0, 3), (2, 99))), "<b>abc</b>"),  # overlaps skipped
        (Summary("", ()), ""),
    ],
)
def test_to_html_escapes_every_piece(summary: Summary, html_text: str) -> None:
    assert summary.to_html() == html_text


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("один два три", 100, "один два три"),
        ("один два три", 9, "один два…"),
        ("один, два три", 9, "один…"),
        ("😀😀😀 😀", 5, "😀😀…"),  # each emoji is two UTF-16 units
        ("абвгдежз", 4, "абв…"),  # no boundary at all: cut inside the word
        ("один", 0, ""),
    ],
)
def test_shortened_counts_utf16_and_cuts_at_words(text: str, units: int, expected: str) -> None:
    assert Summary(text).shortened(units).text == expected


def test_match_deep_in_a_long_article_takes_just_its_sentence() -> None:
    paragraphs = [f"Абзац номер {i}. В нём ничего нет." for i in range(2_000)]
    paragraphs[1_500] = "Абзац номер 1500. Здесь есть ключ к разгадке. И ещё одно предложение."
    text = "\n\n".join(paragraphs)  # about 70,000 characters
    summary = summarize(text, spans_of(text, "ключ"))
    assert bracketed(summary) == "Абзац номер 0. … Здесь есть [ключ] к разгадке."


def test_sentence_longer_than_what_razdel_is_shown_is_cut_on_both_sides() -> None:
    text = "Начало статьи. Потом " + "слово " * 3_000 + "ключ " + "слово " * 3_000 + "конец."
    summary = summarize(text, spans_of(text, "ключ"))
    lead, window = summary.text.split(" …", 1)
    assert lead == "Начало статьи."
    assert window.endswith("…") and marked(summary) == ["ключ"]
    assert len(summary.text) <= 400
