"""/feeds shows each feed's full-text mode and its last page failure; a button switches it,
for the feeds that are this user's to switch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fulltext.modes import may_switch
from storage import ChatFeed, Feed, FullTextMode
from tests.chat.conftest import ADMIN, ALICE, BOB, GROUP, MEMBER, OPERATOR, ChatBot
from tests.support.records import SentMessage

AGENCY = "https://agency.example/rss"
BLOG = "https://blog.example/rss"


def labels(message: SentMessage) -> list[str]:
    return [str(button["text"]) for button in message.buttons]


@pytest.mark.parametrize("bot_settings", [{"FEEDS": [AGENCY]}])
async def test_the_operator_switches_a_default_feeds_mode_and_a_chat_only_sees_it(
    chatbot: ChatBot,
) -> None:
    seen = await chatbot.last(ALICE, "/feeds")
    assert "полный текст статей: авто" in seen.text
    assert labels(seen) == []  # a chat cannot change it for every chat

    listing = await chatbot.last(OPERATOR, "/feeds")
    assert labels(listing) == [f"📄 {AGENCY}: авто"]
    answer = await chatbot.press_label(OPERATOR, listing, "📄")
    assert answer["text"] == "Полный текст: всегда"
    feed = await chatbot.repo.feeds.get_by_url(AGENCY)
    assert feed is not None and feed.fulltext_mode == FullTextMode.ALWAYS
    assert "полный текст статей: всегда" in (await chatbot.last(ALICE, "/feeds")).text


async def test_a_chat_switches_the_feed_it_added_and_another_reader_only_sees_it(
    chatbot: ChatBot,
) -> None:
    now = datetime.now(UTC)
    await chatbot.last(ALICE, "/start")
    await chatbot.last(BOB, "/start")
    feed = await chatbot.repo.feeds.add_for_chat(ALICE.id, BLOG, "Блог", now)
    await chatbot.repo.feeds.add_for_chat(BOB.id, BLOG, "Блог", now)

    listing = await chatbot.last(ALICE, "/feeds")
    assert labels(listing) == ["📄 Блог: авто"]
    assert "Полный текст: «авто»" in listing.text
    for expected in ("всегда", "никогда", "авто"):
        answer = await chatbot.press_label(ALICE, listing, "📄 Блог")
        assert answer["text"] == f"Полный текст: {expected}"
    stored = await chatbot.repo.feeds.get(feed.id)
    assert stored is not None and stored.fulltext_mode == FullTextMode.AUTO

    theirs = await chatbot.last(BOB, "/feeds")
    assert labels(theirs) == [] and "full text of articles: auto" in theirs.text


async def test_a_forged_press_on_a_feed_not_this_chats_to_switch_changes_nothing(
    chatbot: ChatBot,
) -> None:
    now = datetime.now(UTC)
    await chatbot.last(BOB, "/start")
    await chatbot.last(ALICE, "/start")
    feed = await chatbot.repo.feeds.add_for_chat(BOB.id, BLOG, "Блог", now)
    await chatbot.repo.feeds.add_for_chat(ALICE.id, BLOG, "Блог", now)
    listing = await chatbot.last(ALICE, "/feeds")

    answer = await chatbot.press(ALICE, listing, f"f1:t:{feed.id}")

    assert answer["text"] == "Этой ленты уже нет"
    stored = await chatbot.repo.feeds.get(feed.id)
    assert stored is not None and stored.fulltext_mode == FullTextMode.AUTO


async def test_in_a_group_only_administrators_switch_the_mode(chatbot: ChatBot) -> None:
    chatbot.stub.set_member_status(GROUP.id, ADMIN.id, "administrator")
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")
    await chatbot.last(MEMBER, "/feeds", GROUP)  # the group is known from its first update
    await chatbot.repo.feeds.add_for_chat(GROUP.id, BLOG, "Блог", datetime.now(UTC))
    listing = await chatbot.last(MEMBER, "/feeds", GROUP)

    refused = await chatbot.press_label(MEMBER, listing, "📄 Блог", GROUP)
    assert refused["text"] == "Это могут только администраторы группы"
    allowed = await chatbot.press_label(ADMIN, listing, "📄 Блог", GROUP)
    assert allowed["text"] == "Полный текст: всегда"


@pytest.mark.parametrize("bot_settings", [{"FEEDS": [AGENCY]}])
async def test_the_last_page_failure_shows_until_a_page_is_read_again(chatbot: ChatBot) -> None:
    feed = await chatbot.repo.feeds.get_by_url(AGENCY)
    assert feed is not None
    now = datetime.now(UTC)
    await chatbot.repo.feeds.record_pages(feed.id, now=now, ok=False, error="HTTP 403 Forbidden")

    assert (
        "страница статьи не прочитана: HTTP 403 Forbidden"
        in (await chatbot.last(ALICE, "/feeds")).text
    )

    await chatbot.repo.feeds.record_pages(feed.id, now=now + timedelta(seconds=1), ok=True)
    assert "не прочитана" not in (await chatbot.last(ALICE, "/feeds")).text


@pytest.mark.parametrize(
    ("url", "default", "added_by", "user", "allowed"),
    [
        (BLOG, False, ALICE.id, ALICE.id, True),  # the chat's own feed
        (BLOG, False, BOB.id, ALICE.id, False),  # the same URL, added by another chat first
        (AGENCY, True, None, ALICE.id, False),  # the operator's feed, a chat's user
        (AGENCY, True, None, OPERATOR.id, True),  # the operator's feed, an ADMIN_IDS user
        ("https://t.me/s/tass_agency", False, ALICE.id, ALICE.id, False),  # a channel: no pages
        ("https://t.me/s/tass_agency", True, None, OPERATOR.id, False),
    ],
)
def test_who_may_switch_a_feeds_mode(
    url: str, default: bool, added_by: int | None, user: int, allowed: bool
) -> None:
    now = datetime.now(UTC)
    feed = Feed(1, url, "t", default, added_by, None, None, True, now, now, now, 0, None)
    cf = ChatFeed(feed, own=not default, enabled=True)
    assert may_switch(cf, ALICE.id, user, [OPERATOR.id]) is allowed
