"""The alias table and spellings, scored on the project's own labelled set
(tests/data/matching/alias_cases.jsonl: written for this project from news-like sentences,
separate from the development set). Every case must hold: positives (another name, a Latin
spelling, a word form of either) and traps (words that look like a name and are not)."""

from __future__ import annotations

import json
from collections import Counter

from bot.matching import Analyzer, parse_query
from tests.support.paths import MATCHING

ALIAS_CASES = MATCHING / "alias_cases.jsonl"
CLASSES = {
    "country",
    "body",
    "bank",
    "ministry",
    "agency",
    "party",
    "company",
    "project",
    "person",
    "opt-out",
}


def _cases() -> list[dict[str, object]]:
    return [json.loads(line) for line in ALIAS_CASES.read_text("utf-8").splitlines() if line]


def test_the_labelled_set_covers_every_class_with_positives_and_traps() -> None:
    cases = _cases()
    assert len(cases) >= 150
    seen = Counter((case["class"], case["match"]) for case in cases)
    missing = [(c, m) for c in sorted(CLASSES) for m in (True, False) if not seen[(c, m)]]
    assert not missing, f"no cases for {missing}"
    assert {case["class"] for case in cases} == CLASSES


def test_every_alias_case_is_matched_as_labelled(analyzer: Analyzer) -> None:
    cases = _cases()
    tp = fp = fn = 0
    wrong: list[str] = []
    for case in cases:
        query, text = str(case["query"]), str(case["text"])
        fired = parse_query(query, analyzer).match(analyzer.document(text)) is not None
        tp += fired and bool(case["match"])
        fp += fired and not case["match"]
        fn += not fired and bool(case["match"])
        if fired != case["match"]:
            wrong.append(f"#{case['id']} {query!r} on {text!r} ({case['note']})")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    report = f"precision={precision:.3f} recall={recall:.3f} on {len(cases)} cases"
    assert not wrong, report + "; wrong:\n" + "\n".join(wrong)
