"""The «Также:» line of a story's alert: the other outlets, escaped, linked, bounded."""

from __future__ import annotations

from bot.alerts.render import render_alert, render_plain
from bot.alerts.summary import Summary
from tests.alerts.test_alerts_render import MOSCOW, view
from tests.support.html_check import assert_valid_message, visible_text


def test_an_alert_without_other_sources_has_no_also_line() -> None:
    assert "Также" not in render_plain(view(), tz=MOSCOW)


def test_the_also_line_follows_the_source_line_and_links_each_named_outlet() -> None:
    also = [("ТАСС", "https://tass.ru/1"), ("РИА Новости", "https://ria.ru/2")]
    html = render_alert(view(also=also), tz=MOSCOW)

    assert_valid_message(html)
    head = html.split("\n\n")[0].split("\n")
    assert head[2] == (
        'Также: <a href="https://tass.ru/1">ТАСС</a>, <a href="https://ria.ru/2">РИА Новости</a>'
    )


def test_outlet_names_from_feeds_are_escaped_and_unsafe_links_dropped() -> None:
    also = [("<script>alert(1)</script> & Co", "javascript:alert(1)"), (None, None)]
    html = render_alert(view(also=also), tz=MOSCOW)

    assert_valid_message(html)
    assert "<script>" not in html and "javascript:" not in html
    assert "Также: &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co, без названия" in html


def test_an_english_chat_reads_also_and_the_count_of_the_rest() -> None:
    also = [(f"Outlet {n}", f"https://o{n}.example/") for n in range(7)]
    plain = render_plain(view(also=also), tz=MOSCOW, lang="en")

    assert "Also: Outlet 0, Outlet 1, Outlet 2, +4" in plain
    assert "Также" not in plain


def test_huge_outlet_names_and_a_huge_summary_still_fit_telegrams_limits() -> None:
    also = [("Ж" * 5000 + str(n), f"https://o{n}.example/") for n in range(50)]
    summary = Summary("слово " * 2000)
    html = render_alert(view(also=also, summary=summary), tz=MOSCOW)

    assert_valid_message(html)  # ≤ 4096 UTF-16 units of visible text, ≤ 100 entities
    also_line = next(line for line in visible_text(html).split("\n") if line.startswith("Также"))
    assert len(also_line) < 200 and also_line.endswith("+47")
