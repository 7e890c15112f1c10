"""The rule on small made-up streams: same story = the same concrete happening or statement.

Each case runs a short stream with unrelated background news first (a real window always holds
some, and rarity is measured against it) and names which items must share a story.
"""

from __future__ import annotations

import pytest

from bot.matching import Analyzer
from bot.stories import NewsItem, StoryGrouper
from tests.stories.conftest import MakeItem

BACKGROUND = [
    ("Курс доллара на бирже опустился ниже 90 рублей", "Торги на Московской бирже."),
    ("В Новосибирске открыли новую станцию метро", "Станция «Спортивная» приняла пассажиров."),
    ("Синоптики пообещали москвичам снег в выходные", "Похолодание придет в субботу."),
    ("Сборная России по хоккею обыграла Белоруссию", "Матч завершился со счетом 4:1."),
    ("Банк России сохранил ключевую ставку", "Совет директоров принял решение в пятницу."),
    ("В Приморье ограничили движение из-за тайфуна", "Закрыты трассы на юге края."),
    ("Минздрав заявил о росте заболеваемости гриппом", "Рост отмечен в 30 регионах."),
    ("В Петербурге начали ремонт Дворцового моста", "Работы продлятся до весны."),
    ("Apple представила новый iPhone", "Презентация прошла в Купертино."),
    ("Умер известный художник Илья Кабаков", "Ему было 89 лет."),
    ("В Казани прошел фестиваль татарской кухни", "Гостей угощали чак-чаком."),
    ("Цены на бензин выросли за неделю на 0,3%", "Данные опубликовал Росстат."),
]


def stream(grouper: StoryGrouper, make: MakeItem, items: list[NewsItem]) -> dict[str, str]:
    for n, (title, text) in enumerate(BACKGROUND):
        grouper.add(make(f"bg{n}", -60 + n, title, text, outlet="Фон"))
    return {it.id: grouper.add(it) for it in items}


SAME = [
    pytest.param(
        [
            (
                "Лавров: Россия готова к переговорам с США по стратегической стабильности",
                "Министр иностранных дел России Сергей Лавров заявил, что Москва готова "
                "к переговорам с Вашингтоном по стратегической стабильности.",
                "ТАСС",
            ),
            (
                "Москва готова обсуждать с Вашингтоном стратегическую стабильность — Лавров",
                "Россия готова к переговорам с США о стратегической стабильности, заявил "
                "глава МИД РФ Сергей Лавров.",
                "РИА Новости",
            ),
        ],
        id="one statement reported by two outlets in their own words",
    ),
    pytest.param(
        [
            (
                "Арбитражный суд Челябинской области признал банкротом завод «Уралтрак»",
                "Арбитражный суд признал челябинский завод «Уралтрак» банкротом и ввел "
                "конкурсное производство.",
                "Интерфакс",
            ),
            (
                "Завод «Уралтрак» объявлен банкротом: в отношении предприятия введено "
                "конкурсное производство",
                "Суд ввел конкурсное производство на челябинском заводе «Уралтрак», "
                "сообщила пресс-служба предприятия.",
                "Коммерсантъ",
            ),
        ],
        id="the court's and the company's account of one ruling",
    ),
    pytest.param(
        [
            (
                "В Томске эвакуировали торговый центр «Изумрудный город» из-за пожара",
                "Из торгового центра «Изумрудный город» в Томске эвакуировали 300 человек.",
                "Томский обзор",
            ),
            (
                "300 человек эвакуированы из горящего ТЦ «Изумрудный город» в Томске",
                "Из торгового центра «Изумрудный город» в Томске эвакуировали 300 человек "
                "из-за пожара.",
                "Томский обзор",
            ),
        ],
        id="one outlet re-publishing under a new headline",
    ),
    pytest.param(
        [
            (
                "В Балашихе при взрыве газа в жилом доме погибли два человека",
                "Взрыв бытового газа произошел в квартире на пятом этаже жилого дома на улице "
                "Свердлова в Балашихе, погибли два человека.",
                "ТАСС",
            ),
            (
                "Два человека погибли при взрыве газа в доме в Балашихе",
                "Газ взорвался в квартире жилого дома на улице Свердлова, сообщили в МЧС.",
                "РИА Новости",
            ),
        ],
        id="a casualty report reprinted minutes later",
    ),
]


