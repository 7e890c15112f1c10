"""Where the repository and the test data live: sample feeds, matching corpora, story sets."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
FEEDS = DATA / "feeds"
MATCHING = DATA / "matching"
STORIES = DATA / "stories"


def sample(name: str) -> bytes:
    """A sample feed file's bytes, as a server would send them."""
    return (FEEDS / name).read_bytes()
