"""What counts as a web address (bot/urls.py), asked by the parser, /addfeed, FEEDS and links."""

from __future__ import annotations

import pytest

from bot.alerts.html import safe_link
from bot.chatfeeds import clean_url
from bot.urls import is_http_url, typed_http_url


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://tass.ru/rss/v2.xml", True),
        ("HTTP://Example.COM/a b", True),  # a feed's sloppy link is still a link
        ("ftp://example.com/", False),
        ("javascript:alert(1)", False),
        ("http:example.com", False),
        ("http:///path", False),
        ("http://[::1", False),
        ("/relative", False),
        ("", False),
    ],
)
def test_an_http_url_is_absolute_http_or_https_with_a_host(url: str, ok: bool) -> None:
    assert is_http_url(url) is ok


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("  https://tass.ru/rss  ", "https://tass.ru/rss"),
        ("https://tass.ru/rss и ещё", None),
        ("tass.ru/rss", None),
        ("http://", None),
    ],
)
def test_a_typed_url_is_one_word(text: str, url: str | None) -> None:
    assert typed_http_url(text) == url


@pytest.mark.parametrize(
    "url", ["https://tass.ru/a", "http://[::1", "http:///x", "ftp://x/", "https://x/a b"]
)
def test_addfeed_and_alert_links_agree_on_what_an_http_url_is(url: str) -> None:
    shown = safe_link(url) is not None
    accepted = clean_url(url) is not None
    assert shown == accepted == (is_http_url(url) and " " not in url)
