"""What the tuning replies say: escaped, in the chat's language, within one message."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import texts
from bot.matching import Analyzer, item_text, parse_query
from bot.subscriptions import Refusal, SubscribeOutcome
from bot.tuning.why import explain
from bot.views.fit import fits
from bot.views.tuning import render_exclusion, render_why
from storage import Subscription

NOW = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)
TITLE = "Лавров <b>и</b> Рубио & Ко"


def sub(query: str, n: int = 1) -> Subscription:
    return Subscription(n, 1, query, False, NOW)


def test_why_escapes_the_query_and_the_forms_it_shows(analyzer: Analyzer) -> None:
    query = parse_query("AT&T <Рубио>", analyzer)
    doc = analyzer.document(item_text(TITLE, "Сделка AT&T."))

    text = render_why([(sub(query.raw), explain(query, doc, len(TITLE)))], texts("ru"))

    assert "AT&amp;T &lt;Рубио&gt;" in text and "<Рубио>" not in text
    assert "• &lt;Рубио&gt; — в заголовке: «Рубио»" in text
    assert "в тексте: «AT&amp;T»" in text  # the form as the item writes it, escaped


def test_why_says_when_the_query_no_longer_finds_the_item(analyzer: Analyzer) -> None:
    doc = analyzer.document(item_text("Лавров и Рубио", ""))
    query = parse_query("Лавров -Рубио", analyzer)

    text = render_why([(sub("Лавров -Рубио"), explain(query, doc, 14))], texts("en"))

    assert "does not find this item any more" in text
    assert "How the query reads:" in text


def test_why_for_many_subscriptions_stays_one_message(analyzer: Analyzer) -> None:
    words = [f"слово{n}" for n in range(300)]
    title = " ".join(words)
    doc = analyzer.document(item_text(title, ""))
    rows = [
        (sub(f"{w} {v}", n), explain(parse_query(f"{w} {v}", analyzer), doc, len(title)))
        for n, (w, v) in enumerate(zip(words, reversed(words), strict=True))
    ]

    text = render_why(rows, texts("ru"))

    assert fits(text) and text.endswith("…")


def test_a_refused_exclusion_names_the_limit_in_the_chats_language(analyzer: Analyzer) -> None:
    from bot.matching import QueryError

    error = QueryError("too_many_terms", "x", limit=12, count=13)
    outcome = SubscribeOutcome("a -w", subscription=sub("a"), refusal=Refusal.INVALID, error=error)

    ru = render_exclusion(outcome, "трамплин", "Лавров", texts("ru"))
    en = render_exclusion(outcome, "trampoline", "Lavrov", texts("en"))

    assert "не добавлено" in ru and "13 слов, а можно не больше 12" in ru
    assert "was not added" in en and "has 13 words; the limit is 12" in en
