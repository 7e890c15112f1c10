"""What the fetcher reads from a response besides its status: a capped body, Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["BodyTooLarge", "format_size", "parse_retry_after", "read_capped"]


class BodyTooLarge(Exception):
    """The (decompressed) body passed the byte limit; reading stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {format_size(limit)}")
        self.limit = limit


def format_size(n: int) -> str:
    """Human-readable byte count for error messages ("10 MiB", "512 KiB", "1000 bytes")."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


async def read_capped(chunks: AsyncIterator[bytes], max_bytes: int) -> bytes:
    """Join ``chunks`` but raise :class:`BodyTooLarge` as soon as they exceed ``max_bytes``.

    Counting happens on what the iterator yields, i.e. after aiohttp's decompression, so a
    small gzip bomb is stopped after ``max_bytes`` of output, not after its compressed size.
    """
    buffer = bytearray()
    async for chunk in chunks:
        if len(buffer) + len(chunk) > max_bytes:
            raise BodyTooLarge(max_bytes)
        buffer += chunk
    return bytes(buffer)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date.

    Garbage gives None (the caller falls back to plain backoff); a date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
