"""/recent sees only what the asking chat reads, newest first on every page, and every page
fits one Telegram message as Telegram counts it; /feeds says when the storage quota cut a feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import NewItem
from tests.chat.conftest import ALICE, BOB, ChatBot

DEFAULT = "http://127.0.0.1:9/default"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def test_recent_search_never_shows_another_chats_private_feed(chatbot: ChatBot) -> None:
    await chatbot.seed_items(["Лавров: общая новость"], feed_url=DEFAULT)
    now = datetime.now(UTC)
    await chatbot.last(BOB, "/start")
    secret = await chatbot.repo.feeds.add_for_chat(BOB.id, "https://bob.example/rss", None, now)
    await chatbot.repo.feeds.record_success(
        secret.id,
        title="Секретная лента Боба",
        etag=None,
        last_modified=None,
        now=now,
        next_fetch_at=now,
    )
    await chatbot.repo.items.insert_new(
        secret.id,
        [NewItem("s1", "https://bob.example/1", None, "Лавров: тайна Боба", "Текст", now)],
        now,
    )

    alice = await chatbot.last(ALICE, "/recent Лавров")
    bob = await chatbot.last(BOB, "/recent Лавров")

    assert "общая новость" in alice.text
    assert "тайна Боба" not in alice.text and "Секретная лента" not in alice.text
    assert "тайна Боба" in bob.text and "общая новость" in bob.text


async def test_recent_lists_newest_first_on_every_page_even_within_one_fetch(
    chatbot: ChatBot,
) -> None:
    now = datetime.now(UTC)
    await chatbot.repo.feeds.sync_defaults([DEFAULT], now)
    feed = await chatbot.repo.feeds.get_by_url(DEFAULT)
    assert feed is not None
    # One fetch, in feed order (newest first): stored in that order, so ids run oldest last.
    batch = [
        NewItem(
            f"g{n}",
            f"https://news.example/{n}",
            None,
            f"Лавров, минута {n:02d}",
            "Текст",
            now - timedelta(minutes=n),
        )
        for n in range(25)
    ]
    stored = await chatbot.repo.items.insert_new(feed.id, batch, now)
    await chatbot.last(ALICE, "/sub Лавров")
    [subscription] = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    for item in stored:
        await chatbot.deliver(ALICE.id, item, subscription.id, "Лавров")

    for command in ("/recent Лавров", "/recent"):
        page = await chatbot.last(ALICE, command)
        first = [int(t.rsplit(" ", 1)[1]) for t, _ in page.links]
        await chatbot.press_label(ALICE, page, "Старее")
        second = [int(t.rsplit(" ", 1)[1]) for t, _ in page.links]
        assert first == list(range(10)), (command, first)
        assert second == list(range(10, 20)), (command, second)


async def test_every_recent_page_fits_telegram_in_utf16_units_and_entities(
    chatbot: ChatBot,
) -> None:
    wide = "𝐋𝐚𝐯𝐫𝐨𝐯 " * 200  # mathematical bold letters: two UTF-16 units each
    await chatbot.seed_items([f"Лавров {n} {wide}" for n in range(12)], feed_url=DEFAULT)
    feed = await chatbot.repo.feeds.get_by_url(DEFAULT)
    assert feed is not None
    await chatbot.repo.db.execute("UPDATE feeds SET title = ? WHERE id = ?", ("𝐒" * 300, feed.id))

    page = await chatbot.last(ALICE, "/recent Лавров")

    assert page.text.count("Лавров ") >= 10
    assert utf16(page.text) <= 4096 and len(page.entities) <= 100


async def test_feeds_says_when_the_storage_quota_cut_a_feed(chatbot: ChatBot) -> None:
    now = datetime.now(UTC)
    await chatbot.repo.feeds.sync_defaults([DEFAULT], now)
    feed = await chatbot.repo.feeds.get_by_url(DEFAULT)
    assert feed is not None
    await chatbot.repo.feeds.record_cut(feed.id, dropped=45, clipped=True, now=now)

    ru = await chatbot.last(ALICE, "/feeds")
    en = await chatbot.last(BOB, "/feeds")

    assert "45 новых не сохранено" in ru.text and "1000 новостей за сутки" in ru.text
    assert "обрезаются до 20000 знаков" in ru.text
    assert "45 new items were not stored" in en.text and "20000 characters" in en.text
