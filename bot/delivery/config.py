"""The delivery worker's knobs: what each of its parts needs, and nothing else of `Settings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.backoff import doubled
from bot.config import Settings

__all__ = ["Backoff", "DeliveryConfig"]


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff for transient failures: base, base*2, base*4 … capped."""

    base: float = 2.0
    cap: float = 600.0

    def delay(self, attempts: int) -> float:
        return doubled(self.base, attempts - 1, cap=self.cap)


@dataclass(frozen=True)
class DeliveryConfig:
    alerts_per_hour: int = 30  # the flood guard: more in an hour are held back and announced
    max_attempts: int = 5  # transient failures before a delivery is marked failed
    default_timezone: str = "Europe/Moscow"  # for chats whose stored zone no longer loads
    backoff: Backoff = field(default_factory=Backoff)
    request_timeout: int = 20  # seconds one sendMessage may take
    batch_size: int = 200  # due deliveries read per scheduling pass
    max_in_flight: int = 64  # sends running at once, across chats
    stop_grace: float = 1.5  # seconds in-flight sends get to finish on stop
    idle_poll: float = 5.0  # longest sleep between passes when nothing is due

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> DeliveryConfig:
        values: dict[str, Any] = {
            "alerts_per_hour": settings.alerts_per_hour,
            "max_attempts": settings.delivery_max_attempts,
            "default_timezone": settings.default_timezone,
        }
        values.update(overrides)
        return cls(**values)
