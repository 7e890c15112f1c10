"""/settings: story grouping can be turned off (every item alerts on its own) and on again."""

from __future__ import annotations

from tests.chat.conftest import ADMIN, ALICE, BOB, GROUP, MEMBER, ChatBot

NOT_ADMIN = "Это могут только администраторы группы"
STALE = "Эта кнопка устарела"


async def grouping(chatbot: ChatBot, chat_id: int) -> bool:
    chat = await chatbot.repo.chats.get(chat_id)
    assert chat is not None
    return chat.group_stories


def labels(buttons: list[dict[str, str]]) -> list[str]:
    return [b["text"] for b in buttons]


async def test_the_panel_shows_grouping_on_and_a_press_turns_it_off_and_on(
    chatbot: ChatBot,
) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    assert "Сюжеты: одно оповещение на сюжет" in panel.text
    assert {"✓ 🗂 По сюжетам", "📰 Каждая новость"} <= set(labels(panel.buttons))

    answer = await chatbot.press_label(ALICE, panel, "Каждая новость")

    assert answer["text"] == "Сохранено"
    assert await grouping(chatbot, ALICE.id) is False
    assert "Сюжеты: выключены, каждая новость — отдельное оповещение" in panel.text
    assert {"🗂 По сюжетам", "✓ 📰 Каждая новость"} <= set(labels(panel.buttons))

    await chatbot.press_label(ALICE, panel, "По сюжетам")

    assert await grouping(chatbot, ALICE.id) is True
    assert "Сюжеты: одно оповещение на сюжет" in panel.text


async def test_the_panel_in_english_names_the_grouping_in_english(chatbot: ChatBot) -> None:
    panel = await chatbot.last(BOB, "/settings")
    assert "Stories: one alert per story" in panel.text
    assert {"✓ 🗂 By story", "📰 Every item"} <= set(labels(panel.buttons))

    await chatbot.press_label(BOB, panel, "Every item")

    assert "Stories: off, every item alerts on its own" in panel.text
    assert await grouping(chatbot, BOB.id) is False


async def test_only_a_group_admin_may_turn_grouping_off(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")
    panel = await chatbot.last(ADMIN, "/settings", GROUP)
    shown = (panel.text, panel.reply_markup)

    answer = await chatbot.press_label(MEMBER, panel, "Каждая новость", GROUP)

    assert answer["text"] == NOT_ADMIN
    assert (panel.text, panel.reply_markup) == shown
    assert await grouping(chatbot, GROUP.id) is True

    await chatbot.press_label(ADMIN, panel, "Каждая новость", GROUP)

    assert await grouping(chatbot, GROUP.id) is False


async def test_a_grouping_payload_the_panel_does_not_offer_changes_nothing(
    chatbot: ChatBot,
) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    off = panel.button("Каждая новость")["callback_data"]
    for forged in (off.rsplit(":", 1)[0] + ":maybe", off.rsplit(":", 1)[0] + ":"):
        answer = await chatbot.press(ALICE, panel, forged)
        assert answer["text"] == STALE
    assert await grouping(chatbot, ALICE.id) is True


async def test_the_choice_is_kept_for_the_chat_only(chatbot: ChatBot) -> None:
    panel = await chatbot.last(ALICE, "/settings")
    await chatbot.press_label(ALICE, panel, "Каждая новость")
    await chatbot.last(BOB, "/settings")

    assert await grouping(chatbot, ALICE.id) is False
    assert await grouping(chatbot, BOB.id) is True
