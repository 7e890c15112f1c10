"""Bad values from a feed stay local: a broken character or date costs that value, never the
feed's other items, and nothing that reaches chats carries controls or direction overrides."""

from __future__ import annotations

import pytest

from bot.feeds.parser import ParsedFeed, parse_feed
from tests.feeds.feeds_testkit import FETCHED_AT


def feed(bad_title: str = "", bad_date: str = "", channel_title: str = "Лента") -> bytes:
    items = []
    for n in range(30):
        title = f"Новость {n}" + (bad_title if n == 3 else "")
        date = f"<pubDate>{bad_date}</pubDate>" if n == 3 and bad_date else ""
        items.append(
            f"<item><title>{title}</title><link>https://news.example/{n}</link>{date}"
            f"<description>Текст {n}{bad_title if n == 3 else ''}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{channel_title}</title>{''.join(items)}</channel></rss>"
    ).encode()


def parse(body: bytes) -> ParsedFeed:
    return parse_feed(
        body, url="https://news.example/rss", content_type=None, fetched_at=FETCHED_AT
    )


@pytest.mark.parametrize(
    "reference", ["&#xD800;", "&#xDFFF;", "&#x110000;", "&#99999999999;", "&#1;", "&#xFFFE;"]
)
def test_an_invalid_character_reference_costs_one_character_not_the_feed(reference: str) -> None:
    parsed = parse(feed(bad_title=reference))

    assert parsed.error is None and len(parsed.items) == 30
    assert parsed.items[3].title == "Новость 3\ufffd"
    assert parsed.items[4].title == "Новость 4"


@pytest.mark.parametrize(
    "sneaky", ["\x01", "\x7f", "\u202e", "\u202a", "\u2066", "\u200f", "\x9b"]
)
def test_controls_and_direction_overrides_never_reach_titles_texts_or_feed_names(
    sneaky: str,
) -> None:
    parsed = parse(feed(bad_title=f"{sneaky}moc.elgoog", channel_title=f"Лента{sneaky}"))

    item = parsed.items[3]
    for text in (item.title, item.text, parsed.title or ""):
        assert sneaky not in text
    assert "moc.elgoog" in item.title and parsed.title is not None


@pytest.mark.parametrize(
    "date",
    ["Mon, 01 Jan 0001 00:00:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "0001-01-01T00:00:00Z"],
)
def test_a_date_before_2000_is_read_as_missing(date: str) -> None:
    parsed = parse(feed(bad_date=date))

    assert parsed.items[3].published_at == FETCHED_AT
    assert len(parsed.items) == 30