@pytest.mark.parametrize("reports", SAME)
def test_reports_of_one_happening_form_one_story(
    grouper: StoryGrouper, item: MakeItem, reports: list[tuple[str, str, str]]
) -> None:
    items = [item(f"r{n}", 5 * n, t, x, outlet=o) for n, (t, x, o) in enumerate(reports)]
    stories = stream(grouper, item, items)
    assert len({stories[it.id] for it in items}) == 1, stories


DIFFERENT = [
    pytest.param(
        (
            "Суд ликвидировал правозащитный центр «Мемориал»",
            "Верховный суд удовлетворил иск Генпрокуратуры о ликвидации «Мемориала».",
        ),
        (
            "В СПЧ предложили помощь сотрудникам ликвидированного «Мемориала»",
            "Совет по правам человека готов помочь бывшим сотрудникам организации, "
            "заявил член совета.",
        ),
        id="a council's offer of help after a liquidation",
    ),
    pytest.param(
        (
            "Минфин США ввел санкции против трех российских банков",
            "Министерство финансов США внесло в санкционный список три банка.",
        ),
        (
            "В Кремле назвали санкции Минфина США враждебным шагом",
            "Песков заявил журналистам, что Москва ответит на враждебные действия.",
        ),
        id="criticism of a measure",
    ),
]


@pytest.mark.parametrize(("event", "reaction"), DIFFERENT)
def test_a_reaction_to_a_happening_is_a_story_of_its_own(
    grouper: StoryGrouper,
    item: MakeItem,
    event: tuple[str, str],
    reaction: tuple[str, str],
) -> None:
    first = item("event", 0, *event, outlet="Интерфакс")
    second = item("reaction", 30, *reaction, outlet="РБК")
    stories = stream(grouper, item, [first, second])
    assert stories["event"] != stories["reaction"]


def test_two_facts_from_one_briefing_are_two_stories(
    grouper: StoryGrouper, item: MakeItem
) -> None:
    a = item(
        "a",
        0,
        "Захарова: Россия вышлет двух дипломатов Эстонии",
        "Официальный представитель МИД Мария Захарова сообщила на брифинге о высылке.",
    )
    b = item(
        "b",
        2,
        "Захарова прокомментировала учения НАТО в Норвегии",
        "На брифинге Мария Захарова назвала учения альянса провокацией.",
    )
    stories = stream(grouper, item, [a, b])
    assert stories["a"] != stories["b"]


def test_a_similar_report_hours_later_is_a_follow_up_of_its_own(
    grouper: StoryGrouper, item: MakeItem
) -> None:
    event = item(
        "event",
        0,
        "В Балашихе при взрыве газа в жилом доме погибли два человека",
        "Взрыв бытового газа произошел в квартире на пятом этаже жилого дома на улице Свердлова "
        "в Балашихе, погибли два человека.",
    )
    later = item(
        "case",
        4 * 60,
        "После взрыва газа в жилом доме в Балашихе возбуждено уголовное дело",
        "Следователи возбудили дело после взрыва газа в доме на улице Свердлова в Балашихе, "
        "где погибли два человека.",
        outlet="Интерфакс",
    )
    stories = stream(grouper, item, [event, later])
    assert stories["case"] != stories["event"]


def test_the_same_report_more_than_a_window_later_starts_a_new_story(
    analyzer: Analyzer, item: MakeItem
) -> None:
    grouper = StoryGrouper(analyzer, window_hours=2)
    title = "В Томске эвакуировали торговый центр «Изумрудный город» из-за пожара"
    first = item("first", 0, title, "Эвакуировали 300 человек.")
    again = item("again", 121, title, "Эвакуировали 300 человек.", outlet="РИА Новости")
    stories = stream(grouper, item, [first, again])
    assert stories["again"] == "again"


def test_the_same_report_within_the_window_joins_the_story(
    grouper: StoryGrouper, item: MakeItem
) -> None:
    title = "В Томске эвакуировали торговый центр «Изумрудный город» из-за пожара"
    first = item("first", 0, title, "Эвакуировали 300 человек.")
    again = item("again", 23 * 60, title, "Эвакуировали 300 человек.", outlet="РИА Новости")
    stories = stream(grouper, item, [first, again])
    assert stories["again"] == "first"
