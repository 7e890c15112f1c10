"""Fixtures for delivery: a real aiogram Bot over HTTP against the Bot API stand-in and a
database seeded through the Repository."""

from __future__ import annotations

import pytest

from bot.clock import utc_now
from storage import Repository
from tests.delivery.delivery_kit import Seeder


@pytest.fixture
def seed(repo: Repository) -> Seeder:
    return Seeder(repo, utc_now)
