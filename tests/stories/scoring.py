"""Pairwise scoring of a grouping against the labelled set, as ../shared/stories/score.py
does it (same pairs, same ignored pairs, same hard-negative count), as a function."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from tests.support.paths import STORIES


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    hard_negatives_merged: int
    hard_negatives: int


def read(name: str) -> list[dict[str, object]]:
    """The rows of a labelled file; a set without such a file has none."""
    path = STORIES / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def _ids(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(x) for x in value]


def score(predicted: list[list[str]], labelled: str = "dev") -> Score:
    """Score against the set whose files start with `labelled` ("dev", "synthetic")."""
    gold = read(f"{labelled}-gold.jsonl")
    ambiguous = read(f"{labelled}-ambiguous.jsonl")
    hard = read(f"{labelled}-hard-negatives.jsonl")
    positive = _pairs([_ids(g["items"]) for g in gold])
    ignore: set[frozenset[str]] = set()
    for g in gold:
        members = _ids(g["items"]) + _ids(g.get("uncertain", []))
        for u in _ids(g.get("uncertain", [])):
            ignore |= {frozenset((u, x)) for x in members if x != u}
    for a in ambiguous:
        ignore |= _pairs([_ids(a["items"])])
    ignore -= positive
    got = _pairs(predicted)
    tp, fp = len(got & positive), len(got - positive - ignore)
    fn = len(positive - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    where = {x: k for k, g in enumerate(predicted) for x in g}
    cases = [(_ids(h["items"])[0], _ids(h["items"])[1:2]) for h in hard] + [
        (h, _ids(g["items"])) for g in gold for h in _ids(g.get("hard_negatives", []))
    ]
    merged = sum(1 for h, xs in cases if h in where and any(where.get(x) == where[h] for x in xs))
    return Score(p, r, f, merged, len(cases))
