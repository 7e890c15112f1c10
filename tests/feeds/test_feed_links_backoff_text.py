"""Pure helpers: canonical links (dedup key), backoff delays, HTML to plain text."""

from __future__ import annotations

import random

import pytest

from bot.feeds.backoff import next_delay
from bot.feeds.html_text import html_to_text
from bot.feeds.links import canonical_link


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://Lenta.RU/news/2022/12/03/Freedman/",
            "https://lenta.ru/news/2022/12/03/Freedman/",
        ),
        ("https://lenta.ru:443/news/1/#comments", "https://lenta.ru/news/1/"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://ria.ru/1.html?utm_source=yxnews&utm_medium=desktop", "https://ria.ru/1.html"),
        ("https://e.org/a?b=2&fbclid=X&a=1&gclid=Y&yclid=Z&ysclid=W", "https://e.org/a?a=1&b=2"),
        ("https://e.org/a?UTM_Campaign=x&id=7", "https://e.org/a?id=7"),
        ("https://e.org/a?q=&z=1", "https://e.org/a?q=&z=1"),
        (
            "https://e.org/search?q=%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
            "https://e.org/search?q=%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
        ),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        ("  https://e.org/x  ", "https://e.org/x"),
        ("not a url", "not a url"),
        ("http://[::1", "http://[::1"),
        ("", ""),
    ],
)
def test_canonical_link(url: str, canonical: str) -> None:
    assert canonical_link(url) == canonical


def test_same_story_in_two_feeds_has_one_canonical_link() -> None:
    assert canonical_link("https://www.interfax.ru/russia/1?utm_source=main") == canonical_link(
        "https://WWW.interfax.ru:443/russia/1#top"
    )


def _delays(failures: int, *, retry_after: float | None = None) -> list[float]:
    rng = random.Random(1)
    return [next_delay(failures, base=300, retry_after=retry_after, rng=rng) for _ in range(200)]


def test_healthy_feed_polls_at_base_interval_with_jitter() -> None:
    delays = _delays(0)
    assert all(270 <= d <= 330 for d in delays)
    assert len({round(d) for d in delays}) > 20  # really jittered, not constant


@pytest.mark.parametrize(
    ("failures", "low", "high"),
    [
        (1, 540, 660),
        (2, 1080, 1320),
        (3, 2160, 2640),
        (4, 3240, 3600),
        (5, 3240, 3600),
        (50, 3240, 3600),
        (10**9, 3240, 3600),
    ],
)
def test_backoff_grows_exponentially_and_caps_at_an_hour(
    failures: int, low: float, high: float
) -> None:
    assert all(low <= d <= high for d in _delays(failures))


def test_success_resets_to_the_base_interval() -> None:
    assert max(_delays(0)) < min(_delays(1)) < max(_delays(6))
    assert max(_delays(0)) <= 330


def test_retry_after_is_a_floor_but_a_silly_value_is_capped() -> None:
    assert all(d >= 5000 for d in _delays(1, retry_after=5000))
    assert all(d >= 900 for d in _delays(0, retry_after=900))
    assert all(d <= 6 * 3600 for d in _delays(1, retry_after=10**9))
    assert all(270 <= d <= 330 for d in _delays(0, retry_after=10))  # shorter: backoff wins


def test_a_base_interval_above_the_cap_is_kept() -> None:
    assert all(d >= 7200 * 0.9 for d in (next_delay(3, base=7200) for _ in range(50)))


def test_base_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        next_delay(0, base=0)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Первый абзац.</p><p>Второй   абзац.</p>", "Первый абзац.\n\nВторой абзац."),
        ("Строка<br>ещё строка<br/><br />конец", "Строка\n\nещё строка\n\nконец"),
        (
            "<b>Жирный</b> и&nbsp;<i>курсив</i> &laquo;цитата&raquo; &#8212; &amp;",
            "Жирный и курсив «цитата» — &",
        ),
        ("<script>alert('Лавров')</script>Текст<style>.a{color:red}</style>", "Текст"),
        ("<SCRIPT type='x'>if (a < b) {}</SCRIPT>ok", "ok"),
        ("<div>\n  многострочный\n  html\n</div>", "многострочный html"),
        ("Plain text\nwith lines\n\n\nand gaps", "Plain text\n\nwith lines\n\nand gaps"),
        ("Цена < 5 рублей & больше", "Цена < 5 рублей & больше"),
        ("<p>broken <b>markup<p>still fine", "broken markup\n\nstill fine"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("", ""),
        ("<img src='x.jpg'/>", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
