"""The inverted index returns exactly what checking every subscription one by one returns,
and stays correct as subscriptions come and go."""

from __future__ import annotations

import random

from bot.matching import Analyzer, SubscriptionIndex, parse_query
from bot.matching.text import TOKEN_RE

ITEMS = [
    "МИД сообщил о диалоге между РФ и США\n\nВ МИД РФ заявили, что российско-американский "
    "диалог ведётся практически беспрерывно. Сергей Лавров встретится с Марко Рубио.",
    "Песков прокомментировал возобновление прямого авиасообщения с США. Кремль ждёт ответа.",
    "Курс биткоина обновил рекорд\n\nИлон Маск заявил, что санкционный режим не повлияет на "
    "рынок. В 2025 году страны ОПЕК+ сократят добычу нефти.",
    "Trump's sanctions on Iran\n\nThe White House announced new sanctions against oil exports.",
    "В Санкт-Петербурге прошёл саммит G20. Набиуллина выступила с докладом о ставке ЦБ.",
]


def build(analyzer: Analyzer, queries: dict[int, str]) -> SubscriptionIndex:
    index = SubscriptionIndex()
    for key, raw in queries.items():
        index.add(key, parse_query(raw, analyzer))
    return index


def test_match_returns_verified_results_with_spans(analyzer: Analyzer) -> None:
    index = build(
        analyzer,
        {
            1: "Лавров",
            2: '"прямое авиасообщение"',
            3: "Лавров -Рубио",
            4: "санкц*",
            5: "Песков OR Маск",
        },
    )
    doc = analyzer.document(ITEMS[1])
    found = index.match(doc)
    assert sorted(found) == [2, 5]
    assert [doc.text[s:e] for s, e in found[2].spans] == ["прямого авиасообщения"]
    assert [doc.text[s:e] for s, e in found[5].spans] == ["Песков"]
    assert sorted(index.match(analyzer.document(ITEMS[2]))) == [4, 5]
    assert sorted(index.match(analyzer.document(ITEMS[0]))) == [1]


def test_add_remove_replace(analyzer: Analyzer) -> None:
    index = SubscriptionIndex()
    doc = analyzer.document(ITEMS[0])
    index.add(7, parse_query("Лавров", analyzer))
    assert 7 in index and len(index) == 1
    assert set(index.match(doc)) == {7}

    index.add(7, parse_query("Песков", analyzer))  # re-adding replaces
    assert len(index) == 1
    assert index.match(doc) == {}
    assert set(index.match(analyzer.document(ITEMS[1]))) == {7}

    index.remove(7)
    index.remove(7)  # absent: no-op
    index.remove(12345)
    assert 7 not in index and len(index) == 0
    assert index.match(analyzer.document(ITEMS[1])) == {}


def test_identical_queries_are_kept_per_subscription(analyzer: Analyzer) -> None:
    index = build(analyzer, {1: "Лавров", 2: "Лавров", 3: "Лавров", 4: "сан*", 5: "сан*"})
    doc = analyzer.document(ITEMS[0] + " санкции")
    assert set(index.match(doc)) == {1, 2, 3, 4, 5}
    index.remove(2)
    index.remove(4)
    assert set(index.match(doc)) == {1, 3, 5}
    index.remove(1)
    index.remove(3)
    index.remove(5)
    assert len(index) == 0 and index.match(doc) == {}


def test_index_equals_naive_loop_on_random_queries(analyzer: Analyzer) -> None:
    rng = random.Random(3)
    words: list[str] = sorted({w for text in ITEMS for w in TOKEN_RE.findall(text) if len(w) > 2})

    def random_query() -> str:
        kind = rng.randrange(6)
        a, b = rng.choice(words), rng.choice(words)
        return [
            a,
            f"{a} {b}",
            f'"{a} {b}"',
            f"{a} OR {b}",
            f"{a} -{b}",
            a[:3].lower() + "*",
        ][kind]

    queries = {key: parse_query(random_query(), analyzer) for key in range(600)}
    index = SubscriptionIndex()
    for key, query in queries.items():
        index.add(key, query)
    for key in range(0, 600, 7):  # churn: drop some, replace others
        index.remove(key)
        del queries[key]
    for key in range(1, 600, 11):
        if key in queries:
            queries[key] = parse_query(random_query(), analyzer)
            index.add(key, queries[key])
    total = 0
    for text in ITEMS:
        doc = analyzer.document(text)
        naive = {k: r for k, q in queries.items() if (r := q.match(doc)) is not None}
        assert index.match(doc) == naive
        assert index.match_ids(doc) == set(naive)
        assert {k for k, q in queries.items() if q.matches(doc)} == set(naive)
        total += len(naive)
    assert total > 50  # the sample really exercises matches


def test_match_ids_names_the_same_subscriptions_as_match_without_building_spans(
    analyzer: Analyzer,
) -> None:
    queries = {
        1: "Лавров",
        2: '"прямое авиасообщение"',
        3: "Лавров -Рубио",
        4: "санкц*",
        5: "Песков OR Маск",
        6: "Песков",
        7: "Песков",
        8: "нефть ОПЕК+",
    }
    index = build(analyzer, queries)

    for text in ITEMS:
        doc = analyzer.document(text)
        assert index.match_ids(doc) == set(index.match(doc))
    assert index.match_ids(analyzer.document(ITEMS[1])) == {2, 5, 6, 7}
    assert index.match_ids(analyzer.document(ITEMS[2])) == {4, 5, 8}
