"""Rarity over the recent stream: what the grouper's document frequencies must keep true."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from bot.stories.window import MIN_DOCUMENTS, REPRINT_SHARE, WindowStats

T0 = datetime(2024, 11, 14, 15, 0, tzinfo=UTC)


def filled(stats: WindowStats, n: int, start: datetime = T0) -> None:
    """n unrelated items, each with a word of its own, so the cold-window floor is passed."""
    for k in range(n):
        stats.add(start, {f"filler{k}"})


def test_a_word_of_many_stories_is_commoner_than_one_storys_reprinted_word() -> None:
    stats = WindowStats(timedelta(hours=24))
    filled(stats, MIN_DOCUMENTS)
    for story in range(4):  # four happenings use «заявить»
        stats.add(T0, {"заявить", f"name{story}"})
    stats.add(T0, {"склад"})  # one happening, reported four times
    for _ in range(3):
        stats.add(T0, {"склад"})
        stats.discount({"склад"})
    assert stats.idf("склад") > stats.idf("заявить")
    # The first report counts whole, each reprint REPRINT_SHARE of an item.
    documents = stats.size + 1
    assert math.isclose(stats.idf("склад"), math.log(documents / (1 + 3 * REPRINT_SHARE + 1)))
    assert math.isclose(stats.idf("заявить"), math.log(documents / (4 + 1)))


def test_a_discount_touches_only_the_last_items_own_keys() -> None:
    stats = WindowStats(timedelta(hours=24))
    filled(stats, MIN_DOCUMENTS)
    stats.add(T0, {"склад", "пожар"})
    before = stats.idf("пожар"), stats.idf("взрыв")
    stats.discount({"взрыв"})  # not a key of that item: nothing to discount
    assert (stats.idf("пожар"), stats.idf("взрыв")) == before


def test_expiry_forgets_discounted_reports_without_residue() -> None:
    stats = WindowStats(timedelta(hours=1))
    unseen = stats.idf("никогда")
    stats.add(T0, {"склад", "подольск"})
    for minute in range(1, 6):
        stats.add(T0 + timedelta(minutes=minute), {"склад", "подольск"})
        stats.discount({"склад"})
    assert stats.idf("склад") < unseen
    stats.expire(T0 + timedelta(hours=2))
    assert stats.size == 0
    assert stats.idf("склад") == stats.idf("подольск") == unseen
