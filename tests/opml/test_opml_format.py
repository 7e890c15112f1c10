"""Reading OPML files of real feed readers, refusing hostile ones, and writing our own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.opml import OpmlError, OpmlFeed, OpmlProblem, looks_like_xml, parse_opml, write_opml

DATA = Path(__file__).parents[1] / "data" / "opml"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_a_feedly_export_gives_each_feed_once_with_its_folder() -> None:
    document = parse_opml(read("feedly.opml"))
    assert [(f.url, f.title, f.folder) for f in document.feeds] == [
        ("https://www.interfax.ru/rss.asp", "Интерфакс", "Новости"),
        ("https://lenta.ru/rss/news", "Lenta.ru : Новости", "Новости"),
        ("https://habr.com/ru/rss/all/all/?fl=ru", "Хабр", "Tech & Science"),
    ]
    assert document.duplicates == 1


def test_nested_folders_are_walked_and_site_links_are_counted_not_imported() -> None:
    document = parse_opml(read("inoreader.opml"))
    assert [(f.title, f.folder) for f in document.feeds] == [
        ("ТАСС", "Агентства"),
        ("Фонтанка.ру", "Агентства / Регионы"),
        ("РБК <главное>", None),
    ]
    assert document.pages == 1


def test_a_miniflux_export_with_empty_outline_elements_is_read() -> None:
    document = parse_opml(read("miniflux.opml"))
    assert [f.url for f in document.feeds] == [
        "https://www.kommersant.ru/RSS/news.xml",
        "https://meduza.io/rss/all",
    ]
    assert document.title == "Miniflux"


def test_a_declared_single_byte_encoding_is_honoured() -> None:
    [feed] = parse_opml(read("cp1251.opml")).feeds
    assert feed.title == "Лента"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("billion-laughs.opml", OpmlProblem.ENTITIES),
        ("external-entity.opml", OpmlProblem.ENTITIES),
        ("cp1251-declared-utf8.opml", OpmlProblem.ENCODING),
        ("rss-not-opml.xml", OpmlProblem.NOT_OPML),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_their_reason(
    name: str, problem: OpmlProblem
) -> None:
    with pytest.raises(OpmlError) as refused:
        parse_opml(read(name))
    assert refused.value.problem == problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"%PDF-1.7 binary", OpmlProblem.NOT_XML),
        (b"<opml><body><outline xmlUrl='x'></body></opml>", OpmlProblem.NOT_XML),
        (b"", OpmlProblem.NOT_XML),
        (
            b'<opml version="2.0"><body><outline text="folder"/></body></opml>',
            OpmlProblem.NO_FEEDS,
        ),
        (b'<?xml version="1.0" encoding="x-no-such"?><opml/>', OpmlProblem.ENCODING),
        (b'<!DOCTYPE opml SYSTEM "http://evil.example/x.dtd"><opml/>', OpmlProblem.ENTITIES),
        (b"<opml><body><outline text='&nbsp;' xmlUrl='x'/></body></opml>", OpmlProblem.NOT_XML),
    ],
)
def test_broken_files_are_refused_with_their_reason(data: bytes, problem: OpmlProblem) -> None:
    with pytest.raises(OpmlError) as refused:
        parse_opml(data)
    assert refused.value.problem == problem


def test_a_file_with_too_many_outlines_is_refused_before_it_is_read_to_the_end() -> None:
    outlines = "".join(f'<outline xmlUrl="https://e.example/{i}"/>' for i in range(50))
    data = f"<opml><body>{outlines}</body></opml>".encode()
    assert len(parse_opml(data, max_outlines=50).feeds) == 50
    with pytest.raises(OpmlError) as refused:
        parse_opml(data, max_outlines=49)
    assert refused.value.problem == OpmlProblem.TOO_MANY


def test_attribute_names_are_read_in_any_case() -> None:
    data = b'<OPML><body><outline TEXT="A" XMLURL=" https://a.example/rss "/></body></OPML>'
    assert parse_opml(data).feeds == [OpmlFeed("https://a.example/rss", "A")]


def test_what_we_write_reads_back_the_same_whatever_the_titles_hold() -> None:
    feeds = [
        OpmlFeed("https://a.example/rss?x=1&y=2", 'Tom & "Jerry" <b>\'s</b>'),
        OpmlFeed("https://b.example/feed", "Кавычки «ёлочки»\tи\nперенос", "Папка <1>"),
        OpmlFeed("https://c.example/atom", "bell\x07 and \u202eRTL"),
        OpmlFeed("https://d.example/rss", None),
    ]
    created = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    data = write_opml(feeds, title="Ленты <чата> & co", created=created)
    document = parse_opml(data)
    assert [f.url for f in document.feeds] == [f.url for f in feeds]
    assert document.feeds[0].title == feeds[0].title
    assert document.feeds[1].folder == "Папка <1>"
    assert document.feeds[2].title == "bell and \u202eRTL"
    assert document.feeds[3].title == "https://d.example/rss"
    assert document.title == "Ленты <чата> & co"
    assert b'version="2.0"' in data and b"Tue, 01 Dec 2026 09:30:00 GMT" in data


def test_files_are_told_apart_by_their_first_bytes() -> None:
    assert looks_like_xml(read("feedly.opml"))
    assert looks_like_xml(b"\xef\xbb\xbf<?xml")
    assert not looks_like_xml(b"Lavrov\nPeskov\n")
