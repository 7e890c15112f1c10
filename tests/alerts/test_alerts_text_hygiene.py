"""One-line cleaning for labels and lists, and measuring HTML as Telegram counts it."""

from __future__ import annotations

import pytest

from bot.alerts.html import clean_line, html_size


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Лав\x01ров", "Лавров"),
        ("\u202eЛавров", "Лавров"),  # right-to-left override
        ("a\u202ab\u202bc\u202cd\u202de", "abcde"),  # embeddings and pop
        ("a\u2066b\u2067c\u2068d\u2069e", "abcde"),  # isolates
        ("a\u200eb\u200fc\u061cd", "abcd"),  # direction marks
        ("Пес\u200bков\u200c\u200d\u2060\ufeff", "Песков"),  # zero-width
        ("пере\u00adговоры", "переговоры"),  # soft hyphen
        ("строка\nвторая\r\n\tтретья", "строка вторая третья"),
        ("  много   пробелов  ", "много пробелов"),
        ("\x00\x1f\x7f\x85\x9f", ""),
        ("одинокий \ud800 суррогат", "одинокий суррогат"),
        ("𝐀 эмодзи 👍 и «кавычки»", "𝐀 эмодзи 👍 и «кавычки»"),  # visible text is kept
    ],
)
def test_clean_line_removes_what_cannot_be_seen(text: str, clean: str) -> None:
    assert clean_line(text) == clean
    clean_line(text).encode("utf-8")  # always encodable for the request


@pytest.mark.parametrize(
    ("markup", "units", "entities"),
    [
        ("просто текст", 12, 0),
        ("<b>𝐀𝐁</b> &amp; &lt;", 8, 1),
        ('<a href="https://x.ru/?a=1&amp;b=2">ссылка</a>', 6, 1),
        ("<b>1</b> <i>2</i> <code>3</code>", 5, 3),
        ("Все подписки — /list, поиск — /recent@bot_name запрос", 53, 2),
        ("путь a/b и дробь 1/2 не команды", 31, 0),
        ("👍", 2, 0),
    ],
)
def test_html_size_counts_visible_utf16_units_and_entities(
    markup: str, units: int, entities: int
) -> None:
    assert html_size(markup) == (units, entities)
