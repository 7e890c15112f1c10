"""The grouper's bookkeeping: ids, restarts, expiry, merges, bounded index."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.matching import Analyzer
from bot.stories import NewsItem, StoryGrouper
from bot.stories.cli import group, read_items
from bot.stories.grouper import MEMBERS_COMPARED
from bot.stories.index import POSTINGS_PER_KEY, StoryIndex
from tests.stories.conftest import MakeItem
from tests.support.paths import STORIES

TITLE = "Глава МЧС Зиничев прилетел в подтопленный Демянский район"
LEAD = "Евгений Зиничев осмотрел подтопленные территории Новгородской области."


def test_a_new_story_takes_the_id_of_its_first_item(grouper: StoryGrouper, item: MakeItem) -> None:
    assert grouper.add(item("a", 0, TITLE, LEAD)) == "a"
    assert grouper.add(item("b", 3, TITLE, LEAD, outlet="РИА Новости")) == "a"


def test_adding_an_item_twice_returns_its_story_and_changes_nothing(
    grouper: StoryGrouper, item: MakeItem
) -> None:
    first = item("a", 0, TITLE, LEAD)
    grouper.add(first)
    assert grouper.add(first) == "a"
    assert grouper.stories["a"].item_ids == ["a"]


def test_a_restored_story_is_joined_by_a_later_report(analyzer: Analyzer, item: MakeItem) -> None:
    before = StoryGrouper(analyzer)
    story = before.add(item("a", 0, TITLE, LEAD))
    after = StoryGrouper(analyzer)  # a restart: rebuilt from the stored item and its story
    after.restore(item("a", 0, TITLE, LEAD), story)
    assert after.add(item("b", 10, TITLE, LEAD, outlet="Интерфакс")) == story
    assert after.stories[story].item_ids == ["a", "b"]


def test_a_story_expires_with_its_first_report_and_leaves_no_index_behind(
    analyzer: Analyzer, item: MakeItem
) -> None:
    grouper = StoryGrouper(analyzer, window_hours=1)
    grouper.add(item("a", 0, TITLE, LEAD))
    grouper.add(item("later", 61, "Курс доллара опустился ниже 90 рублей", "Торги на бирже."))
    assert "a" not in grouper.stories
    index_keys = len(grouper._index)
    assert index_keys == len(grouper.stories["later"].keys)


def _spartak() -> list[NewsItem]:
    """A coach leaves: the second report shares too few words with the first to join it on a
    fresh window; the third fits both (synthetic set, s111-s113)."""
    with (STORIES / "synthetic-items.jsonl").open(encoding="utf-8") as f:
        return [it for it in read_items(f) if it.id in ("s111", "s112", "s113")]


def test_a_report_that_fits_two_stories_merges_the_newer_into_the_older(
    grouper: StoryGrouper,
) -> None:
    first, second, third = _spartak()
    assert [grouper.add(first), grouper.add(second)] == ["s111", "s112"]
    assert grouper.add(third) == "s111"
    assert grouper.take_merges() == [("s112", "s111")]
    assert grouper.take_merges() == []  # taken once
    assert "s112" not in grouper.stories
    assert sorted(grouper.stories["s111"].item_ids) == ["s111", "s112", "s113"]
    assert grouper.add(second) == "s111"  # an item seen before answers with its story now


def test_merges_taken_late_name_the_story_each_absorbed_story_is_part_of_now(
    grouper: StoryGrouper, item: MakeItem
) -> None:
    # c is folded into b, then b into a, before anyone takes the merges: c's items belong to
    # a now, and a store relabelling c -> b would leave them on a story that no longer exists.
    for n, title in enumerate(("Курс доллара упал", "Сборная выиграла матч", "Ураган в Мексике")):
        grouper.add(item("abc"[n], n, title, ""))
    stories = grouper.stories
    grouper._merge(stories["b"], stories["c"])
    grouper._merge(stories["a"], stories["b"])
    assert grouper.take_merges() == [("c", "a"), ("b", "a")]
    assert sorted(grouper.stories["a"].item_ids) == ["a", "b", "c"]


def test_the_measuring_point_prints_a_merged_story_once_in_publication_order(
    grouper: StoryGrouper,
) -> None:
    assert group(_spartak(), grouper) == [["s111", "s112", "s113"]]


def test_an_item_that_may_only_join_never_merges(grouper: StoryGrouper) -> None:
    first, second, third = _spartak()
    grouper.add(first)
    grouper.add(second)
    assert grouper.find(third) == "s111"
    assert grouper.take_merges() == []
    assert set(grouper.stories) == {"s111", "s112"}


def test_a_merged_story_compares_its_reports_in_publication_order(
    grouper: StoryGrouper,
) -> None:
    first, second, third = _spartak()
    grouper.add(first)
    grouper.add(second)
    grouper.add(third)
    members = [m.item_id for m in grouper.stories["s111"].members]
    assert members == ["s111", "s112", "s113"]
    assert len(members) <= MEMBERS_COMPARED


def test_a_publication_time_without_a_zone_is_refused(grouper: StoryGrouper) -> None:
    naive = NewsItem("x", "ТАСС", datetime(2024, 3, 1, 9, 0), TITLE, LEAD)
    with pytest.raises(ValueError, match="time zone"):
        grouper.add(naive)


def test_a_window_must_be_positive(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="positive"):
        StoryGrouper(analyzer, window_hours=0)


def test_a_key_remembers_a_bounded_number_of_stories() -> None:
    index = StoryIndex()
    for n in range(POSTINGS_PER_KEY * 3):
        index.add(f"s{n}", ["зиничев"])
    found = index.candidates({"зиничев": 1.0}, lambda key: 1.0, lambda story: True)
    assert len(index._postings["зиничев"]) == POSTINGS_PER_KEY
    assert "s0" not in index._postings["зиничев"]
    assert found  # the newest stories are still found
