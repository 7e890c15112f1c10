"""Operators name channels in FEEDS as chats do; the preview base is a setting of its own."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.support.botapi import TEST_TOKEN


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, **values)  # type: ignore[call-arg]


def test_channels_in_feeds_become_their_preview_addresses_once_each() -> None:
    feeds = (
        "@Newsroom_Demo, https://lenta.ru/rss/news, t.me/s/newsroom_demo, https://t.me/tass_agency"
    )
    assert settings(FEEDS=feeds).feeds == [
        "https://t.me/s/newsroom_demo",
        "https://lenta.ru/rss/news",
        "https://t.me/s/tass_agency",
    ]


def test_a_telegram_link_that_is_no_public_channel_is_refused_in_feeds() -> None:
    with pytest.raises(ValidationError, match="not a public channel"):
        settings(FEEDS="https://t.me/+AbCdEfGhIjK12345")


def test_the_preview_base_defaults_to_telegrams_and_always_ends_with_a_slash() -> None:
    assert settings().telegram_channel_preview_url == "https://t.me/s/"
    base = settings(TELEGRAM_CHANNEL_PREVIEW_URL="http://127.0.0.1:8080/s")
    assert base.telegram_channel_preview_url == "http://127.0.0.1:8080/s/"


def test_a_preview_base_that_is_no_web_address_is_refused() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_CHANNEL_PREVIEW_URL"):
        settings(TELEGRAM_CHANNEL_PREVIEW_URL="t.me/s/")
