"""A sixth labelled set and a second held-out check, written by a session that saw neither the
grouper nor the other sets, after the grouper's rules of its day were chosen
(tests/data/stories/eveninghour-*.jsonl): one hour of 201 items, 137 of them unrelated; a
minister's statement at a meeting told by 17 outlets with other facts of the same meeting told
apart (the next summit, the payment system, his coming speech), a bus crash whose toll rises
within the hour with its sequels (the criminal case, mourning and payments, a consulate's
reaction, another crash in the same city), four medium stories; 31 hard negatives.

On first sight, alone: P 0.74, R 0.64, F1 0.68 with 5 hard negatives merged, all of them other
facts of the minister's meeting or the minister elsewhere (lemma Jaccard: 0.67 at 0.25 merging
19, 0.65 at 0.15 merging 27); among 398 real unrelated items P 0.75, R 0.94, F1 0.84 with 10.
Before that day's rules (a sequel's headline words read as a reaction's, a sequel's story kept
out of merges, a cold window counted as 45 items) the same code scored 0.68 with 8 alone and
0.69 with 15 in the crowd. The floors keep the figures from regressing; hard negatives are the
weak side here.
"""

from __future__ import annotations

from bot.matching import Analyzer
from tests.stories.scoring import score
from tests.stories.sets import grouping

# What the grouper merged on first sight of the set, alone and among unrelated news: it may
# only fall.
RECORDED_HARD_NEGATIVES = 5
RECORDED_CROWD_HARD_NEGATIVES = 10


def test_the_evening_hour_alone_scores_at_least_the_recorded_pairwise_f1(
    analyzer: Analyzer,
) -> None:
    result = score(grouping("eveninghour", analyzer), "eveninghour")
    assert result.hard_negatives == 31
    assert result.f1 >= 0.66, result
    assert result.hard_negatives_merged <= RECORDED_HARD_NEGATIVES, result


def test_the_evening_hour_among_unrelated_news_scores_at_least_the_recorded_pairwise_f1(
    analyzer: Analyzer,
) -> None:
    result = score(grouping("eveninghour", analyzer, crowded=True), "eveninghour")
    assert result.f1 >= 0.82, result
    assert result.hard_negatives_merged <= RECORDED_CROWD_HARD_NEGATIVES, result
