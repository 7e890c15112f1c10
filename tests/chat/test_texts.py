"""Texts, buttons and hostile input: every language has every text, every payload fits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.access import may_manage
from bot.callbacks import (
    FeedAction,
    FeedCb,
    OfferAction,
    OfferCb,
    RecentCb,
    RecentKind,
    SettingsAction,
    SettingsCb,
    SubAction,
    SubCb,
)
from bot.i18n import Html, catalogs, language_for, load_catalog, texts
from bot.keyboards import TIME_ZONES
from bot.matching import QueryError
from bot.views.query import query_error
from tests.chat.conftest import ALICE, GROUP, ChatBot

MATCHING = Path(__file__).parents[2] / "bot" / "matching"


def fields(source: str) -> set[str]:
    return set(re.findall(r"\$(\w+)", source))


def test_both_languages_have_the_same_texts_with_the_same_parameters() -> None:
    ru, en = catalogs()["ru"].sources, catalogs()["en"].sources
    assert ru.keys() == en.keys()
    assert {k: fields(v) for k, v in ru.items()} == {k: fields(v) for k, v in en.items()}


def test_every_query_error_code_of_the_engine_has_a_message_in_both_languages() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in MATCHING.glob("*.py"))
    codes = set(re.findall(r'QueryError\(\s*"([a-z_]+)"', source))
    assert {
        "empty",
        "only_exclusions",
        "unbalanced_quote",
        "prefix_too_short",
        "too_long",
        "too_many_terms",
        "no_letters",
    } <= codes
    for lang in ("ru", "en"):
        assert {c for c in codes if f"qerr.{c}" not in catalogs()[lang].sources} == set(), lang


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (1, "в ней сейчас 1 новость.", "it has 1 item now."),
        (2, "в ней сейчас 2 новости.", "it has 2 items now."),
        (5, "в ней сейчас 5 новостей.", "it has 5 items now."),
        (11, "в ней сейчас 11 новостей.", "it has 11 items now."),
        (21, "в ней сейчас 21 новость.", "it has 21 items now."),
        (22, "в ней сейчас 22 новости.", "it has 22 items now."),
        (112, "в ней сейчас 112 новостей.", "it has 112 items now."),
        (1000, "в ней сейчас 1000 новостей.", "it has 1000 items now."),
    ],
)
def test_numbers_take_the_plural_form_their_language_needs(count: int, ru: str, en: str) -> None:
    assert ru in texts("ru")("addfeed.added", title="Лента", count=count)
    assert en in texts("en")("addfeed.added", title="Feed", count=count)


def test_a_typo_in_a_catalog_file_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "x.ftl").write_text("ok = да\nbroken = { $count ->\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.ftl"):
        load_catalog("ru", tmp_path)


def test_a_parameter_left_out_is_an_error_not_a_silent_placeholder() -> None:
    with pytest.raises(KeyError):
        texts("ru")("addfeed.added", title="Лента")


@pytest.mark.parametrize(
    ("code", "params", "ru"),
    [
        (
            "too_long",
            {"limit": 256, "length": 300},
            "запрос длиной 300 символов, а можно не больше 256.",
        ),
        ("no_letters", {"term": "<&>"}, "в «&lt;&amp;&gt;» нет ни букв, ни цифр."),
        (
            "prefix_too_short",
            {"term": "са*", "min": 3},
            "са*: перед звёздочкой нужно не меньше 3 букв.",
        ),
        ("brand_new_code", {}, "запрос не разобрать: A new rule."),
        ("too_long", {}, "запрос не разобрать: A new rule."),  # parameters missing
    ],
)
def test_query_errors_are_rendered_escaped_with_parameters(
    code: str, params: dict[str, str | int], ru: str
) -> None:
    error = QueryError(code, "A new rule.", **params)
    assert query_error(error, texts("ru")) == ru


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("uk", "ru"),
        ("be", "ru"),
        ("kk", "ru"),
        ("en", "en"),
        ("de", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_of_a_new_chat(code: str | None, lang: str) -> None:
    assert language_for(code) == lang


def test_parameters_are_escaped_unless_marked_html() -> None:
    tr = texts("en")
    assert tr("sub.saved", query="<b>&") == "✅ <b>&lt;b&gt;&amp;</b>"
    assert tr("sub.invalid", query="x", error=Html("<i>y</i>")) == "❌ <b>x</b> — <i>y</i>"
    assert texts("xx").lang == "ru"


@pytest.mark.parametrize(
    "payload",
    [
        SubCb(action=SubAction.UNSUB, sub_id=2**62),
        OfferCb(action=OfferAction.SUBSCRIBE, ref=2**62),
        RecentCb(kind=RecentKind.SIMILAR, page=10**6, ref=2**62),
        FeedCb(action=FeedAction.DISABLE, feed_id=2**62),
        *(SettingsCb(action=SettingsAction.TIMEZONE, value=z) for z in TIME_ZONES),
    ],
)
def test_every_button_payload_fits_telegrams_64_bytes(payload: object) -> None:
    packed = payload.pack()  # type: ignore[attr-defined]
    assert len(packed.encode()) <= 64
    assert type(payload).unpack(packed) == payload


async def test_anonymous_group_admin_may_manage(chatbot: ChatBot) -> None:
    assert await may_manage(chatbot.bot, GROUP.id, "supergroup", None, GROUP.id)
    assert not await may_manage(chatbot.bot, GROUP.id, "supergroup", None, None)
    assert await may_manage(chatbot.bot, ALICE.id, "private", ALICE.id)


@pytest.mark.parametrize(
    "text",
    [
        "/sub <script>alert(1)</script>",
        '/sub "a & b" <i>',
        "/sub &amp; &#0; <",
        "/unsub <b>",
        "/recent <b>Лавров</b> &",
        "/addfeed http://<b>/",
        "<a href='x'>текст</a> & \"кавычки\"",
        "/sub " + "Лавров, " * 60,
    ],
)
async def test_hostile_input_gets_valid_html_replies(chatbot: ChatBot, text: str) -> None:
    # The stand-in refuses invalid HTML and over-long texts; the fixture fails on any refusal.
    reply = await chatbot.last(ALICE, text)
    assert reply.text


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 50}])
async def test_a_full_list_of_long_queries_fits_one_message(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/start")
    for i in range(50):
        query = " ".join(f"слово{i}x{j}" for j in range(12))[:250]
        await chatbot.services.subscription_service.subscribe(ALICE.id, query, datetime.now(UTC))
    listing = await chatbot.last(ALICE, "/list")
    assert "50 из 50" in listing.text and len(listing.buttons) == 100
    picker = await chatbot.last(ALICE, "/unsub")
    assert len(picker.buttons) == 50
