"""Subscriptions as a text list: what is written reads back the same, paused ones included."""

from __future__ import annotations

import codecs

from bot.sublist import MAX_LINES, ListLine, decode_list, read_list, write_list


def test_a_written_list_reads_back_with_paused_ones_marked() -> None:
    queries = [("Лавров", False), ('"прямое авиасообщение"', True), ("санкц* -США", False)]
    text = write_list(queries, header=["Подписки чата\nвторая строка"])
    assert text.splitlines()[:2] == ["# Подписки чата", "# вторая строка"]
    assert [(line.query, line.paused) for line in read_list(text)] == queries


def test_blank_lines_comments_and_spacing_are_skipped_and_lines_keep_their_numbers() -> None:
    text = "\ufeff# header\n\n  Лавров  \n#Песков\n⏸\ufe0f Захарова\n⏸\n"
    assert read_list(text) == [ListLine(3, "Лавров"), ListLine(5, "Захарова", paused=True)]


def test_a_list_is_read_up_to_its_cap() -> None:
    assert len(read_list("\n".join(f"q{i}" for i in range(MAX_LINES + 10)))) == MAX_LINES


def test_uploaded_lists_must_be_utf8_or_utf16_with_a_bom() -> None:
    assert decode_list("Лавров\n".encode()) == "Лавров\n"
    assert decode_list(codecs.BOM_UTF8 + "Лавров".encode()) == "Лавров"
    assert decode_list("Лавров".encode("utf-16")) == "Лавров"
    assert decode_list("Лавров".encode("cp1251")) is None
    assert decode_list(b"\x00\x01binary") is None
