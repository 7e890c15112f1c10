"""Typed time zones and plain-text questions, read without Telegram: tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import texts
from bot.matching import Analyzer
from bot.question import content_query, is_question
from bot.timezones import city_names, offset_label, parse_zone, zone_label
from bot.views.parts import local_time

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Moscow", "Europe/Moscow"),
        ("  europe/LONDON ", "Europe/London"),
        ("America/New York", "America/New_York"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("Almaty", "Asia/Almaty"),
        ("Москва", "Europe/Moscow"),
        ("владивосток", "Asia/Vladivostok"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("UTC+0", "UTC"),
        ("UTC+3", "Etc/GMT-3"),
        ("UTC +03:00", "Etc/GMT-3"),
        ("+5", "Etc/GMT-5"),
        ("UTC\u22124", "Etc/GMT+4"),
        ("GMT-12", "Etc/GMT+12"),
        ("UTC+14", "Etc/GMT-14"),
        ("", None),
        ("Mars/Olympus", None),
        ("UTC+5:30", None),  # no zone is only that offset: the user is asked for a city
        ("UTC+15", None),
        ("UTC-13", None),
        ("Factory", None),
        ("../../etc/passwd", None),
        ("Europe", None),
    ],
)
def test_typed_time_zones(typed: str, zone: str | None) -> None:
    assert parse_zone(typed, city_names(texts("ru"))) == zone


@pytest.mark.parametrize(
    ("zone", "moment", "ru", "en"),
    [
        ("Europe/Moscow", WINTER, "Москва (UTC+3)", "Moscow (UTC+3)"),
        ("Europe/London", WINTER, "Лондон (UTC+0)", "London (UTC+0)"),
        ("Europe/London", SUMMER, "Лондон (UTC+1)", "London (UTC+1)"),
        ("Europe/Berlin", SUMMER, "Берлин (UTC+2)", "Berlin (UTC+2)"),
        ("Asia/Kolkata", WINTER, "Asia/Kolkata (UTC+5:30)", "Asia/Kolkata (UTC+5:30)"),
        (
            "America/New_York",
            WINTER,
            "America/New_York (UTC\u22125)",
            "America/New_York (UTC\u22125)",
        ),
        ("Etc/GMT-5", WINTER, "UTC+5", "UTC+5"),
        ("UTC", WINTER, "UTC+0", "UTC+0"),
    ],
)
def test_zone_labels_show_city_and_offset_for_the_moment(
    zone: str, moment: datetime, ru: str, en: str
) -> None:
    assert zone_label(zone, moment, texts("ru")) == ru
    assert zone_label(zone, moment, texts("en")) == en


def test_an_unknown_stored_zone_is_shown_as_utc() -> None:
    assert offset_label("No/Such", WINTER) == "UTC+0"


@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("Что нового по Лаврову?", True, "Лавров"),
        ("Что у Токаева?", True, "Токаев"),
        ("Расскажи, что известно о Захаровой", True, "Захарова"),
        ("Покажи новости про Набиуллину", True, "Набиуллина"),
        ("Что известно о Мантурове сегодня?", True, "Мантуров"),
        ("Какие новости о Трутневе?", True, "Трутнев"),
        ("Что с Песковым?", True, "Песков"),
        ("Что нового по Шойгу?", True, "Шойгу"),
        ("Какие новости о встрече Путина и Трампа?", True, "встреча Путин Трамп"),
        ("Есть ли что-нибудь про Северный поток-2?", True, "Северный поток-2"),
        ("Что с нефтью?", True, "нефть"),
        ("что там с биткоином", True, "биткоин"),
        ("что слышно про МИД и G20", True, "МИД G20"),
        ("Что известно о переговорах России и США?", True, "переговоры Россия США"),
        ("What's new about Trump?", True, "Trump"),
        ("Лавров?", True, "Лавров"),
        ("Что нового?", True, ""),
        ("Как дела?", True, ""),
        ("Шойгу", False, "Шойгу"),
        ("Лавров Рубио", False, "Лавров Рубио"),
    ],
)
def test_questions_and_their_content_words(
    analyzer: Analyzer, text: str, question: bool, topic: str
) -> None:
    assert is_question(text, analyzer) is question
    assert content_query(text, analyzer) == topic


@pytest.mark.parametrize(
    ("moment", "zone", "shown"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), "Europe/London", "01.01 00:00"),
        (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "Asia/Kamchatka", "31.12 23:59"),
        (datetime(2026, 2, 2, 10, 41, tzinfo=UTC), "Europe/Moscow", "02.02 13:41"),
    ],
)
def test_a_time_at_the_edge_of_the_calendar_is_shown_not_raised(
    moment: datetime, zone: str, shown: str
) -> None:
    assert local_time(moment, zone) == shown
