"""The product's reference case: the real Interfax article of 2 February 2026 (copied unchanged
from ../shared/feeds/interfax-sample.xml, windows-1251). Its full text says «Сергея Лаврова»
and «возобновление прямого авиасообщения»; all three subscriptions must fire and highlight
those very words, in the title + body layout the pipeline uses."""

from __future__ import annotations

import html
import re

import pytest

from bot.matching import Analyzer, SubscriptionIndex, parse_query
from tests.support.paths import sample


def interfax_item() -> str:
    xml = sample("interfax-sample.xml").decode("windows-1251")
    title = re.search(r"<item>.*?<title>(.*?)</title>", xml, re.S)
    body = re.search(r"<yandex:full-text>(.*?)</yandex:full-text>", xml, re.S)
    assert title is not None and body is not None
    return html.unescape(title.group(1)) + "\n\n" + html.unescape(body.group(1))


@pytest.mark.parametrize(
    ("query", "highlighted"),
    [
        ("Лавров", ["Лаврова"]),
        ("авиасообщение", ["авиасообщения"]),
        ('"прямое авиасообщение"', ["прямого авиасообщения"]),
        ("Лавров авиасообщение", ["Лаврова", "авиасообщения"]),
        ("Рубио OR авиасообщение", ["авиасообщения"]),
        ("Трамп", ["Трампа"]),
    ],
)
def test_reference_subscriptions_fire(
    analyzer: Analyzer, query: str, highlighted: list[str]
) -> None:
    text = interfax_item()
    result = parse_query(query, analyzer).match(analyzer.document(text))
    assert result is not None
    assert [text[s:e] for s, e in result.spans] == highlighted


@pytest.mark.parametrize(
    "query", ["Песков", "нефть", '"авиасообщение прямое"', "Лавров -авиасообщение", "рак", "кит"]
)
def test_reference_article_does_not_fire_on_others(analyzer: Analyzer, query: str) -> None:
    assert parse_query(query, analyzer).match(analyzer.document(interfax_item())) is None


def test_reference_article_through_the_index(analyzer: Analyzer) -> None:
    index = SubscriptionIndex()
    for key, raw in enumerate(["Лавров", "авиасообщение", '"прямое авиасообщение"', "Песков"]):
        index.add(key, parse_query(raw, analyzer))
    assert sorted(index.match(analyzer.document(interfax_item()))) == [0, 1, 2]


def test_title_and_abbreviation(analyzer: Analyzer) -> None:
    text = interfax_item()
    result = parse_query("МИД США", analyzer).match(analyzer.document(text))
    assert result is not None
    assert text[result.spans[0][0] : result.spans[0][1]] == "МИД"
