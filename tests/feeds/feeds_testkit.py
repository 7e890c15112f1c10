"""Helpers for the feed tests: sample files and a local aiohttp server on 127.0.0.1:0."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
FETCHED_AT = datetime(2026, 2, 3, 12, 0, tzinfo=UTC)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


@asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[TestServer]:
    """Serve ``routes`` (path -> handler) on 127.0.0.1 with an OS-chosen port."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()


def base_url(server: TestServer) -> str:
    return f"http://127.0.0.1:{server.port}"
