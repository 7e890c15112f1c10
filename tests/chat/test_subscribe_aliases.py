"""/sub says which other names of an entity a query also catches, and `=` turns that off."""

from __future__ import annotations

from tests.chat.conftest import ALICE, BOB, ChatBot


async def test_sub_names_the_other_names_it_also_catches_in_russian(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub ЦБ")

    assert "«ЦБ» — также: Банк России" in reply.text
    assert "Центробанк" in reply.text and "Bank of Russia" in reply.text
    assert "=ЦБ" in reply.text  # how to subscribe to the word alone


async def test_sub_names_the_other_names_it_also_catches_in_english(chatbot: ChatBot) -> None:
    reply = await chatbot.last(BOB, "/sub Зеленский")

    assert "«Зеленский» — also: Zelensky, Zelenskyy" in reply.text
    assert "также" not in reply.text


async def test_sub_with_an_equals_sign_subscribes_to_the_word_alone(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub =ЦБ")

    assert reply.bold == ["=ЦБ"]
    assert "также" not in reply.text and "сокращение" in reply.text
    subs = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    assert [s.query for s in subs] == ["=ЦБ"]


async def test_an_exclusion_says_it_excludes_the_other_names_too(chatbot: ChatBot) -> None:
    reply = await chatbot.last(ALICE, "/sub ставка -ЦБ")

    assert "без «ЦБ» — и без: Банк России" in reply.text


async def test_recent_searches_with_the_same_names(chatbot: ChatBot) -> None:
    await chatbot.seed_items(["Банк России сохранил ставку", "Ставка по вкладам выросла"])

    page = await chatbot.last(ALICE, "/recent ЦБ")

    assert "Банк России сохранил ставку" in page.text and "вкладам" not in page.text
    exact = await chatbot.last(ALICE, "/recent =ЦБ")
    assert "Банк России" not in exact.text
