"""Datelines are dropped from the start of an article, and nothing that reads as a sentence is."""

from __future__ import annotations

import pytest

from bot.alerts.dateline import dateline_end, strip_dateline

STRIPPED = [
    # (text, what the article proper starts with)
    ("Москва. 2 февраля. INTERFAX.RU - В МИД РФ заявили", "В МИД РФ заявили"),
    ("МОСКВА, 2 фев — РИА Новости. Президент России", "Президент России"),
    ("МОСКВА, 2 фев — РИА Новости, Мария Иванова. Текст статьи", "Текст статьи"),
    ("Вашингтон, 3 декабря. /ТАСС/. Госдеп США", "Госдеп США"),
    ("МОСКВА, 2 февраля 2026 г. /Корр. ТАСС/. Текст", "Текст"),
    ("ЛОНДОН, 2 декабря – Reuters - Нефть дорожает", "Нефть дорожает"),
    ("ЛОНДОН, 2 декабря – Reuters. Нефть дорожает", "Нефть дорожает"),
    ("ЛОНДОН, 2 декабря – Reuters Нефть дорожает", "Нефть дорожает"),
    ("Санкт-Петербург. 2 февраля. INTERFAX.RU - Текст", "Текст"),
    ("Нижний Новгород. 12 ФЕВРАЛЯ. INTERFAX - Текст", "Текст"),
    ("Ростов-на-Дону, 5 мая — ИА Регнум. Текст", "Текст"),
    ("Москва. 2 февраля. ИА «Регнум». Текст", "Текст"),
    ("Киев. 3 декабря. INTERFAX-UKRAINE - Текст", "Текст"),
    ("2 февраля. INTERFAX.RU - Текст без города", "Текст без города"),
    ("Москва. 2 февраля.\n\nINTERFAX.RU\n\nТекст с новой строки", "Текст с новой строки"),
    ("LONDON, Dec 2 (Reuters) - Oil prices rose", "Oil prices rose"),
    ("WASHINGTON (AP) — The Senate voted", "The Senate voted"),
]

KEPT = [
    "Москва, 2 февраля стала местом встречи министров.",  # no agency: a real sentence
    "Москва, 2 февраля. МИД России заявил, что диалог идёт.",  # «МИД» is not followed by a dash
    "Москва, 2 февраля. ТАСС сообщает, что переговоры продолжатся.",
    "В Москве 2 февраля прошла встреча. ТАСС.",
    "ТАСС сообщает, что переговоры продолжатся.",
    "Москва. 2 февраля. INTERFAX.RU -",  # the dateline is all there is
    "Сергей Лавров провёл переговоры 2 февраля.",
    "",
    "   ",
]


@pytest.mark.parametrize(("text", "rest"), STRIPPED)
def test_dateline_is_dropped(text: str, rest: str) -> None:
    assert strip_dateline(text) == rest


@pytest.mark.parametrize("text", KEPT)
def test_real_sentences_are_kept(text: str) -> None:
    assert dateline_end(text) == 0
    assert strip_dateline(text) == text


def test_only_the_very_start_is_looked_at() -> None:
    text = "Первое предложение. Москва. 2 февраля. INTERFAX.RU - второе."
    assert strip_dateline(text) == text
