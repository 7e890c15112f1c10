"""The plain data the grouper consumes: what an outlet published, nothing derived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One published report. `published` must be timezone-aware: outlets publish in many
    zones and the window is measured in absolute time."""

    id: str
    outlet: str
    published: datetime
    title: str
    text: str
    link: str = ""
