"""A search's page buttons name a stored search: its query never has to be read off the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.callbacks import RecentCb
from storage.searches import KEPT_PER_CHAT
from tests.chat.conftest import ADMIN, GROUP, MEMBER, ChatBot

LONG = "Лавров Песков Захарова Шойгу Мишустин Матвиенко Володин Набиуллина"


async def test_a_search_longer_than_button_data_pages_for_any_member_of_a_group(
    chatbot: ChatBot,
) -> None:
    await chatbot.seed_items([f"{LONG} номер {i}" for i in range(25)])
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    page = await chatbot.last(ADMIN, f"/recent@alerts_test_bot {LONG}", GROUP)
    data = page.button("Старее")["callback_data"]
    assert len(data.encode()) <= 64 and "Лавров" not in data

    await chatbot.press(MEMBER, page, data, GROUP)

    assert "стр. 2" in page.text and "номер 10" in page.text


async def test_the_buttons_of_a_forgotten_search_answer_as_stale(chatbot: ChatBot) -> None:
    await chatbot.seed_items([f"Лавров номер {i}" for i in range(25)])
    page = await chatbot.last(MEMBER, "/recent Лавров")
    data = page.button("Старее")["callback_data"]
    now = datetime.now(UTC)
    for n in range(KEPT_PER_CHAT):
        await chatbot.repo.searches.remember(MEMBER.id, f"Песков {n}", now + timedelta(hours=n))

    answer = await chatbot.press(MEMBER, page, data)

    assert answer["text"] == "Эта кнопка устарела"
    assert "стр. 1" in page.text and RecentCb.unpack(data).ref > 0
