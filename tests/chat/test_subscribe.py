"""/start, /sub (one, several, invalid, the prompt), limits and the private-chat offer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chat.conftest import ALICE, BOB, ChatBot
from tests.support.updates import Chat


async def queries(chatbot: ChatBot, chat_id: int) -> list[str]:
    return [s.query for s in await chatbot.repo.subscriptions.for_chat(chat_id)]


async def test_start_explains_and_offers_three_examples(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/start")
    assert "присылаю новости" in reply.text
    assert "Язык: русский" in reply.text
    assert len(reply.buttons) == 3

    answer = await chatbot.press_label(ALICE, reply, "Лавров")
    confirmation = (await chatbot.stub.wait_messages(ALICE.id, 2))[-1]

    assert answer["text"] == "Готово"
    assert await queries(chatbot, ALICE.id) == ["Лавров"]
    assert "Лавров" in confirmation.bold


async def test_sub_one_query_shows_how_it_was_understood(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub Лавров")

    assert reply.bold == ["Лавров"]
    assert "любые формы" in reply.text and "Лаврова" in reply.text
    assert await queries(chatbot, ALICE.id) == ["Лавров"]


async def test_sub_two_queries_separated_by_a_comma(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, '/sub Лавров, "прямое авиасообщение"')

    assert reply.bold == ["Лавров", '"прямое авиасообщение"']
    assert "фраза" in reply.text
    assert await queries(chatbot, ALICE.id) == ["Лавров", '"прямое авиасообщение"']


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"прямое авиасообщение', "не закрыта кавычка"),
        ("-Захарова", "только исключения"),
        ("са*", "не меньше 3 букв"),
        ("!!!", "нет ни букв, ни цифр"),
        ("Лавров OR", "между двумя вариантами"),
        ("а" * 300, "можно не больше 256"),
        (" ".join(f"слово{i}" for i in range(13)), "можно не больше 12"),
    ],
)
async def test_sub_invalid_query_says_exactly_what_is_wrong(
    chatbot: ChatBot, query: str, expected: str
) -> None:
    reply = await chatbot.last(ALICE, f"/sub {query}")

    assert reply.text.startswith("❌")
    assert expected in reply.text
    assert await queries(chatbot, ALICE.id) == []


async def test_sub_mixed_valid_and_invalid_saves_only_the_valid(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub Песков, -Захарова, Песков")

    assert "✅" in reply.text and "❌" in reply.text and "уже есть" in reply.text
    assert await queries(chatbot, ALICE.id) == ["Песков"]


async def test_sub_alone_prompts_then_subscribes_to_the_answer(chatbot: ChatBot) -> None:
    prompt = await chatbot.last(ALICE, "/sub")
    assert "Напишите запрос" in prompt.text

    reply = await chatbot.last(ALICE, "Песков, ОПЕК+")

    assert reply.bold == ["Песков", "ОПЕК+"]
    assert await queries(chatbot, ALICE.id) == ["Песков", "ОПЕК+"]
    # The prompt is over: the next plain text is an offer again, not a subscription.
    offer = await chatbot.last(ALICE, "Рубио")
    assert offer.button("Подписаться на «Рубио»")
    assert await queries(chatbot, ALICE.id) == ["Песков", "ОПЕК+"]


async def test_cancel_leaves_the_prompt(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub")
    assert "Отменено" in (await chatbot.last(ALICE, "/cancel")).text
    offer = await chatbot.last(ALICE, "Песков")
    assert offer.buttons and await queries(chatbot, ALICE.id) == []


async def test_plain_text_in_private_chat_offers_a_subscription(chatbot: ChatBot) -> None:
    long_text = "Сергей Лавров и Марко Рубио провели переговоры в Эр-Рияде"
    offer = await chatbot.last(ALICE, long_text)
    button = offer.button("Подписаться на «")
    assert len(button["callback_data"].encode()) <= 64

    answer = await chatbot.press(ALICE, offer, button["callback_data"])
    await chatbot.stub.wait_messages(ALICE.id, 2)

    assert answer["text"] == "Готово"
    assert await queries(chatbot, ALICE.id) == [long_text]


async def test_offer_forgotten_after_restart_is_answered_politely(chatbot: ChatBot) -> None:
    offer = await chatbot.last(ALICE, "Песков")
    data = offer.button("Подписаться")["callback_data"]
    await chatbot.dp.storage.set_data(  # what a restart does to the in-memory FSM storage
        key=_key(chatbot, ALICE.id), data={}
    )

    answer = await chatbot.press(ALICE, offer, data)

    assert answer["text"] == "Предложение устарело — отправьте текст ещё раз"
    assert await queries(chatbot, ALICE.id) == []


def _key(chatbot: ChatBot, user_id: int) -> Any:
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=chatbot.bot.id, chat_id=user_id, user_id=user_id)


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 2}])
async def test_subscription_limit_is_refused_with_a_clear_reply(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub Лавров, Песков, Рубио")

    assert "⛔" in reply.text and "Рубио" in reply.text and "в чате уже 2 подписки" in reply.text
    assert await queries(chatbot, ALICE.id) == ["Лавров", "Песков"]


async def test_english_speaking_user_is_answered_in_english(chatbot: ChatBot) -> None:
    start = await chatbot.last(BOB, "/start")
    assert "I send you news" in start.text
    assert start.button("Subscribe to «Лавров»")

    reply = await chatbot.last(BOB, '/sub "прямое авиасообщение')
    assert "a quotation mark is not closed" in reply.text

    reply = await chatbot.last(BOB, "/sub Лавров")
    assert "any form" in reply.text
    assert (await chatbot.repo.chats.get(BOB.id)).language == "en"  # type: ignore[union-attr]


async def test_new_subscription_takes_effect_for_the_next_item(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub Лавров")
    doc = chatbot.services.analyzer.document("Встреча Сергея Лаврова\n\nТекст.")

    hits = chatbot.services.subscription_service.match(doc)

    assert [(h.chat_id, h.query) for h in hits] == [(ALICE.id, "Лавров")]


async def test_messages_sent_in_a_burst_are_answered_in_order(chatbot: ChatBot) -> None:
    where = Chat.private(ALICE)
    for text in ("/sub Лавров", "/sub Песков", "/sub рубль", "/list"):
        chatbot.stub.send_message(where, ALICE, text)  # one getUpdates batch

    replies = await chatbot.stub.wait_messages(ALICE.id, 4)

    assert [r.bold[:1] for r in replies[:3]] == [["Лавров"], ["Песков"], ["рубль"]]
    assert "Подписки: 3" in replies[3].text
