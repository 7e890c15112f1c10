"""/recent lists stories: one line per story with its number of sources, pages of stories."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

from storage import Item, NewDelivery, NewItem, NewSource, Repository, story_key
from tests.chat.conftest import ALICE, BOB, ChatBot
from tests.support.updates import User

NOW = datetime.now(UTC)


async def default_feed(repo: Repository, n: int) -> int:
    """Default feed number `n` (the ones before it stay defaults), titled «Агентство n»."""
    urls = [f"http://127.0.0.1:9/{k}" for k in range(n + 1)]
    await repo.feeds.sync_defaults(urls, NOW)
    feed = await repo.feeds.get_by_url(urls[-1])
    assert feed is not None
    await repo.db.execute("UPDATE feeds SET title = ? WHERE id = ?", (f"Агентство {n}", feed.id))
    return feed.id


async def report(
    repo: Repository, feed_id: int, title: str, story: str | None, minutes_ago: float
) -> Item:
    guid = f"{feed_id}-{title}"
    link = f"https://news.example/{feed_id}/{zlib.crc32(title.encode())}"
    new = NewItem(
        guid=guid,
        link=link,
        canonical_link=link,
        title=title,
        text=f"{title}. Текст сообщения.",
        published_at=NOW - timedelta(minutes=minutes_ago),
        story=story,
    )
    (item,) = await repo.items.insert_new(feed_id, [new], NOW)
    return item


async def alert(repo: Repository, chat_id: int, item: Item) -> int:
    """The alert as sent by the delivery worker; returns its delivery id."""
    await repo.deliveries.enqueue([NewDelivery(chat_id, item.id, (1,), ("Лавров",))], NOW)
    [sent] = [
        d
        for d in await repo.deliveries.due(NOW + timedelta(seconds=1), 100)
        if d.item_id == item.id
    ]
    await repo.deliveries.mark_sent(sent.id, 1, NOW)
    return sent.id


async def joined(repo: Repository, delivery_id: int, item: Item) -> None:
    await repo.stories.join([NewSource(delivery_id, item.id, (1,), ("Лавров",))], NOW)


async def ready(chatbot: ChatBot, user: User, feeds: int) -> list[int]:
    """The chat exists (it wrote to the bot) and `feeds` default feeds are there."""
    await chatbot.last(user, "/sub Лавров")
    return [await default_feed(chatbot.repo, n) for n in range(feeds)]


def lines(text: str) -> list[str]:
    """The numbered lines of a /recent page."""
    return [line for line in text.splitlines() if line[:1].isdigit() and ". " in line]


async def test_recent_lists_an_alert_and_the_reports_that_joined_it_as_one_story(
    chatbot: ChatBot,
) -> None:
    feeds = await ready(chatbot, ALICE, 3)
    story = story_key(feeds[0], "a")
    first = await report(chatbot.repo, feeds[0], "Лавров прибыл в Анкару", story, 30)
    delivery = await alert(chatbot.repo, ALICE.id, first)
    for n in (1, 2):
        later = await report(chatbot.repo, feeds[n], f"Лавров в Анкаре ({n})", story, 30 - n)
        await joined(chatbot.repo, delivery, later)
    lone = await report(chatbot.repo, feeds[1], "Лавров ответил на вопросы", None, 10)
    await alert(chatbot.repo, ALICE.id, lone)

    page = await chatbot.last(ALICE, "/recent")

    assert lines(page.text) == ["1. Лавров ответил на вопросы", "2. Лавров прибыл в Анкару"]
    assert "Лавров в Анкаре" not in page.text
    assert "3 источника" in page.text and page.text.count("источник") == 1
    assert ("Лавров прибыл в Анкару", first.link) in page.links


async def test_a_chat_with_grouping_off_still_sees_its_alerts_of_one_story_as_one_line(
    chatbot: ChatBot,
) -> None:
    feeds = await ready(chatbot, ALICE, 2)
    await chatbot.repo.chats.set_group_stories(ALICE.id, False, NOW)
    story = story_key(feeds[0], "a")
    for n, title in enumerate(["Лавров прибыл в Анкару", "Лавров в Анкаре"]):
        await alert(
            chatbot.repo, ALICE.id, await report(chatbot.repo, feeds[n], title, story, 9 - n)
        )

    page = await chatbot.last(ALICE, "/recent")

    assert lines(page.text) == ["1. Лавров прибыл в Анкару"]
    assert "2 источника" in page.text


async def test_recent_pages_through_stories_and_never_splits_one(chatbot: ChatBot) -> None:
    feeds = await ready(chatbot, ALICE, 2)
    await chatbot.repo.chats.set_group_stories(ALICE.id, False, NOW)
    for s in range(12):
        story = story_key(feeds[0], f"s{s}")
        for n in range(2):
            item = await report(
                chatbot.repo, feeds[n], f"Лавров, сюжет {s}, №{n}", story, s * 10 + 2 - n
            )
            await alert(chatbot.repo, ALICE.id, item)

    page = await chatbot.last(ALICE, "/recent")
    assert [line.split(",")[1] for line in lines(page.text)] == [f" сюжет {s}" for s in range(10)]
    assert page.text.count("2 источника") == 10

    await chatbot.press_label(ALICE, page, "Старее")

    assert lines(page.text) == ["11. Лавров, сюжет 10, №0", "12. Лавров, сюжет 11, №0"]
    assert [b["text"] for b in page.buttons] == ["← Новее"]


async def test_a_search_lists_a_story_once_with_its_newest_report_and_the_sources_the_chat_reads(
    chatbot: ChatBot,
) -> None:
    feeds = await ready(chatbot, ALICE, 3)
    await chatbot.last(BOB, "/start")
    bobs = await chatbot.repo.feeds.add_for_chat(BOB.id, "http://127.0.0.1:9/bob", "Bob", NOW)
    story = story_key(feeds[0], "a")
    for n, feed_id in enumerate(feeds):
        await report(chatbot.repo, feed_id, f"Сергей Лавров прибыл в Анкару ({n})", story, 30 - n)
    await report(chatbot.repo, bobs.id, "Lavrov: Сергей Лавров в Анкаре", story, 1)
    await report(chatbot.repo, feeds[0], "Сергей Лавров ответил на вопросы", None, 60)

    alice = await chatbot.last(ALICE, "/recent Лавров")
    bob = await chatbot.last(BOB, "/recent Лавров")

    assert lines(alice.text) == [
        "1. Сергей Лавров прибыл в Анкару (2)",
        "2. Сергей Лавров ответил на вопросы",
    ]
    assert "3 источника" in alice.text and alice.text.count("источник") == 1
    assert lines(bob.text)[0] == "1. Lavrov: Сергей Лавров в Анкаре"
    assert "4 sources" in bob.text and "1 source" not in bob.text


async def test_a_search_pages_through_stories(chatbot: ChatBot) -> None:
    feeds = await ready(chatbot, ALICE, 3)
    for s in range(12):
        story = story_key(feeds[0], f"s{s}")
        for n, feed_id in enumerate(feeds):
            await report(chatbot.repo, feed_id, f"Лавров, сюжет {s}, №{n}", story, s * 10 + 2 - n)

    page = await chatbot.last(ALICE, "/recent Лавров")
    assert [line.split(",")[1] for line in lines(page.text)] == [f" сюжет {s}" for s in range(10)]
    assert page.text.count("3 источника") == 10

    await chatbot.press_label(ALICE, page, "Старее")

    assert lines(page.text) == ["11. Лавров, сюжет 10, №2", "12. Лавров, сюжет 11, №2"]
    assert [b["text"] for b in page.buttons] == ["← Новее"]


async def test_a_page_of_stories_with_long_hostile_titles_fits_one_message(
    chatbot: ChatBot,
) -> None:
    feeds = await ready(chatbot, ALICE, 3)
    await chatbot.repo.chats.set_group_stories(ALICE.id, False, NOW)
    for s in range(10):
        story = story_key(feeds[0], f"s{s}")
        for feed_id in feeds:
            title = f"Лавров <b>&amp; «{s}» {'очень длинный заголовок ' * 20}"
            await alert(
                chatbot.repo, ALICE.id, await report(chatbot.repo, feed_id, title, story, s)
            )

    page = await chatbot.last(ALICE, "/recent")

    assert len(lines(page.text)) == 10 and page.text.count("3 источника") == 10
    assert "<b>&amp;" in page.text  # shown as written, not read as markup
