"""parse_feed: real snapshots, encodings, normalisation and hostile documents.

Data in tests/data/feeds/: verbatim copies of ../shared/feeds/*.xml, plus
``lenta-2022-12-03.cp1251.xml`` and ``lenta-2022-12-03.koi8r.xml``: the 2022 Lenta snapshot
re-encoded, with the XML declaration rewritten to ``windows-1251`` / ``KOI8-R``; characters
those code pages lack (« » – — ç in KOI8-R, ç in windows-1251) became numeric character
references (``xmlcharrefreplace``). Other variants are derived below, each saying how.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.parser import MAX_TEXT_CHARS, MAX_TITLE_CHARS, ParsedFeed, parse_feed
from tests.feeds.feeds_testkit import FETCHED_AT
from tests.support.paths import sample

LENTA_URL = "https://lenta.ru/rss/news"


def parse(body: bytes, content_type: str | None = None, url: str = LENTA_URL) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type, fetched_at=FETCHED_AT)


def rss(items: str, channel: str = "<title>T</title>", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>{channel}'
        f"{items}</channel></rss>"
    ).encode()


def test_lenta_2021_snapshot_gives_200_items_with_cyrillic() -> None:
    feed = parse(sample("lenta-2021-10-03.xml"), "application/rss+xml; charset=utf-8")
    assert feed.error is None
    assert feed.title == "Lenta.ru : Новости"
    assert len(feed.items) == 200
    assert all(item.link and item.link.startswith("https://lenta.ru/") for item in feed.items)
    # Descriptions ending in <br /> inside CDATA leave no markup behind.
    assert not any("<" in item.text or "br />" in item.text for item in feed.items)


def test_lenta_2022_snapshot_keeps_each_guid_once() -> None:
    """The snapshot has 200 <item>s, but two are verbatim repeats (same guid): 198 stories."""
    body = sample("lenta-2022-12-03.xml")
    assert body.count(b"<item>") == 200
    feed = parse(body)
    assert feed.error is None
    assert len(feed.items) == 198
    first = feed.items[0]
    assert first.guid == first.link == "https://lenta.ru/news/2022/12/03/freedman/"
    assert first.title == "Стало известно о задержании бизнесмена Михаила Фридмана в Лондоне"
    assert first.text.startswith("Полиция задержала в Лондоне российского бизнесмена")
    assert first.author == "Варвара Кошечкина"
    assert first.published_at == datetime(2022, 12, 3, 16, 43, tzinfo=UTC)


def _strip_declared_encoding(body: bytes, declared: bytes) -> bytes:
    """Variant: the XML declaration no longer names an encoding (charset only in HTTP)."""
    return body.replace(b' encoding="' + declared + b'"', b"", 1)


@pytest.mark.parametrize(
    ("file", "declared", "charset"),
    [
        ("lenta-2022-12-03.cp1251.xml", b"windows-1251", "windows-1251"),
        ("lenta-2022-12-03.koi8r.xml", b"KOI8-R", "koi8-r"),
    ],
)
@pytest.mark.parametrize("where", ["http only", "declaration only", "both"])
def test_single_byte_cyrillic_feeds_decode_like_the_utf8_original(
    file: str, declared: bytes, charset: str, where: str
) -> None:
    body = sample(file)
    content_type = "application/rss+xml"
    if where in ("http only", "both"):
        content_type += f"; charset={charset}"
    if where == "http only":
        body = _strip_declared_encoding(body, declared)
        assert b"encoding=" not in body[:100]
    original = parse(sample("lenta-2022-12-03.xml"))
    feed = parse(body, content_type)
    assert feed.error is None
    assert feed.items == original.items
    assert feed.items[0].title.startswith("Стало известно о задержании")


def test_interfax_full_text_comes_from_yandex_full_text() -> None:
    feed = parse(sample("interfax-sample.xml"), "application/rss+xml", "https://www.interfax.ru/")
    assert feed.error is None and feed.title == "Интерфакс"
    (item,) = feed.items
    assert "Сергея Лаврова" in item.text
    assert "прямого авиасообщения" in item.text
    assert "\n\n" in item.text  # paragraphs kept for the summariser
    assert item.published_at == datetime(2026, 2, 2, 10, 41, tzinfo=UTC)


def test_content_encoded_outranks_description() -> None:
    body = rss(
        '<item xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>t</title>'
        "<link>https://e.org/1</link><description>short</description>"
        "<content:encoded><![CDATA[<p>Full one.</p><p>Full two.</p>]]></content:encoded></item>"
    )
    (item,) = parse(body).items
    assert item.text == "Full one.\n\nFull two."


def test_relative_links_resolve_against_channel_link_xml_base_then_feed_url() -> None:
    body = rss(
        "<item><title>a</title><link>/news/1</link></item>"
        '<item xml:base="https://cdn.example.org/x/"><title>b</title><link>b/2</link></item>'
        "<item><title>c</title><link>javascript:alert(1)</link></item>",
        channel="<title>T</title><link>https://site.example.com/</link>",
    )
    links = [item.link for item in parse(body, url="https://feeds.example.com/rss").items]
    assert links == ["https://site.example.com/news/1", "https://cdn.example.org/x/b/2", None]
    no_channel_link = rss("<item><title>a</title><link>../n/1?utm_source=rss</link></item>")
    (item,) = parse(no_channel_link, url="https://feeds.example.com/a/rss").items
    assert item.link == "https://feeds.example.com/n/1?utm_source=rss"
    assert item.canonical_link == "https://feeds.example.com/n/1"


def test_html_and_script_in_titles_become_plain_text() -> None:
    body = rss(
        "<item><title>&lt;b&gt;Взрыв&lt;/b&gt; &amp;amp; &lt;script&gt;alert('x')&lt;/script&gt;"
        "пожар</title><link>https://e.org/1</link>"
        "<description><![CDATA[<style>p{}</style><p>Один&nbsp;два</p><script>var x;</script>"
        "<p>три</p>]]></description></item>"
    )
    (item,) = parse(body).items
    assert item.title == "Взрыв & пожар"
    assert item.text == "Один два\n\nтри"


def test_guid_falls_back_to_link_then_hash_of_title_and_date() -> None:
    body = rss(
        "<item><guid isPermaLink='false'>id-1</guid><title>a</title></item>"
        "<item><title>b</title><link>https://e.org/b</link></item>"
        "<item><title>c</title><pubDate>Mon, 02 Feb 2026 13:41:00 +0300</pubDate></item>"
    )
    guids = [item.guid for item in parse(body).items]
    assert guids[:2] == ["id-1", "https://e.org/b"]
    assert guids[2].startswith("sha1:")
    assert guids[2] == parse(body).items[2].guid  # stable across parses


def test_published_at_is_fetch_time_when_missing_or_in_the_future() -> None:
    future = (FETCHED_AT + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    body = rss(
        f"<item><title>a</title><link>https://e.org/a</link><pubDate>{future}</pubDate></item>"
        "<item><title>b</title><link>https://e.org/b</link></item>"
        "<item><title>c</title><link>https://e.org/c</link><pubDate>garbage</pubDate></item>"
    )
    assert [item.published_at for item in parse(body).items] == [FETCHED_AT] * 3


def test_huge_fields_are_capped() -> None:
    body = rss(
        f"<item><title>{'я' * 5000}</title><description>{'слово ' * 50_000}"
        "</description><link>https://e.org/1</link></item>"
    )
    (item,) = parse(body).items
    assert len(item.title) == MAX_TITLE_CHARS
    assert len(item.text) == MAX_TEXT_CHARS


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        (b"", None, "empty body"),
        (b"  \r\n ", "application/rss+xml", "empty body"),
        (
            b"<!DOCTYPE html><html><head><title>Hi</title></head><body><p>Hello</p></body></html>",
            "text/html; charset=utf-8",
            "not a feed: got an HTML page",
        ),
        (
            b"<html><body>Served as if it were RSS",
            "application/rss+xml",
            "not a feed: got an HTML page",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1"}',
            "application/json",
            "not a feed: the response is not XML (application/json)",
        ),
        (
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><ti",
            None,
            "malformed XML at line 1: unclosed token",
        ),
        (
            b"<?xml version='1.0'?><note><to>x</to></note>",
            "application/xml",
            "not a feed: no RSS or Atom structure found",
        ),
    ],
)
def test_unusable_documents_give_a_clear_error(
    body: bytes, content_type: str | None, error: str
) -> None:
    feed = parse(body, content_type)
    assert feed.error == error
    assert feed.items == ()


def test_a_valid_feed_without_items_is_not_an_error() -> None:
    feed = parse(rss(""))
    assert feed.error is None and feed.items == () and feed.title == "T"


def test_truncated_xml_keeps_complete_items_and_drops_the_cut_one() -> None:
    """Variant: the 2021 Lenta snapshot cut in the middle of its 100th <item>."""
    body = sample("lenta-2021-10-03.xml")
    cut = body.index(b"<item>", body.index(b"<item>") + 1)
    for _ in range(98):
        cut = body.index(b"<item>", cut + 1)
    truncated = body[: cut + 300]
    feed = parse(truncated)
    full = parse(body)
    assert feed.error is None
    assert feed.items == full.items[:99]


def test_truncation_inside_a_multibyte_character_does_not_garble_the_rest() -> None:
    body = sample("lenta-2022-12-03.xml")
    cut = body.index("Власти эвакуировали".encode()) + 3  # mid-way through "а"
    feed = parse(body[:cut])
    assert feed.error is None
    assert feed.items[0].title.startswith("Стало известно")


def test_wrong_declared_encoding_is_detected_not_garbled() -> None:
    """Variant: the windows-1251 file with its declaration changed to claim utf-8.

    The bytes are not valid UTF-8, so the parser recognises windows-1251 by its letter
    distribution and the result equals the correctly labelled original (not mojibake).
    """
    body = sample("lenta-2022-12-03.cp1251.xml").replace(
        b'encoding="windows-1251"', b'encoding="utf-8"'
    )
    for content_type in (None, "application/rss+xml; charset=utf-8"):
        feed = parse(body, content_type)
        assert feed.error is None
        assert feed.items == parse(sample("lenta-2022-12-03.xml")).items


def _peak_memory_and_time(body: bytes) -> tuple[ParsedFeed, int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        feed = parse(body)
        return feed, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


BILLION_LAUGHS = "".join(
    ['\n<!ENTITY lol "lol">']
    + [f'\n<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)]
)


@pytest.mark.parametrize(
    ("prolog", "reference", "reason"),
    [
        # Classic billion laughs: 10 levels of 10x nesting, 3 GB if expanded.
        (f"<!DOCTYPE rss [{BILLION_LAUGHS}\n]>", "&lol9;", "refers to other entities"),
        # Same on one line (feedparser's own DOCTYPE filter only looks at line starts).
        (
            f"<!DOCTYPE rss [{BILLION_LAUGHS.replace(chr(10), ' ')}]>",
            "&lol9;",
            "refers to other entities",
        ),
        # Quadratic blowup: one flat 100 KB entity, on its own line, referenced 500 times
        # (50 MB). expat stops it, but feedparser's lenient fallback parser then expands it
        # anyway: without the pre-check this case takes ~5 s and ~190 MB (at 20,000
        # references: 44 s and 5.9 GB).
        (
            f'\n<!DOCTYPE rss [\n<!ENTITY big "{"A" * 100_000}">\n]>\n',
            "&big;" * 500,
            "is 100000 bytes long",
        ),
        ('<!DOCTYPE rss [<!ENTITY % p "x"> ]>', "", "parameter entity"),
        (
            '<!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',
            "&ext;",
            "external XML entity",
        ),
    ],
)
def test_entity_expansion_attacks_are_refused_cheaply(
    prolog: str, reference: str, reason: str
) -> None:
    body = rss(
        f"<item><title>{reference}</title><link>https://e.org/1</link></item>", prolog=prolog
    )
    feed, peak, seconds = _peak_memory_and_time(body)
    assert feed.error is not None and reason in feed.error
    assert feed.items == ()
    assert peak < 20 * 1024 * 1024
    assert seconds < 2


def test_short_character_entities_are_still_allowed() -> None:
    body = rss(
        "<item><title>a&nbsp;b</title><link>https://e.org/1</link></item>",
        prolog='<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>',
    )
    (item,) = parse(body).items
    assert item.title == "a b"


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\xff\xfe garbage",
        b"<" * 10_000,
        b"<?xml version='1.0' encoding='nonsense'?><rss/>",
        b"\xef\xbb\xbf",
        b"<rss version='2.0'><channel><item><link>http://[::1</link></item>",
        "<rss><channel><item><title>\ud800</title></item></channel></rss>".encode(
            "utf-8", "surrogatepass"
        ),
    ],
)
def test_garbage_never_raises(body: bytes) -> None:
    feed = parse(body, "application/rss+xml; charset=bogus")
    assert isinstance(feed, ParsedFeed)
