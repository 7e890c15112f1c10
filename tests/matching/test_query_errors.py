"""Bad queries are refused with a machine-readable code, parameters for the chat layer's
message, and a precise English text; nothing else ever escapes the parser."""

from __future__ import annotations

import pytest

from bot.matching import MAX_LENGTH, MAX_TERMS, Analyzer, QueryError, parse_query

BAD: list[tuple[str, str, str, dict[str, str | int]]] = [
    ("empty", "", "empty", {}),
    ("blank", "   \t ", "empty", {}),
    ("only exclusions", "-Лавров -Песков", "only_exclusions", {}),
    ("only an excluded phrase", '-"прямое авиасообщение"', "only_exclusions", {}),
    (
        "OR side only excludes",
        "Лавров OR -Песков",
        "branch_only_exclusions",
        {"branch": "-Песков"},
    ),
    ("unbalanced quote", '"прямое авиасообщение', "unbalanced_quote", {}),
    ("third quote", '"Лавров" "Песков', "unbalanced_quote", {}),
    ("short prefix", "са*", "prefix_too_short", {"term": "са*", "min": 3}),
    ("short excluded prefix", "нефть -ро*", "prefix_too_short", {"term": "-ро*", "min": 3}),
    ("bare star", "*", "no_letters", {"term": "*"}),
    ("star inside", "са*нкции", "bad_wildcard", {"term": "са*нкции"}),
    ("star in phrase", '"санкц* против"', "wildcard_in_phrase", {"term": '"санкц* против"'}),
    (
        "too long",
        "а" * (MAX_LENGTH + 1),
        "too_long",
        {"limit": MAX_LENGTH, "length": MAX_LENGTH + 1},
    ),
    (
        "too many terms",
        " ".join(["слово"] * (MAX_TERMS + 1)),
        "too_many_terms",
        {"limit": MAX_TERMS, "count": MAX_TERMS + 1},
    ),
    (
        "phrase words count",
        '"а б в г д е" "ж з и к л м" н',
        "too_many_terms",
        {"limit": MAX_TERMS, "count": 13},
    ),
    ("dash", "Лавров —", "no_letters", {"term": "—"}),
    ("punctuation", "!!!", "no_letters", {"term": "!!!"}),
    ("lone minus", "Лавров - Песков", "no_letters", {"term": "-"}),
    ("empty phrase", 'Лавров ""', "empty_phrase", {"term": '""'}),
    ("OR at the start", "OR Лавров", "dangling_or", {}),
    ("OR at the end", "Лавров |", "dangling_or", {}),
    ("double OR", "Лавров OR OR Песков", "dangling_or", {}),
    ("comma", "Лавров, Песков", "comma", {}),
]


@pytest.mark.parametrize(
    ("raw", "code", "params"), [pytest.param(r, c, p, id=name) for name, r, c, p in BAD]
)
def test_bad_query_is_refused_precisely(
    analyzer: Analyzer, raw: str, code: str, params: dict[str, str | int]
) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(raw, analyzer)
    assert caught.value.code == code
    assert caught.value.params == params
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message.endswith(".") and len(message) > 15
    for value in params.values():
        if isinstance(value, int) or code != "too_long":
            assert str(value) in message


GOOD = [
    ("exactly 12 terms", " ".join(["слово"] * MAX_TERMS)),
    ("exactly 256 characters", "а" * MAX_LENGTH),
    ("three-letter prefix", "сан*"),
    ("surrounding spaces", "   Лавров   "),
    ("punctuation around a word", "Лавров!"),
    ("hyphen inside a word", "по-настоящему"),
]


@pytest.mark.parametrize("raw", [pytest.param(r, id=name) for name, r in GOOD])
def test_good_queries_at_the_limits_compile(analyzer: Analyzer, raw: str) -> None:
    assert parse_query(raw, analyzer).raw == raw.strip()


@pytest.mark.parametrize(
    "raw", ["\x00", "\ud800", '"""', "-", "--", "|", "OR", "* * *", "&amp;", "\u200b", "\u00ad"]
)
def test_garbage_gives_a_query_error_not_a_crash(analyzer: Analyzer, raw: str) -> None:
    with pytest.raises(QueryError):
        parse_query(raw, analyzer)
