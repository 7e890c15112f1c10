"""Reply pieces read without Telegram: cutting to a length, links, zones, empty outcomes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.i18n import texts
from bot.timezones import load_zone
from bot.views.fit import clip
from bot.views.parts import link
from bot.views.subscriptions import render_outcomes


@pytest.mark.parametrize(
    ("text", "limit", "at_word", "shown"),
    [
        ("Лавров", 28, True, "Лавров"),
        ("Сергей Лавров прибыл в Анкару", 20, True, "Сергей Лавров…"),
        ("Сергей Лавров прибыл в Анкару", 20, False, "Сергей Лавров прибы…"),
        ('"прямое авиасообщение"', 20, True, '"прямое авиасообщен…'),
        ("𝐀" * 20, 28, True, "𝐀" * 13 + "…"),  # two UTF-16 units each, as Telegram counts
        ("Лав\u202eров\nи\x01 Песков", 28, True, "Лавров и Песков"),
    ],
)
def test_labels_and_reply_lines_are_cut_by_one_rule(
    text: str, limit: int, at_word: bool, shown: str
) -> None:
    assert clip(text, limit, at_word=at_word) == shown


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "tg://resolve",
        "/relative",
        "http:// spaced.example/",
        "https://",
        "http://exa\nmple.com/",
        "https://news.example/" + "a" * 3000,
    ],
)
def test_a_title_links_only_where_a_reader_can_safely_follow(url: str | None) -> None:
    assert link("Лавров <прибыл>", url) == "Лавров &lt;прибыл&gt;"


def test_a_title_links_to_a_web_address_with_its_quotes_escaped() -> None:
    shown = link("Лавров", 'https://news.example/a?q="x"&b=1')
    assert shown == '<a href="https://news.example/a?q=&quot;x&quot;&amp;b=1">Лавров</a>'


@pytest.mark.parametrize(
    ("names", "zone"),
    [
        (("Asia/Omsk",), "Asia/Omsk"),
        (("Mars/Olympus", "Asia/Omsk"), "Asia/Omsk"),
        (("Mars/Olympus", "../etc"), "UTC"),
        ((), "UTC"),
    ],
)
def test_a_zone_that_does_not_load_gives_way_to_the_next(
    names: tuple[str, ...], zone: str
) -> None:
    assert load_zone(*names) == ZoneInfo(zone)


def test_subscribing_to_nothing_is_said_in_one_line() -> None:
    tr = texts("ru")
    assert render_outcomes([], tr, 50) == [tr("sub.nothing")]
