"""Settings from the environment and `.env`; their names are a public interface."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.channels.names import DEFAULT_PREVIEW_BASE, channel_reference, feed_url
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


def _channel_feed(entry: str) -> str:
    """A FEEDS entry naming a Telegram channel (@name, a t.me link) as the channel's feed URL."""
    reference = channel_reference(entry)
    if reference is None:
        return entry
    if reference.name is None:
        raise ValueError(f"FEEDS entry {entry!r} is a Telegram link but not a public channel")
    return feed_url(reference.name)


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
    # The operator's alias file (TOML, like bot/matching/aliases/entities.toml), merged over
    # the built-in table; checked here, so a broken file stops the bot at start.
    aliases_file: Path | None = Field(None, alias="ALIASES_FILE")
    # Where public channels' pages are read (`<base><name>`): Telegram's web preview.
    telegram_channel_preview_url: str = Field(
        DEFAULT_PREVIEW_BASE, alias="TELEGRAM_CHANNEL_PREVIEW_URL"
    )
    # Later reports of a story within this many hours of its first edit its alert instead of
    # pushing again; 0 turns story grouping off for every chat.
    story_window_hours: float = Field(24, alias="STORY_WINDOW_HOURS", ge=0, le=168)
    # Full text of articles (bot/fulltext): how long an alert may wait for its page, pages at
    # once per site, characters kept of a page's text, and the "auto" mode's threshold (a feed
    # whose items carry, on median, fewer characters than this gets its pages fetched).
    fulltext_timeout_seconds: float = Field(10, alias="FULLTEXT_TIMEOUT_SECONDS", gt=0, le=60)
    fulltext_per_host: int = Field(2, alias="FULLTEXT_PER_HOST", ge=1, le=20)
    fulltext_max_chars: int = Field(20_000, alias="FULLTEXT_MAX_CHARS", ge=500)
    fulltext_min_feed_chars: int = Field(1_200, alias="FULLTEXT_MIN_FEED_CHARS", ge=0)

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
        value = [_channel_feed(entry) for entry in value]
        for url in value:
            if typed_http_url(url) != url:
                raise ValueError(f"FEEDS entry {url!r} is not an http(s) URL")
        return list(dict.fromkeys(value))

    @field_validator("telegram_channel_preview_url")
    @classmethod
    def _preview_base(cls, value: str) -> str:
        base = typed_http_url(value)
        if base is None:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return base if base.endswith("/") else base + "/"

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

    @field_validator("aliases_file", mode="before")
    @classmethod
    def _no_aliases(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("aliases_file")
    @classmethod
    def _aliases(cls, value: Path | None) -> Path | None:
        from bot.matching.aliases.table import AliasFileError, load_table

        if value is not None:
            try:
                load_table(value)
            except AliasFileError as exc:
                raise ValueError(str(exc)) from exc
        return value
