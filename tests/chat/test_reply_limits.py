"""Every reply fits Telegram as Telegram counts: 4,096 UTF-16 units and 100 entities.

The stand-in checks what Telegram refuses outright; these tests also measure what it would
cut silently. 𝐀 (mathematical bold) and emoji are two UTF-16 units each: a text that is
short in Python characters can still be too long for Telegram.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import texts
from bot.text import utf16_len
from bot.views.fit import pack
from tests.chat.conftest import ALICE, BOB, ChatBot
from tests.support.records import SentMessage
from tests.support.updates import Chat

BOLD = "𝐀𝐁𝐂𝐃𝐄𝐅𝐆𝐇𝐈𝐉𝐊𝐋𝐌𝐍𝐎𝐏𝐐𝐑𝐒𝐓𝐔𝐕𝐖𝐗𝐘𝐙"  # 2 UTF-16 units each
FOOTER = "Подписка работает сразу"


def assert_fits(messages: list[SentMessage]) -> None:
    for message in messages:
        assert utf16_len(message.text) <= 4096, utf16_len(message.text)
        assert len(message.entities) <= 100, len(message.entities)


def bold_word(i: int, j: int) -> str:
    """An 11-letter word, different for every (i, j) with i < 26."""
    return BOLD[i] + BOLD[j] + "".join(BOLD[(i + j * 3 + k) % len(BOLD)] for k in range(9))


async def replies_until(chatbot: ChatBot, text: str, marker: str) -> list[SentMessage]:
    """Send text and collect every reply up to the one containing marker."""
    before = len(chatbot.stub.messages(ALICE.id))
    chatbot.stub.send_message(Chat.private(ALICE), ALICE, text)
    await chatbot.stub.wait_for(
        lambda: any(marker in m.text for m in chatbot.stub.messages(ALICE.id)[before:])
    )
    return chatbot.stub.messages(ALICE.id)[before:]


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 50}])
async def test_sub_echo_of_many_long_queries_in_two_unit_letters_fits(chatbot: ChatBot) -> None:
    wanted = [" ".join(bold_word(i, j) for j in range(4)) for i in range(14)]
    text = "/sub " + ", ".join(wanted)
    assert utf16_len(text) < 4096  # what a user can send at all

    replies = await replies_until(chatbot, text, FOOTER)

    assert_fits(replies)
    saved = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    assert len(saved) == 14
    shown = "\n".join(r.text for r in replies)
    assert shown.count("✅") == 14  # every query is accounted for


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 50}])
async def test_sub_echo_with_more_than_a_hundred_entities_is_split(chatbot: ChatBot) -> None:
    wanted = [f"слово{i}" for i in range(130)]

    replies = await replies_until(chatbot, "/sub " + ", ".join(wanted), FOOTER)

    assert_fits(replies)
    assert len(replies) >= 2
    bold = [b for r in replies for b in r.bold]
    assert bold == wanted  # each query once, in order: 50 saved, 80 over the limit
    assert len(await chatbot.repo.subscriptions.for_chat(ALICE.id)) == 50


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 50}])
async def test_a_full_list_of_long_queries_in_two_unit_letters_fits_one_message(
    chatbot: ChatBot,
) -> None:
    await chatbot.last(ALICE, "/start")
    now = datetime.now(UTC)
    for i in range(50):
        query = " ".join(bold_word(i % 26, j + i // 26) for j in range(12))
        outcome = await chatbot.services.subscription_service.subscribe(ALICE.id, query, now)
        assert outcome.subscription is not None
    assert utf16_len(query) > 250

    listing = await chatbot.last(ALICE, "/list")

    assert_fits([listing])
    assert "50 из 50" in listing.text and "…" in listing.text  # queries shortened
    assert all(f"\n{n}. " in listing.text for n in range(1, 51))
    assert len(listing.buttons) == 100
    await chatbot.press_label(ALICE, listing, "⏸ 50.")  # redrawn in place, still fitting
    assert_fits([listing])
    assert "50. " in listing.text and "на паузе" in listing.text


@pytest.mark.parametrize("user", [ALICE, BOB])
async def test_help_and_start_fit_in_both_languages(chatbot: ChatBot, user: object) -> None:
    for command in ("/help", "/start", "/settings"):
        reply = await chatbot.last(user, command)  # type: ignore[arg-type]
        assert_fits([reply])


def test_packing_never_splits_a_block_and_sums_up_what_is_left() -> None:
    tr = texts("ru")
    blocks = [f"<b>{'𝐀' * 500}</b> {i}" for i in range(40)]  # ~1,000 units each

    messages = pack(blocks, more=lambda n: tr("sub.more", count=n), max_messages=3)

    assert len(messages) == 3
    assert all(utf16_len(m) <= 4096 + 30 for m in messages)  # tags are not visible text
    assert messages[-1].endswith("… и ещё 31 запрос: отправьте его отдельно.")
    kept = "\n\n".join(messages)
    assert all(f"</b> {i}" in kept for i in range(9))
