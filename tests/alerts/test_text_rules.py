"""The shared text rules (bot/text.py): one cut to a length, one merge of spans, one measure."""

from __future__ import annotations

import pytest

from bot.text import Span, cut, merge_spans, utf16_len, utf16_prefix


@pytest.mark.parametrize(
    ("text", "limit", "utf16", "word_after", "shown"),
    [
        ("Лавров", 6, False, None, "Лавров"),
        ("Сергей Лавров прибыл", 10, False, None, "Сергей Ла…"),
        ("Сергей Лавров прибыл", 10, False, 0, "Сергей…"),
        ("Сергей Лавров прибыл", 10, False, 6, "Сергей Ла…"),  # the space keeps too little
        ("Сергей    Лавров", 10, False, None, "Сергей…"),  # no spaces before «…»
        ("𝐀𝐁𝐂𝐃", 4, False, None, "𝐀𝐁𝐂𝐃"),  # four characters fit four characters
        ("𝐀𝐁𝐂𝐃", 4, True, None, "𝐀…"),  # but take eight UTF-16 units
        ("абв", 0, False, None, "…"),
    ],
)
def test_a_text_over_its_limit_is_cut_with_an_ellipsis_by_one_rule(
    text: str, limit: int, utf16: bool, word_after: int | None, shown: str
) -> None:
    assert cut(text, limit, utf16=utf16, word_after=word_after) == shown


def test_a_cut_text_fits_its_limit_in_its_unit() -> None:
    text = "😀 Лавров " * 50
    for limit in range(1, 60):
        assert len(cut(text, limit)) <= limit
        assert utf16_len(cut(text, limit, utf16=True)) <= limit


@pytest.mark.parametrize(
    ("spans", "touching", "merged"),
    [
        ([(5, 9), (0, 3)], True, [(0, 3), (5, 9)]),
        ([(0, 5), (3, 8), (8, 10)], True, [(0, 10)]),
        ([(0, 5), (3, 8), (8, 10)], False, [(0, 8), (8, 10)]),
        ([(2, 9), (3, 4)], True, [(2, 9)]),
        ([], True, []),
    ],
)
def test_overlapping_spans_merge_and_touching_ones_only_when_asked(
    spans: list[Span], touching: bool, merged: list[Span]
) -> None:
    assert merge_spans(spans, touching=touching) == merged


def test_utf16_prefix_never_splits_a_character_of_two_units() -> None:
    assert utf16_prefix("а😀б", 2) == 1
    assert utf16_prefix("а😀б", 3) == 2
