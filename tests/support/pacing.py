"""A message budget without Telegram's pacing, for tests about something else.

The running bot spaces a chat's messages a second apart (bot/delivery/budget.py). Tests of
handlers or of the delivery queue send several messages to one chat in a row and would sleep
on that spacing; they use this budget instead, and the pacing has tests of its own
(tests/delivery/test_send_budget.py, test_throttle.py) and end-to-end ones with the limits on.
"""

from __future__ import annotations

import time

from bot.delivery import DeliveryLimits, SendBudget
from bot.delivery.limits import Monotonic

UNPACED = DeliveryLimits(rate=1000.0, chat_interval=0.0, margin=0.0, window_cap=1000)


def unpaced_budget(clock: Monotonic = time.monotonic) -> SendBudget:
    return SendBudget(UNPACED, clock)
