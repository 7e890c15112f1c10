"""Settings from the environment and `.env`; their names are a public interface."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
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

# Telegram's secret_token: 1-256 of these characters (it comes back in a request header).
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Paths the health and metrics server answers; a webhook sharing its address may not take them.
OPS_PATHS = frozenset({"/healthz", "/metrics"})

Listen = tuple[str, int]
DEFAULT_WEBHOOK_LISTEN: Listen = ("0.0.0.0", 8080)

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


def parse_listen(value: str) -> Listen:
    """'host:port' ('[::]:port' for IPv6; ':port' for every IPv4 address)."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{value!r} is not host:port (for example 0.0.0.0:8080)")
    if host.startswith("["):
        if not host.endswith("]"):
            raise ValueError(f"{value!r} is not host:port (IPv6 as [::1]:8080)")
        host = host[1:-1]
    return host or "0.0.0.0", int(port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _webhook_url(value: str) -> str:
    """Telegram posts updates only to https URLs; a self-hosted Bot API server (and the tests'
    stand-in) also to plain http, which makes sense only on the same machine: loopback."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL ({exc})") from None
    if not host or parts.scheme not in ("https", "http"):
        raise ValueError(f"{value!r} is not an https URL")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValueError(
            f"{value!r}: Telegram sends updates only to https URLs (http only to 127.0.0.1)"
        )
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
    # «Отложить» under an alert: the short snooze, in minutes (the other is until 08:00).
    snooze_minutes: float = Field(60, alias="SNOOZE_MINUTES", gt=0, le=1440)
    # Full text of articles (bot/fulltext): how long an alert may wait for its page, pages at
    # once per site, characters kept of a page's text, and the "auto" mode's threshold (a feed
    # whose items carry, on median, fewer characters than this gets its pages fetched).
    fulltext_timeout_seconds: float = Field(10, alias="FULLTEXT_TIMEOUT_SECONDS", gt=0, le=60)
    fulltext_per_host: int = Field(2, alias="FULLTEXT_PER_HOST", ge=1, le=20)
    fulltext_max_chars: int = Field(20_000, alias="FULLTEXT_MAX_CHARS", ge=500)
    fulltext_min_feed_chars: int = Field(1_200, alias="FULLTEXT_MIN_FEED_CHARS", ge=0)
    # Webhook mode (bot/webhook.py): set WEBHOOK_URL and Telegram posts updates there instead
    # of the bot polling for them; WEBHOOK_SECRET is checked on every request.
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL")
    webhook_secret: str | None = Field(None, alias="WEBHOOK_SECRET")
    webhook_listen: Annotated[Listen, NoDecode] = Field(
        DEFAULT_WEBHOOK_LISTEN, alias="WEBHOOK_LISTEN"
    )
    # /healthz and /metrics (bot/health.py, bot/metrics.py); not served when unset.
    metrics_listen: Annotated[Listen | None, NoDecode] = Field(None, alias="METRICS_LISTEN")
    log_format: Literal["text", "json"] = Field("text", alias="LOG_FORMAT")

    @model_validator(mode="after")
    def _poll_bounds(self) -> Settings:
        if self.poll_min_interval_seconds > self.poll_max_interval_seconds:
            raise ValueError("POLL_MIN_INTERVAL_SECONDS is above POLL_MAX_INTERVAL_SECONDS")
        return self

    @model_validator(mode="after")
    def _webhook(self) -> Settings:
        if self.webhook_url is None:
            return self
        if self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is not set: webhook mode needs it, so that only Telegram can "
                "post updates (1-256 characters: A-Z a-z 0-9 _ -)"
            )
        if self.metrics_listen == self.webhook_listen and self.webhook_path in OPS_PATHS:
            raise ValueError(
                f"WEBHOOK_URL's path {self.webhook_path} is served by METRICS_LISTEN on the "
                "same address: choose another path"
            )
        return self

    @property
    def webhook_path(self) -> str:
        """Where the webhook is served: WEBHOOK_URL's path (a proxy must pass it unchanged)."""
        return urlsplit(self.webhook_url or "").path or "/"

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

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        """Checked at start so a typo is not found only when the database is opened."""
        url = value.strip()
        scheme, sep, rest = url.partition("://")
        if not sep:
            return url  # a bare path: SQLite
        if (scheme == "sqlite" and rest.startswith("/")) or (
            scheme in {"postgresql", "postgres"} and rest
        ):
            return url
        raise ValueError("DATABASE_URL must be sqlite:///path or postgresql://user@host:port/db")

    @field_validator("webhook_url", "webhook_secret", mode="before")
    @classmethod
    def _unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_listen", "metrics_listen", mode="before")
    @classmethod
    def _listen_address(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            if not value.strip():  # empty: the default (none for METRICS_LISTEN)
                return DEFAULT_WEBHOOK_LISTEN if info.field_name == "webhook_listen" else None
            return parse_listen(value)
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str | None) -> str | None:
        return None if value is None else _webhook_url(value.strip())

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        if value is not None and not _WEBHOOK_SECRET.match(value):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule)")
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

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
