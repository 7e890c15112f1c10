"""Settings from the environment and `.env`; their names are a public interface."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.schedule import SchedulePolicy
from bot.timezones import DEFAULT_ZONE, find_zone
from bot.urls import typed_http_url

DEFAULT_FEEDS = (
    "https://www.interfax.ru/rss.asp",
    "https://tass.ru/rss/v2.xml",
    "https://ria.ru/export/rss2/archive/index.xml",
    "https://www.kommersant.ru/RSS/news.xml",
    "https://lenta.ru/rss/news",
    "https://rssexport.rbc.ru/rbcnews/news/30/full.rss",
)

# BotFather tokens are "<bot id>:<35 url-safe characters>"; test stand-ins use the same shape.
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,64}$")


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = Field(alias="BOT_TOKEN")
    telegram_api_url: str = Field("https://api.telegram.org", alias="TELEGRAM_API_URL")
    database_url: str = Field("sqlite:///data/alerts.sqlite3", alias="DATABASE_URL")
    feeds: Annotated[list[str], NoDecode] = Field(list(DEFAULT_FEEDS), alias="FEEDS")
    poll_interval_seconds: float = Field(120, alias="POLL_INTERVAL_SECONDS", gt=0)
    poll_adaptive: bool = Field(True, alias="POLL_ADAPTIVE")
    poll_min_interval_seconds: float = Field(15, alias="POLL_MIN_INTERVAL_SECONDS", gt=0)
    poll_max_interval_seconds: float = Field(1800, alias="POLL_MAX_INTERVAL_SECONDS", gt=0)
    poll_target_items: float = Field(0.5, alias="POLL_TARGET_ITEMS", gt=0, le=100)
    admin_ids: Annotated[list[int], NoDecode] = Field([], alias="ADMIN_IDS")
    allow_private_feed_hosts: bool = Field(False, alias="ALLOW_PRIVATE_FEED_HOSTS")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    retention_days: int = Field(30, alias="RETENTION_DAYS", ge=1)
    default_timezone: str = Field(DEFAULT_ZONE, alias="DEFAULT_TIMEZONE")
    fetch_concurrency: int = Field(20, alias="FETCH_CONCURRENCY", ge=1)
    fetch_connect_timeout: float = Field(10, alias="FETCH_CONNECT_TIMEOUT", gt=0)
    fetch_timeout: float = Field(30, alias="FETCH_TIMEOUT", gt=0)
    fetch_max_bytes: int = Field(10 * 1024 * 1024, alias="FETCH_MAX_BYTES", ge=1024)
    delivery_rate: float = Field(25, alias="DELIVERY_RATE", gt=0, le=30)
    delivery_max_attempts: int = Field(5, alias="DELIVERY_MAX_ATTEMPTS", ge=1)
    alerts_per_hour: int = Field(30, alias="ALERTS_PER_HOUR", ge=1)
    max_subscriptions_per_chat: int = Field(50, alias="MAX_SUBSCRIPTIONS_PER_CHAT", ge=1)
    max_feeds_per_chat: int = Field(20, alias="MAX_FEEDS_PER_CHAT", ge=0)
    item_max_chars: int = Field(20_000, alias="ITEM_MAX_CHARS", ge=500)
    feed_max_items_per_day: int = Field(1_000, alias="FEED_MAX_ITEMS_PER_DAY", ge=1)
    # Later reports of a story within this many hours of its first edit its alert instead of
    # pushing again; 0 turns story grouping off for every chat.
    story_window_hours: float = Field(24, alias="STORY_WINDOW_HOURS", ge=0, le=168)

    @model_validator(mode="after")
    def _poll_bounds(self) -> Settings:
        if self.poll_min_interval_seconds > self.poll_max_interval_seconds:
            raise ValueError("POLL_MIN_INTERVAL_SECONDS is above POLL_MAX_INTERVAL_SECONDS")
        return self

    def schedule_policy(self) -> SchedulePolicy:
        """The poll schedule these settings ask for (see bot/schedule.py)."""
        return SchedulePolicy(
            base=self.poll_interval_seconds,
            minimum=self.poll_min_interval_seconds,
            maximum=self.poll_max_interval_seconds,
            target=self.poll_target_items,
            adaptive=self.poll_adaptive,
        )

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("empty; get a token from @BotFather and put it in .env")
        if not _TOKEN.match(value):
            raise ValueError("does not look like a token from @BotFather (123456:ABC…)")
        return value

    @field_validator("feeds", "admin_ids", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if typed_http_url(url) != url:
                raise ValueError(f"FEEDS entry {url!r} is not an http(s) URL")
        return list(dict.fromkeys(value))

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if find_zone(value) is None:
            raise ValueError(f"unknown time zone {value!r}")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level
