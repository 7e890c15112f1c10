"""Where the test data lives: sample feeds, matching corpora, story sets."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FEEDS = DATA / "feeds"


def sample(name: str) -> bytes:
    """A sample feed file's bytes, as a server would send them."""
    return (FEEDS / name).read_bytes()
