"""Which feeds' items get their pages, which links may be fetched, how the texts join."""

from __future__ import annotations

import pytest

from bot.fulltext import combine, page_link, wants_pages
from storage import FullTextMode

AUTO, ALWAYS, NEVER = FullTextMode.AUTO, FullTextMode.ALWAYS, FullTextMode.NEVER
RIA = [""] * 20  # a title and nothing else
TASS = ["Глава МИД России заявил о готовности к диалогу с Вашингтоном. " * 2] * 20
INTERFAX = ["Полный текст новости. " * 120] * 20  # 2,640 characters
FEED = "https://agency.example/rss"


@pytest.mark.parametrize(
    ("mode", "texts", "wanted"),
    [
        (AUTO, RIA, True),
        (AUTO, TASS, True),
        (AUTO, INTERFAX, False),
        (AUTO, [*INTERFAX[:19], ""], False),  # a full-text feed's one-line flash: no page
        (AUTO, [*TASS[:19], INTERFAX[0]], True),  # a lead feed's one long lead: still pages
        (AUTO, [], True),
        (ALWAYS, INTERFAX, True),
        (NEVER, RIA, False),
    ],
)
def test_the_mode_and_the_feeds_median_text_decide(
    mode: FullTextMode, texts: list[str], wanted: bool
) -> None:
    assert wants_pages(mode, FEED, texts, 1_200) is wanted


@pytest.mark.parametrize("mode", list(FullTextMode))
def test_a_telegram_channel_is_never_completed(mode: FullTextMode) -> None:
    assert not wants_pages(mode, "https://t.me/s/tass_agency", RIA, 1_200)


@pytest.mark.parametrize(
    ("link", "allowed"),
    [
        ("https://ria.ru/20260202/lavrov-1.html", True),
        ("http://127.0.0.1:8080/news/1", True),  # the fetcher's guard decides, per feed
        ("https://t.me/tass_agency/12345", False),
        ("https://T.ME/tass_agency/12345", False),
        ("https://telegram.me/tass_agency/1", False),
        ("ftp://ria.ru/a", False),
        ("javascript:alert(1)", False),
        (None, False),
    ],
)
def test_only_http_links_off_telegram_are_fetched(link: str | None, allowed: bool) -> None:
    assert (page_link(link) is not None) is allowed


def test_a_page_that_starts_with_the_feeds_lead_replaces_it() -> None:
    lead = "Вице-премьеры провели переговоры."
    assert combine(lead, f"{lead}\nВторой абзац.") == f"{lead}\nВторой абзац."


def test_a_page_without_the_feeds_lead_comes_after_it() -> None:
    assert combine("Лид агентства.", "Текст статьи.") == "Лид агентства.\nТекст статьи."


def test_an_empty_page_keeps_the_feeds_text() -> None:
    assert combine("Лид агентства.", "  ") == "Лид агентства."
