"""/addfeed with a channel: every way of naming it adds it, and refusals speak the chat's language.

Pages come from a local t.me (TELEGRAM_CHANNEL_PREVIEW_URL); the SSRF guard stays on, as in
production: a channel is read from the operator's preview base, never from where a user points.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.channels.site import ChannelSite
from tests.chat.conftest import ALICE, BOB, ChatBot
from tests.support.records import SentMessage
from tests.support.updates import User


@pytest.fixture
async def site() -> AsyncIterator[ChannelSite]:
    server = await ChannelSite().start()
    server.add("agency_demo", "Агентство: лента", ("Первая новость", "Вторая новость"))
    yield server
    await server.close()


@pytest.fixture
def bot_settings(site: ChannelSite) -> dict[str, Any]:
    return {"TELEGRAM_CHANNEL_PREVIEW_URL": site.base}


async def outcome(chatbot: ChatBot, user: User, text: str) -> SentMessage:
    reply = await chatbot.last(user, f"/addfeed {text}")
    await chatbot.stub.wait_for(lambda: "⏳" not in reply.text, timeout=15)
    return reply


def latin_only(text: str) -> bool:
    return not any("а" <= ch <= "я" for ch in text.lower())


async def test_a_channel_named_by_at_is_added_under_its_preview_address(
    chatbot: ChatBot, site: ChannelSite
) -> None:
    reply = await outcome(chatbot, ALICE, "@Agency_Demo")

    assert "Канал Агентство: лента добавлен: на его странице 2 публикации" in reply.text
    [own] = await chatbot.repo.feeds.for_chat(ALICE.id)
    assert own.feed.url == "https://t.me/s/agency_demo"
    assert own.feed.title == "Агентство: лента"
    assert site.channels["agency_demo"].answered == 1


@pytest.mark.parametrize(
    "text",
    [
        "https://t.me/agency_demo",
        "t.me/s/agency_demo",
        "https://t.me/agency_demo/1002",
        "@agency_demo",
    ],
)
async def test_every_form_of_the_same_channel_is_the_same_feed(
    chatbot: ChatBot, site: ChannelSite, text: str
) -> None:
    await outcome(chatbot, ALICE, "https://t.me/s/agency_demo")
    again = await chatbot.last(ALICE, f"/addfeed {text}")
    assert "уже подключена" in again.text


async def test_a_private_or_missing_channel_is_refused_in_the_users_language(
    chatbot: ChatBot, site: ChannelSite
) -> None:
    site.add("closed_demo", "Закрыто", ("Пост",)).mode = "private"

    for name in ("closed_demo", "missing_demo"):
        russian = (await outcome(chatbot, ALICE, f"@{name}")).text
        assert "Этот канал читать нельзя" in russian, russian
        english = (await outcome(chatbot, BOB, f"https://t.me/{name}")).text
        assert "This channel cannot be followed" in english and latin_only(english), english
    assert await chatbot.repo.feeds.for_chat(ALICE.id) == []
    assert await chatbot.repo.feeds.for_chat(BOB.id) == []


@pytest.mark.parametrize(
    "link",
    ["https://t.me/+AbCdEfGhIjK12345", "https://t.me/joinchat/AAAAAEHb", "https://t.me/c/12345/6"],
)
async def test_an_invitation_or_a_private_channels_post_is_refused_at_once(
    chatbot: ChatBot, site: ChannelSite, link: str
) -> None:
    russian = await chatbot.last(ALICE, f"/addfeed {link}")
    english = await chatbot.last(BOB, f"/addfeed {link}")

    assert "не на публичный канал" in russian.text
    assert "not to a public channel" in english.text and latin_only(english.text)
    assert site.channels["agency_demo"].requests == 0


async def test_a_channel_page_in_an_unknown_format_is_refused_as_unreadable(
    chatbot: ChatBot, site: ChannelSite
) -> None:
    site.channels["agency_demo"].mode = "redesigned"

    russian = (await outcome(chatbot, ALICE, "@agency_demo")).text
    english = (await outcome(chatbot, BOB, "@agency_demo")).text

    assert "Не удалось прочитать страницу канала" in russian
    assert "Could not read the channel's page" in english and latin_only(english)


async def test_a_quiet_new_channel_can_be_followed(chatbot: ChatBot, site: ChannelSite) -> None:
    site.add("quiet_demo", "Тихий канал")

    reply = await outcome(chatbot, BOB, "@quiet_demo")

    assert "Channel Тихий канал added: no posts on its page yet" in reply.text
