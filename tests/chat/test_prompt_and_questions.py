"""Plain text after a prompt, plain-text questions, and commands the bot does not know."""

from __future__ import annotations

import pytest

from tests.chat.conftest import ADMIN, ALICE, BOB, GROUP, MEMBER, ChatBot
from tests.support.updates import User


async def queries(chatbot: ChatBot, chat_id: int) -> list[str]:
    return [s.query for s in await chatbot.repo.subscriptions.for_chat(chat_id)]


@pytest.mark.parametrize("command", ["/list", "/help", "/recent", "/settings", "/foo"])
async def test_another_command_ends_the_sub_prompt(chatbot: ChatBot, command: str) -> None:
    await chatbot.last(ALICE, "/sub")
    await chatbot.last(ALICE, command)

    offer = await chatbot.last(ALICE, "Шойгу")

    assert offer.button("Подписаться на «Шойгу»")
    assert await queries(chatbot, ALICE.id) == []  # never a silent subscription


async def test_cancel_after_the_prompt_still_says_it_cancelled(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub")
    assert "Отменено" in (await chatbot.last(ALICE, "/cancel")).text
    assert "Нечего отменять" in (await chatbot.last(ALICE, "/cancel")).text


async def test_a_new_sub_prompt_still_takes_the_answer(chatbot: ChatBot) -> None:
    await chatbot.last(ALICE, "/sub")
    await chatbot.last(ALICE, "/sub")
    reply = await chatbot.last(ALICE, "Шойгу")
    assert reply.bold == ["Шойгу"]
    assert await queries(chatbot, ALICE.id) == ["Шойгу"]


async def test_an_offer_made_before_a_prompt_still_works_after_it(chatbot: ChatBot) -> None:
    offer = await chatbot.last(ALICE, "Рубио")
    await chatbot.last(ALICE, "/sub")
    await chatbot.last(ALICE, "Песков")

    answer = await chatbot.press_label(ALICE, offer, "Рубио")

    assert answer["text"] == "Готово"
    assert await queries(chatbot, ALICE.id) == ["Песков", "Рубио"]


async def test_a_question_is_answered_with_recent_news_and_a_button_for_its_topic(
    chatbot: ChatBot,
) -> None:
    await chatbot.seed_items(
        ["Сергей Лавров прибыл в Анкару", "Погода в Москве", "Лаврову вручили орден"]
    )

    answer = await chatbot.last(ALICE, "Что нового по Лаврову?")

    assert "Анкару" in answer.text and "орден" in answer.text and "Погода" not in answer.text
    button = answer.button("Подписаться на «Лавров»")
    assert await queries(chatbot, ALICE.id) == []
    pressed = await chatbot.press(ALICE, answer, button["callback_data"])
    assert pressed["text"] == "Готово"
    assert await queries(chatbot, ALICE.id) == ["Лавров"]


async def test_a_question_with_nothing_found_still_offers_its_topic(chatbot: ChatBot) -> None:
    answer = await chatbot.last(ALICE, "Расскажи, что известно о Захаровой")

    assert "Захарова" in answer.text
    assert answer.button("Подписаться на «Захарова»")


async def test_a_question_without_a_topic_says_how_to_ask(chatbot: ChatBot) -> None:
    answer = await chatbot.last(ALICE, "Что нового?")

    assert "Что нового по Лаврову?" in answer.text
    assert not answer.buttons
    assert await queries(chatbot, ALICE.id) == []


async def test_plain_text_that_is_not_a_question_is_still_offered_whole(chatbot: ChatBot) -> None:
    offer = await chatbot.last(ALICE, "Лавров Рубио")
    assert offer.button("Подписаться на «Лавров Рубио»")


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        (ALICE, "/foo", "Не знаю команды /foo. Все команды и как писать запросы — /help"),
        (ALICE, "/Sub_all Лавров", "Не знаю команды /Sub_all"),
        (BOB, "/foo", "I do not know the command /foo"),
    ],
)
async def test_an_unknown_command_points_to_help(
    chatbot: ChatBot, user: User, text: str, expected: str
) -> None:
    reply = await chatbot.last(user, text)
    assert expected in reply.text
    assert await queries(chatbot, ALICE.id) == []


@pytest.mark.parametrize("stub_options", [{"privacy_mode": False}])
async def test_in_a_group_only_an_unknown_command_addressed_to_the_bot_is_answered(
    chatbot: ChatBot,
) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    before = len(chatbot.stub.messages(GROUP.id))
    chatbot.stub.send_message(GROUP, MEMBER, "/foo")
    chatbot.stub.send_message(GROUP, MEMBER, "/weather Москва")

    reply = await chatbot.last(MEMBER, "/foo@alerts_test_bot", GROUP)

    assert "Не знаю команды /foo" in reply.text
    assert len(chatbot.stub.messages(GROUP.id)) == before + 1


async def test_a_group_prompt_ends_when_the_admin_sends_another_command(
    chatbot: ChatBot,
) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "creator")
    prompt = await chatbot.last(ADMIN, "/sub", GROUP)
    await chatbot.last(ADMIN, "/list", GROUP)
    before = len(chatbot.stub.messages(GROUP.id))

    chatbot.stub.send_message(GROUP, ADMIN, "Шойгу", reply_to=prompt.message_id)
    await chatbot.last(ADMIN, "/list", GROUP)  # answered after the text, in order

    assert len(chatbot.stub.messages(GROUP.id)) == before + 1
    assert await queries(chatbot, GROUP.id) == []
