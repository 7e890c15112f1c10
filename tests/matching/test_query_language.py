"""Every row and rule of the query language (issue 3), as (query, text, highlighted words).

`expected` lists the substrings of the text the alert would highlight; None means the
subscription must not fire at all.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.matching import MatchResult

Check = Callable[[str, str], MatchResult | None]
INTERFAX = (
    "В МИД РФ отметили, что российская сторона полагает важным перейти к по-настоящему "
    "значимым вопросам, включая возобновление прямого авиасообщения. Об этом говорится в "
    "ответах на вопросы СМИ к пресс-конференции министра иностранных дел России Сергея Лаврова."
)

# fmt: off
ROWS: list[tuple[str, str, str, list[str] | None]] = [
    # -- one word: any form -------------------------------------------------------------------
    ("word, genitive", "Лавров", "встреча Сергея Лаврова", ["Лаврова"]),
    ("word, dative", "Лавров", "письмо Лаврову", ["Лаврову"]),
    ("word, instrumental", "Лавров", "с Лавровым", ["Лавровым"]),
    ("word, capitals", "Лавров", "ЛАВРОВ ЗАЯВИЛ", ["ЛАВРОВ"]),
    ("common noun", "авиасообщение", "нет авиасообщений", ["авиасообщений"]),
    ("common noun, instrumental", "авиасообщение", "с авиасообщением", ["авиасообщением"]),
    ("plural query", "санкции", "новым санкциям", ["санкциям"]),
    ("lower-case query", "лавров", "Сергей Лавров", ["Лавров"]),
    # -- all words ---------------------------------------------------------------------------
    ("all words, any order", "Лавров Рубио", "Рубио позвонил Лаврову", ["Рубио", "Лаврову"]),
    ("all words, one missing", "Лавров Рубио", "Лавров позвонил", None),
    # -- phrases -----------------------------------------------------------------------------
    ("phrase, inflected", '"прямое авиасообщение"', "о прямом авиасообщении", [
        "прямом авиасообщении"]),
    ("phrase, wrong order", '"прямое авиасообщение"', "авиасообщение прямое", None),
    ("phrase, not adjacent", '"прямое авиасообщение"', "прямое и авиасообщение", None),
    ("phrase, across a sentence", '"прямое авиасообщение"', "Это прямое. Авиасообщение", None),
    ("phrase, across title/body", '"прямое авиасообщение"', "Прямое\n\nавиасообщение", None),
    # -- OR ----------------------------------------------------------------------------------
    ("OR, left", "Лавров OR Песков", "сказал Лавров", ["Лавров"]),
    ("OR, right", "Лавров OR Песков", "сказал Песков", ["Песков"]),
    ("OR, both highlighted", "Лавров | Песков", "Песков и Лавров", ["Песков", "Лавров"]),
    ("OR, neither", "Лавров | Песков", "сказал Шойгу", None),
    ("OR sides with several words", "Кремль OR Белый дом", "в Белом доме", ["Белом", "доме"]),
    ("lower-case or is a word", "Лавров or Песков", "Лавров и Песков", None),
    # -- exclusions --------------------------------------------------------------------------
    ("exclusion absent", "Лавров -Захарова", "сказал Лавров", ["Лавров"]),
    ("exclusion in any form", "Лавров -Захарова", "Лавров и Марии Захаровой", None),
    ("excluded phrase present", 'авиасообщение -"прямое авиасообщение"', "прямого авиасообщения",
     None),
    ("excluded phrase absent", 'авиасообщение -"прямое авиасообщение"',
     "прямое сообщение и авиасообщение", ["авиасообщение"]),
    # -- prefixes ----------------------------------------------------------------------------
    ("prefix", "санкц*", "санкционный список", ["санкционный"]),
    ("prefix is a surface prefix", "санкц*", "антисанкционный", None),
    ("prefix excluded", "нефть -санкц*", "нефть и санкции", None),
    # -- case, ё, Unicode, entities ----------------------------------------------------------
    ("ё in query", "ёж", "ежи", ["ежи"]),
    ("ё in text", "еж", "ёжик и ёж", ["ёж"]),
    ("ё in name", "Пётр", "с Петром", ["Петром"]),
    ("soft hyphen", "авиасообщение", "авиа\u00adсообщения", ["авиа\u00adсообщения"]),
    ("zero-width space", "Лавров", "Лав\u200bрова", ["Лав\u200bрова"]),
    ("NFKC: fullwidth Latin", "Apple", "\uff21pple", ["\uff21pple"]),
    ("combining accent", "замок", "за\u0301мок", ["за\u0301мок"]),
    ("html entity around", "Лавров", "&laquo;Лаврова&raquo;", ["Лаврова"]),
    # "AT&T" is two words, so it is a phrase; the entity is decoded, the span covers it.
    ("html entity inside a phrase", "AT&T", "AT&amp;T", ["AT&amp;T"]),
    ("numeric entity", "Лавров", "&#1051;аврова", ["&#1051;аврова"]),
    # -- own forms, not derived words --------------------------------------------------------
    ("country vs adjective", "Украина", "украинский кризис", None),
    ("noun vs adjective", "нефть", "нефтяной рынок", None),
    ("plural noun vs adjective", "санкции", "санкционный режим", None),
    ("рак is not Ирак", "рак", "война в Ираке", None),
    ("кит is not Китай", "кит", "визит в Китай", None),
    ("Китай itself", "Китай", "визит в Китай", ["Китай"]),
    # -- abbreviations -----------------------------------------------------------------------
    ("abbreviation", "МИД", "В МИД РФ заявили", ["МИД"]),
    ("abbreviation, case ending", "МИД", "в МИДе", ["МИДе"]),
    ("abbreviation, genitive ending", "МИД", "глава МИДа", ["МИДа"]),
    ("abbreviation, plural-only", "США", "из США", ["США"]),
    ("two letters", "ИИ", "развитие ИИ", ["ИИ"]),
    ("ЦБ", "ЦБ", "решение ЦБ", ["ЦБ"]),
    ("НАТО", "НАТО", "саммит НАТО", ["НАТО"]),
    ("abbreviation is not a prefix", "ЕС", "Если бы", None),
    ("abbreviation is not inside", "ЕС", "ЕСПЧ решил", None),
    ("all-caps word is not an abbreviation", "ПУТИН", "заявил Путина", ["Путина"]),
    ("Latin abbreviation", "NATO", "NATO's chief", ["NATO's"]),
    # -- digits and + ------------------------------------------------------------------------
    ("digits and letters", "G20", "саммит G20", ["G20"]),
    ("no partial digits", "G2", "саммит G20", None),
    ("plus", "ОПЕК+", "страны ОПЕК+", ["ОПЕК+"]),
    ("plus is part of the token", "ОПЕК+", "страны ОПЕК", None),
    ("digits with hyphen", "COVID-19", "пандемия COVID-19", ["COVID-19"]),
    ("5G", "5G", "сети 5G", ["5G"]),
    ("year", "2025", "в 2025 году", ["2025"]),
    ("year with case ending", "2025", "в 2025-м году", ["2025-м"]),
    ("number is whole", "2025", "число 20250", None),
    # -- hyphenated words --------------------------------------------------------------------
    ("hyphenated city", "Санкт-Петербург", "в Санкт-Петербурге", ["Санкт-Петербурге"]),
    ("hyphenated city, three parts", "Ростов-на-Дону", "из Ростова-на-Дону", ["Ростова-на-Дону"]),
    ("hyphenated indeclinable", "Улан-Удэ", "в Улан-Удэ", ["Улан-Удэ"]),
    ("hyphenated adjective", "российско-американский", "российско-американского диалога",
     ["российско-американского"]),
    # -- a word with a number on its end: its words in any form, plus the number --------------
    ("phrase finds the numbered form", '"Северный поток"', "взрывы на Северном потоке-2",
     ["Северном потоке-2"]),
    ("numbered query, genitive", "Северный поток-2", "авария Северного потока-2",
     ["Северного", "потока-2"]),
    ("numbered query, dative", "Северный поток-2", "по Северному потоку-2", [
        "Северному", "потоку-2"]),
    ("numbered phrase, dative", '"Северный поток-2"', "по Северному потоку-2",
     ["Северному потоку-2"]),
    ("words alone find the numbered form", "Северный поток", "по Северному потоку-2",
     ["Северному", "потоку-2"]),
    ("numbered query, another number", "Северный поток-2", "по Северному потоку-1", None),
    ("numbered query, no number", "Северный поток-2", "по Северному потоку", None),
    ("numbered name", "Союз-2", "запуск ракеты «Союза-2»", ["Союза-2"]),
    ("numbered name, instrumental", "Союз-2", "с «Союзом-2»", ["Союзом-2"]),
    ("Roman numeral", "Спутник-V", "вакцина «Спутник-V»", ["Спутник-V"]),
    ("Roman numeral, genitive", "Спутник-V", "поставки «Спутника-V»", ["Спутника-V"]),
    ("aircraft type", "Ту-154", "самолёт Ту-154", ["Ту-154"]),
    ("aircraft type, another number", "Ту-154", "самолёт Ту-134", None),
    ("word finds its numbered form", "COVID", "пандемия COVID-19", ["COVID-19"]),
    ("number still finds its hyphenated form", "19", "пандемия COVID-19", ["COVID-19"]),
    ("digits and hyphen, lower case", "COVID-19", "covid-19 отступает", ["covid-19"]),
    ("digits and hyphen, another number", "COVID-19", "COVID-2019", None),
    # -- capitalised query words prefer names ------------------------------------------------
    ("surname, not laurels", "Лавров", "почивать на лаврах", None),
    ("surname, not sand", "Песков", "много песка", None),
    ("surname, not sand genitive plural", "Песков", "нет песков", None),
    ("surname itself", "Песков", "Дмитрий Песков", ["Песков"]),
    ("surname, female", "Захарова", "слова Марии Захаровой", ["Захаровой"]),
    ("surname unknown to the dictionary", "Мантуров", "визит Мантурова", ["Мантурова"]),
    ("surname the dictionary misreads", "Токаев", "встреча с Токаевым", ["Токаевым"]),
    ("surname, not a lowercase word", "Новак", "гайд для новаков", None),
    ("first name, any form", "Лев", "романы Льва Толстого", ["Льва"]),
    ("first name, not the lion", "Лев", "клетка льва", None),
    ("first name, not the flower", "Роза", "букет розы", None),
    # -- English -----------------------------------------------------------------------------
    ("English plural", "sanction", "new sanctions", ["sanctions"]),
    ("English past", "sanction", "sanctioned banks", ["sanctioned"]),
    ("English possessive", "Trump", "Trump's plan", ["Trump's"]),
    ("English, not a longer word", "Trump", "a trumpet", None),
    ("English, case-insensitive", "apple", "APPLE shares", ["APPLE"]),
    # -- words the dictionary does not know --------------------------------------------------
    ("unknown noun, genitive plural", "биткоин", "курс биткоинов", ["биткоинов"]),
    ("unknown noun, instrumental plural", "биткоин", "с биткоинами", ["биткоинами"]),
    ("unknown name", "Уиткофф", "встреча с Уиткоффом", ["Уиткоффом"]),
    ("unknown name, dative", "Уиткофф", "Уиткоффу передали", ["Уиткоффу"]),
    ("unknown name homonymous with a word", "Маск", "у Илона Маска", ["Маска"]),
    ("unknown name, instrumental", "Маск", "с Маском", ["Маском"]),
    ("unknown name vs the common word", "Маск", "надел маску", None),
    ("unknown company", "Росатом", "глава Росатома", ["Росатома"]),
    ("unknown female surname", "Набиуллина", "с Набиуллиной", ["Набиуллиной"]),
    # -- the Interfax reference case ---------------------------------------------------------
    ("Interfax: surname", "Лавров", INTERFAX, ["Лаврова"]),
    ("Interfax: noun", "авиасообщение", INTERFAX, ["авиасообщения"]),
    ("Interfax: phrase", '"прямое авиасообщение"', INTERFAX, ["прямого авиасообщения"]),
    ("Interfax: abbreviation", "МИД", INTERFAX, ["МИД"]),
    ("Interfax: hyphenated", "по-настоящему", INTERFAX, ["по-настоящему"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [pytest.param(q, t, e, id=name) for name, q, t, e in ROWS],
)
def test_query_language(check: Check, query: str, text: str, expected: list[str] | None) -> None:
    result = check(query, text)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert [text[start:end] for start, end in result.spans] == expected


def test_token_indexes_point_at_matched_words(check: Check) -> None:
    result = check('"прямое авиасообщение" Лавров', INTERFAX)
    assert result is not None
    words = INTERFAX.split()
    assert len(result.token_indexes) == 3
    assert [INTERFAX[s:e] for s, e in result.spans] == ["прямого авиасообщения", "Лаврова"]
    assert words[-1].rstrip(".") == "Лаврова"


def test_every_occurrence_is_highlighted(check: Check) -> None:
    text = "Лавров встретился с Рубио. Позже Лаврову позвонили."
    result = check("Лавров", text)
    assert result is not None
    assert [text[s:e] for s, e in result.spans] == ["Лавров", "Лаврову"]
    assert result.token_indexes == (0, 5)
