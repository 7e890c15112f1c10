"""The engine is scored on the labelled development set; precision and recall must both reach
0.98. The set is copied from ../shared/matching/dev_cases.jsonl unchanged."""

from __future__ import annotations

import json

from bot.matching import Analyzer, parse_query
from tests.support.paths import MATCHING

DEV_CASES = MATCHING / "dev_cases.jsonl"


def test_precision_and_recall_on_dev_cases(analyzer: Analyzer) -> None:
    cases = [json.loads(line) for line in DEV_CASES.read_text("utf-8").splitlines() if line]
    assert len(cases) > 50
    tp = fp = fn = 0
    wrong: list[str] = []
    for case in cases:
        got = parse_query(case["query"], analyzer).match(analyzer.document(case["text"]))
        fired = got is not None
        tp += fired and case["match"]
        fp += fired and not case["match"]
        fn += not fired and case["match"]
        if fired != case["match"]:
            wrong.append(f"#{case['id']} {case['query']!r} ({case['note']})")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    report = f"precision={precision:.3f} recall={recall:.3f} on {len(cases)} cases; wrong: {wrong}"
    print(report)
    assert precision >= 0.98 and recall >= 0.98, report
