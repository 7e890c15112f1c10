"""What the extractor keeps of a news page: the article, not its surroundings."""

from __future__ import annotations

import pytest

from bot.fulltext import ExtractPool
from bot.fulltext.extract import extract_text
from tests.fulltext.conftest import page

FIFTH = "Сергея Лаврова перед его визитом в Астану"


def text_of(name: str, max_chars: int = 20_000) -> str:
    return extract_text(
        page(name), url="https://x.example/a", content_type=None, max_chars=max_chars
    )


def test_the_article_is_kept_paragraph_by_paragraph() -> None:
    text = text_of("lavrov-fifth.html")
    lines = text.split("\n")
    assert len(lines) == 6 and FIFTH in lines[4]
    assert lines[0].startswith("Вице-премьеры России и Казахстана")


@pytest.mark.parametrize(
    "outside",
    [
        "Мы используем файлы cookie",  # the cookie banner
        "Политика",  # the menu
        "Читайте также",  # the related links' heading
        "Песков прокомментировал",  # and their titles
        "Давно пора навести порядок",  # a comment
        "Все права защищены",  # the footer
        "Ирина Соколова",  # the byline
    ],
)
def test_what_surrounds_the_article_is_left_out(outside: str) -> None:
    assert outside not in text_of("lavrov-fifth.html")


def test_a_name_only_in_related_links_and_comments_is_not_in_the_text() -> None:
    assert "Лавров" not in text_of("lavrov-aside.html")


def test_the_same_page_read_twice_keeps_its_text() -> None:
    assert text_of("lavrov-fifth.html") == text_of("lavrov-fifth.html")


def test_the_text_is_cut_at_a_word_to_the_cap() -> None:
    text = text_of("lavrov-fifth.html", max_chars=300)
    assert len(text) <= 300 and text.endswith("…") and not text[-2].isspace()


@pytest.mark.parametrize(
    "body", [b"", b"\x00\xff\xfe garbage", b"<html><body></body></html>", b"%PDF-1.4 \x00"]
)
def test_a_page_without_an_article_gives_no_text(body: bytes) -> None:
    assert extract_text(body, url="https://x.example/a", content_type=None, max_chars=100) == ""


async def test_extraction_runs_in_a_worker_process() -> None:
    pool = ExtractPool(1, max_chars=20_000)
    try:
        text = await pool.extract(
            page("lavrov-fifth.html"), url="https://x.example/a", content_type=None
        )
    finally:
        pool.close()
    assert pool.processes and FIFTH in text
