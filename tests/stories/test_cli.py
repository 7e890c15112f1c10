"""The measuring point: JSON lines in, one JSON line per story out, every id exactly once."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.stories.cli import run_stories
from tests.support.paths import ROOT, STORIES


def run(path: Path | str) -> tuple[int, list[list[str]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_stories(str(path), out=out, err=err)
    stories = [json.loads(line)["items"] for line in out.getvalue().splitlines()]
    return code, stories, err.getvalue()


def test_every_input_id_appears_in_exactly_one_story_singletons_included() -> None:
    code, stories, err = run(STORIES / "dev-items.jsonl")
    with (STORIES / "dev-items.jsonl").open(encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f if line.strip()]
    counts = Counter(x for story in stories for x in story)
    assert code == 0 and err == ""
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}
    assert any(len(story) == 1 for story in stories)


def test_ids_in_a_story_are_in_publication_order_whatever_the_file_order(
    tmp_path: Path,
) -> None:
    title = "Глава МЧС Зиничев прилетел в подтопленный Демянский район"
    rows = [
        {
            "id": "late",
            "outlet": "B",
            "published": "2024-03-01T09:10:00+00:00",
            "title": title,
            "text": "",
            "link": "",
        },
        {
            "id": "early",
            "outlet": "A",
            "published": "2024-03-01T12:05:00+03:00",
            "title": title,
            "text": "",
            "link": "",
        },
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    code, stories, _ = run(path)
    assert code == 0
    assert stories == [["early", "late"]]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        ('{"id": "x", "outlet": "A", "title": "t", "text": ""}', "field 'published'"),
        (
            '{"id": "x", "outlet": "A", "published": "yesterday", "title": "t", "text": ""}',
            "not an ISO 8601 time",
        ),
        (
            '{"id": "x", "outlet": "A", "published": "2024-03-01T09:00:00", "title": "t",'
            ' "text": ""}',
            "has no time zone",
        ),
        (
            '{"id": "a", "outlet": "A", "published": "2024-03-01T09:00:00Z", "title": "t",'
            ' "text": ""}',
            "repeats an earlier item",
        ),
    ],
)
def test_a_bad_line_is_named_in_one_line_on_stderr_and_nothing_is_printed(
    tmp_path: Path, line: str, message: str
) -> None:
    good = (
        '{"id": "a", "outlet": "A", "published": "2024-03-01T09:00:00Z", "title": "t", "text": ""}'
    )
    path = tmp_path / "items.jsonl"
    path.write_text(good + "\n" + line + "\n", "utf-8")
    code, stories, err = run(path)
    assert code == 2
    assert stories == []
    assert message in err and err.count("\n") == 1


def test_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "absent.jsonl")
    assert code == 2
    assert "cannot read" in err and err.count("\n") == 1


def test_python_m_bot_stories_is_the_measuring_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stories", "--items", str(STORIES / "dev-items.jsonl")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stories = [json.loads(line)["items"] for line in done.stdout.splitlines()]
    ids = [i for story in stories for i in story]
    assert len(ids) == len(set(ids)) == 192
