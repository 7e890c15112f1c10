"""Digests and quiet hours: when a held alert may go, and the one message that carries them."""

from bot.digests.compose import DigestPart, compose_part
from bot.digests.holding import Holding
from bot.digests.rule import Plan, hold_until, in_quiet_hours, next_wall_time, plan_for

__all__ = [
    "DigestPart",
    "Holding",
    "Plan",
    "compose_part",
    "hold_until",
    "in_quiet_hours",
    "next_wall_time",
    "plan_for",
]
