"""Telegram's broadcast limits as the stand-in enforces them, as sliding windows.

Only accepted messages occupy a window; a refused (429) attempt does not, as with Telegram.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    overall_per_second: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20
    group_window: float = 60.0


@dataclass
class TelegramWindows:
    limits: Limits = field(default_factory=Limits)
    _overall: deque[float] = field(default_factory=deque)
    _chats: dict[int, deque[float]] = field(default_factory=dict)

    def check(self, chat_id: int, is_group: bool, now: float) -> int | None:
        """Seconds to wait (Telegram's integer retry_after) or None if the message may go."""
        waits: list[float] = []
        overall = self._overall
        while overall and overall[0] <= now - 1.0:
            overall.popleft()
        if len(overall) >= self.limits.overall_per_second:
            waits.append(overall[len(overall) - self.limits.overall_per_second] + 1.0 - now)
        sent = self._chats.setdefault(chat_id, deque())
        window = self.limits.group_window if is_group else self.limits.private_interval
        cap = self.limits.group_per_minute if is_group else 1
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) >= cap:
            waits.append(sent[len(sent) - cap] + window - now)
        if not waits:
            return None
        return max(1, math.ceil(max(waits)))

    def record(self, chat_id: int, now: float) -> None:
        self._overall.append(now)
        self._chats.setdefault(chat_id, deque()).append(now)
