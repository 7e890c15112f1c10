"""`python -m bot preview --full-text` shows what the article pages add, item by item."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.preview import run_preview
from tests.fulltext.conftest import Route, Site, page

TITLE = "Россия и Казахстан обсудили транзит зерна"


def feed_of(site: Site) -> bytes:
    items = "".join(
        f"<item><guid>{site.url}/news/{name}</guid><title>{title}</title>"
        f"<link>{site.url}/news/{name}</link><pubDate>Mon, 02 Feb 2026 10:41:00 +0000</pubDate>"
        "</item>"
        for name, title in (("grain", TITLE), ("gone", "Новость без страницы"))
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Вестник</title>'
        f"<link>{site.url}/</link>{items}</channel></rss>"
    ).encode()


def preview(site: Site, *, full_text: bool, as_json: bool = False) -> int:
    return run_preview(
        feed=f"{site.url}/news/rss",
        queries=["Лавров", "зерно"],
        as_json=as_json,
        tz="Europe/Moscow",
        lang="ru",
        full_text=full_text,
    )


@pytest.fixture
def served(site: Site) -> Site:
    site.routes["rss"] = Route(feed_of(site), content_type="application/rss+xml")
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    return site


async def test_full_text_shows_each_items_lengths_and_the_queries_the_page_alone_matches(
    served: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await asyncio.to_thread(preview, served, full_text=False) == 0
    without = capsys.readouterr().out
    assert "Лаврова" not in without

    assert await asyncio.to_thread(preview, served, full_text=True) == 0
    out = capsys.readouterr().out
    grain, gone = out.index(TITLE), out.index("Новость без страницы")
    assert "feed 0 chars → page 1" in out[grain:gone]
    assert "only with the page: Лавров" in out[grain:gone]  # зерно is in the title already
    assert "no text: HTTP 404" in out[gone:]
    assert "**Лаврова**" in out  # the alert itself, on the completed text


async def test_full_text_in_json_gives_one_page_line_per_item(
    served: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await asyncio.to_thread(preview, served, full_text=True, as_json=True) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    pages = [line["page"] for line in lines if "page" in line]
    assert [p["only_with_page"] for p in pages] == [["Лавров"], []]
    assert pages[0]["feed_chars"] == 0 and pages[0]["full_chars"] > 900
    assert any(line.get("query") == "Лавров" for line in lines)
