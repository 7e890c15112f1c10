"""Every way a person names a public channel, and the Telegram links that name none."""

from __future__ import annotations

import pytest

from bot.channels.names import (
    ChannelReference,
    channel_of_feed,
    channel_reference,
    feed_url,
    fetch_url,
    is_channel_feed,
    post_link,
    valid_name,
)


@pytest.mark.parametrize(
    "text",
    [
        "@newsroom_demo",
        "@Newsroom_Demo",
        "https://t.me/newsroom_demo",
        "http://t.me/newsroom_demo/",
        "t.me/newsroom_demo",
        "t.me/s/newsroom_demo",
        "https://t.me/s/newsroom_demo",
        "https://t.me/s/newsroom_demo/112",
        "https://t.me/newsroom_demo/112",
        "https://t.me/newsroom_demo/112?single",
        "https://telegram.me/newsroom_demo",
        "https://www.t.me/newsroom_demo",
        "telegram.dog/newsroom_demo",
        "  <https://t.me/newsroom_demo>  ",
    ],
)
def test_each_form_of_a_channel_reference_names_the_channel_in_lower_case(text: str) -> None:
    assert channel_reference(text) == ChannelReference("newsroom_demo")


@pytest.mark.parametrize(
    "text",
    [
        "https://t.me/+AbCdEfGhIjK12345",
        "https://t.me/joinchat/AAAAAEHbEkejzxUjAUCzYA",
        "https://t.me/c/1234567890/55",
        "https://t.me/addstickers/Animals",
        "https://t.me/share/url?url=https://example.com",
        "https://t.me/proxy?server=1.2.3.4&port=443&secret=00",
        "https://t.me/newsroom_demo/abc",
        "https://t.me/newsroom_demo/1/2",
        "https://t.me/",
        "https://t.me/ab",
        "@ab",
        "@1abcdef",
        "@_abcdef",
        "@abcdef_",
        "@ab__cdef",
        "@" + "a" * 33,
        "@новости",
        "@name.with.dots",
    ],
)
def test_telegram_links_that_name_no_public_channel_are_told_apart(text: str) -> None:
    assert channel_reference(text) == ChannelReference(None)


@pytest.mark.parametrize(
    "text",
    [
        "https://lenta.ru/rss/news",
        "https://example.com/t.me/newsroom_demo",
        "https://t.me.evil.example/newsroom_demo",
        "ftp://t.me/newsroom_demo",
        "newsroom_demo",
        "@newsroom_demo and more",
        "",
    ],
)
def test_text_that_is_not_a_telegram_reference_is_left_to_the_feed_url_rules(text: str) -> None:
    assert channel_reference(text) is None


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("durov", True),
        ("news", True),  # collectible usernames can have 4 characters
        ("a" * 32, True),
        ("a" * 33, False),
        ("abc", False),
        ("rian_ru", True),
        ("rian__ru", False),
        ("rian_", False),
        ("9rian", False),
        ("Rian_ru", False),  # names are compared in lower case
    ],
)
def test_a_username_has_telegrams_shape(name: str, ok: bool) -> None:
    assert valid_name(name) is ok


def test_a_channel_feed_is_stored_under_its_preview_address_and_fetched_from_the_base() -> None:
    url = feed_url("newsroom_demo")
    assert url == "https://t.me/s/newsroom_demo"
    assert is_channel_feed(url) and channel_of_feed(url) == "newsroom_demo"
    assert fetch_url(url, "https://t.me/s/") == url
    assert fetch_url(url, "http://127.0.0.1:8080/s/") == "http://127.0.0.1:8080/s/newsroom_demo"
    assert fetch_url(url, "http://127.0.0.1:8080/s") == "http://127.0.0.1:8080/s/newsroom_demo"
    assert fetch_url("https://lenta.ru/rss/news", "http://127.0.0.1:8080/s/") == (
        "https://lenta.ru/rss/news"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://lenta.ru/rss/news",
        "https://t.me/newsroom_demo",
        "https://t.me/s/newsroom_demo?before=100",
        "https://t.me/s/newsroom_demo/112",
        "https://t.me/s/ab",
        "https://example.com/s/newsroom_demo",
    ],
)
def test_only_a_preview_address_is_a_channel_feed(url: str) -> None:
    assert not is_channel_feed(url)


def test_a_post_link_is_always_public_telegram() -> None:
    assert post_link("newsroom_demo", 112) == "https://t.me/newsroom_demo/112"
