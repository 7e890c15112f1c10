"""Logging set-up: readable lines for a terminal, or one JSON object a line for a collector.

With LOG_FORMAT=json every line is an object with `time` (UTC, ISO 8601), `level`, `logger`
and `message`, plus whichever of `chat_id`, `feed_id`, `item_id`, `delivery_id` the log call
passed as `extra={...}` (a log search can then follow one chat or one delivery), and
`exception` with the traceback when there is one. Standard library only: the format is small
and a dependency would only add ways for logging itself to fail.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TextIO

__all__ = ["IDS", "JsonFormatter", "delivery_ids", "setup_logging"]

IDS = ("chat_id", "feed_id", "item_id", "delivery_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Delivery(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def item_id(self) -> int: ...


def delivery_ids(delivery: _Delivery) -> dict[str, int]:
    """`extra=` for a log line about one delivery."""
    return {"delivery_id": delivery.id, "chat_id": delivery.chat_id, "item_id": delivery.item_id}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in IDS:
            value = record.__dict__.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an id passed as something odd still logs instead of raising.
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(
    level: str, log_format: Literal["text", "json"], stream: TextIO | None = None
) -> None:
    """The root logger writes to stderr (or `stream`) in the chosen format; aiogram's and
    aiohttp's loggers go through it too."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
