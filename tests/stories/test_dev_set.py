"""The labelled development set (real multi-outlet news, one hour) scored in the suite.

Floors sit slightly below what the grouper reaches (P 1.00, R 0.62, F1 0.77, 0 of 7 hard
negatives merged; F1 0.72 before place adjectives and «тыс.» read as their words, 0.61 before
words replaced keys; lemma Jaccard, the README's floor,
0.47 at 0.15 with 3 merged, 0.28 at 0.25): losing one gold pair fails the floor. The product
is judged on a larger hidden set of the same kind: tune for the rule, not for these ids
(test_synthetic_set.py and test_manysources_set.py are independent checks).
"""

from __future__ import annotations

import json

from bot.matching import Analyzer
from bot.stories import StoryGrouper
from bot.stories.cli import group, read_items
from tests.stories.scoring import score
from tests.support.paths import STORIES


def dev_grouping(analyzer: Analyzer) -> list[list[str]]:
    with (STORIES / "dev-items.jsonl").open(encoding="utf-8") as f:
        items = read_items(f)
    return group(items, StoryGrouper(analyzer, window_hours=24))


def test_the_dev_set_scores_at_least_the_recorded_pairwise_f1(analyzer: Analyzer) -> None:
    result = score(dev_grouping(analyzer))
    assert result.f1 >= 0.75, result
    assert result.precision >= 0.95, result


def test_no_hard_negative_of_the_dev_set_joins_the_story_it_must_stay_out_of(
    analyzer: Analyzer,
) -> None:
    result = score(dev_grouping(analyzer))
    assert result.hard_negatives == 7
    assert result.hard_negatives_merged == 0, result


def test_the_scorer_counts_like_the_shared_score_script() -> None:
    # Everything in one story: every gold pair found, precision low, every hard negative merged.
    with (STORIES / "dev-items.jsonl").open(encoding="utf-8") as f:
        everything = [[json.loads(line)["id"] for line in f if line.strip()]]
    result = score(everything)
    assert result.recall == 1.0
    assert result.precision < 0.01
    assert result.hard_negatives_merged == result.hard_negatives
    singletons = [[x] for x in everything[0]]
    assert score(singletons).f1 == 0.0
