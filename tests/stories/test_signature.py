"""What an item says, as the grouper sees it: content words only."""

from __future__ import annotations

from bot.matching import Analyzer
from bot.stories import signature


def test_a_capitalised_one_letter_preposition_opening_a_sentence_is_not_content(
    analyzer: Analyzer,
) -> None:
    # «В Томске…», «С начала года…»: half of all news sentences open like this, and two items
    # must not look alike for it.
    sig = signature(analyzer, "В Томске эвакуировали торговый центр", "С утра идет дождь.")
    keys = sig.keys
    assert "в" not in keys and "с" not in keys
    assert "томск" in keys


def test_numbers_stay_content_however_short(analyzer: Analyzer) -> None:
    sig = signature(analyzer, "Курс опустился на 5 рублей", "")
    assert "=5" in sig.keys


def test_an_abbreviated_number_word_is_the_word(analyzer: Analyzer) -> None:
    # «250 тыс. грн» and «250 тысяч» are one sum, as outlets write it either way.
    short = signature(analyzer, "Чиновника поймали на взятке в 250 тыс. грн", "")
    full = signature(analyzer, "Чиновника задержали со взяткой в 250 тысяч", "")
    assert "тысяча" in short.keys & full.keys
    assert "миллиард" in signature(analyzer, "Бюджет сократят на 3 млрд", "").keys


def test_a_place_adjective_is_read_as_its_place(analyzer: Analyzer) -> None:
    assert "харьков" in signature(analyzer, "Задержаны харьковские чиновники", "").keys
    assert "брянск" in signature(analyzer, "Пожар в брянском селе", "").keys
    assert "донецк" in signature(analyzer, "Обстрел донецкой окраины", "").keys


def test_a_surname_shaped_like_a_place_adjective_is_not_that_place(analyzer: Analyzer) -> None:
    # Жуковский is a person, not a man from Жуков: a name keeps only its own keys.
    sig = signature(analyzer, "Жуковский дал интервью", "")
    assert "жуков" not in sig.keys
    assert not {k for k in sig.keys if k.startswith("sur:") and not k.endswith("ий")}


def test_a_headline_reporting_a_response_marks_a_reaction(analyzer: Analyzer) -> None:
    for title in (
        "Захарова пословицей ответила на слова Зеленского",
        "В Госдуме отреагировали на задержание журналиста",
        "Кафельников оценил шансы Медведева в финале",
    ):
        assert signature(analyzer, title, "").reaction, title


def test_a_headline_reporting_what_followed_a_happening_marks_a_sequel(analyzer: Analyzer) -> None:
    for title in (
        "СК возбудил дело после пожара на складе в Подольске",
        "По факту пожара возбуждено уголовное дело",
        "Транспортная прокуратура проверит обстоятельства экстренной посадки",
        "Маркетплейс пообещал компенсировать продавцам сгоревшие товары",
        "В области объявили траур по погибшим",
    ):
        assert signature(analyzer, title, "").reaction, title
    # The happening itself, however its reports word it, is not a sequel.
    for title in ("Склад загорелся в Подольске", "Мэра Ярославля задержали по подозрению"):
        assert not signature(analyzer, title, "").reaction, title


def test_a_sentence_a_statement_or_a_reaction_only_in_the_lead_is_no_reaction(
    analyzer: Analyzer,
) -> None:
    # A court's «осуждена» reports the sentence itself; the headline decides, not the lead.
    assert not signature(analyzer, "В Воркуте осуждена виновница пожара", "").reaction
    assert not signature(analyzer, "Зеленский заявил о «наглой» внешней политике", "").reaction
    lead = "Песков прокомментировал визит."
    assert not signature(analyzer, "Путин посетит Китай в мае", lead).reaction
