"""A surname typed with a capital matches every case form of it, whether the dictionary knows
the surname, guesses it, or reads it as another word (issue 11, item 15); and it never matches
a lowercase common word, however close its letters.

The surnames are real public figures' (tests/data/matching/surnames.tsv), each form in a
sentence of its own case; the traps (surname_traps.tsv) are texts that must stay silent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.matching import MatchResult
from tests.support.paths import MATCHING

Check = Callable[[str, str], MatchResult | None]
CASES = ("nom", "gen", "dat", "acc", "ins", "prep")
# One sentence per case; the surname stands mid-sentence, so its capital is its own.
SENTENCES = {
    "nom": "По словам журналистов, {} находится в Москве.",
    "gen": "Слова {} процитировали агентства.",
    "dat": "Журналисты задали вопрос {} на брифинге.",
    "acc": "Журналисты спросили {} о переговорах.",
    "ins": "Встреча с {} прошла в пятницу.",
    "prep": "Газеты написали о {} в понедельник.",
}


def rows(name: str) -> list[list[str]]:
    lines = (MATCHING / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


FORMS = [
    pytest.param(forms[0], case, form, id=f"{forms[0]}-{case}")
    for _, *forms in rows("surnames.tsv")
    for case, form in zip(CASES, forms, strict=True)
]
TRAPS = [
    pytest.param(query, text, id=f"{query}: {why}")
    for query, text, why in rows("surname_traps.tsv")
]


def test_the_lists_are_big_enough() -> None:
    assert len({query for query, _, _ in (p.values for p in FORMS)}) >= 40
    assert len(TRAPS) >= 30


@pytest.mark.parametrize(("query", "case", "form"), FORMS)
def test_a_surname_finds_each_of_its_case_forms(
    check: Check, query: str, case: str, form: str
) -> None:
    text = SENTENCES[case].format(form)
    result = check(query, text)
    assert result is not None, f"{query!r} missed {form!r} ({case})"
    assert [text[s:e] for s, e in result.spans] == [form]


@pytest.mark.parametrize(("query", "text"), TRAPS)
def test_a_surname_does_not_find_a_common_word_of_another_lemma(
    check: Check, query: str, text: str
) -> None:
    result = check(query, text)
    assert result is None, [text[s:e] for s, e in result.spans]


@pytest.mark.parametrize(
    ("query", "text", "form"),
    [
        ("Лавров", "Супруги Лавровы пришли на приём.", "Лавровы"),
        ("Лавров", "Дом Лавровых снесли.", "Лавровых"),
        ("Лавров", "Письмо Ольге Лавровой передали.", "Лавровой"),
        ("Жириновский", "Вдова Жириновского Галина Жириновская выступила.", "Жириновская"),
        ("Захарова", "Андрей Захаров заявил.", "Захаров"),
        ("Поклонская", "Сергей Поклонский ответил.", "Поклонский"),
    ],
)
def test_a_surname_is_one_family_masculine_feminine_and_plural(
    check: Check, query: str, text: str, form: str
) -> None:
    """«Лаврова» is both the masculine genitive and the feminine nominative, so the genders
    cannot be told apart by form: a surname query matches the whole family's paradigm."""
    result = check(query, text)
    assert result is not None
    assert form in [text[s:e] for s, e in result.spans]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Токаев", "ТОКАЕВА НЕ БУДЕТ НА САММИТЕ"),
        ("ТОКАЕВ", "Визит Токаеву предложили перенести."),
        ("Королёв", "Ракету назвали в честь Королева."),
        ("Королев", "Ракету назвали в честь Королёва."),
    ],
)
def test_capitals_and_yo_do_not_matter_inside_a_surname(
    check: Check, query: str, text: str
) -> None:
    assert check(query, text) is not None


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Новак", "Соревнования для новаков."),
        ("Токаев", "Бутылка токая и два токаев."),
        ("Мороз", "Крепкий мороз."),
    ],
)
def test_a_lowercase_query_is_not_a_name(check: Check, query: str, text: str) -> None:
    """The same letters typed in lower case are the common word: «новак» finds «новаков»."""
    assert check(query.lower(), text) is not None
    assert check(query, text) is None
