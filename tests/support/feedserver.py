"""Feeds served on 127.0.0.1 for fetcher, poller and whole-bot tests (never the internet).

One way to serve (`serve` / `LocalServer`) and one way to answer a conditional GET
(`feed_response`: a content-derived ETag, 304 when the client already has it), as agencies'
servers do. `FeedSite` is one feed whose content a test changes between polls.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LocalServer:
    """An aiohttp app on 127.0.0.1 at a port the OS picks; hanging handlers do not hold up
    `close` for more than half a second."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self._app = web.Application()
        for path, handler in routes.items():
            self._app.router.add_route("*", path, handler)
        self._runner = web.AppRunner(self._app, shutdown_timeout=0.5, access_log=None)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> LocalServer:
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        await self._runner.cleanup()


@asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[LocalServer]:
    """Serve ``routes`` (path -> handler) for the duration of the block."""
    server = await LocalServer(routes).start()
    try:
        yield server
    finally:
        await server.close()


def base_url(server: LocalServer) -> str:
    return server.url


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def feed_response(
    request: web.Request, body: bytes, content_type: str, headers: dict[str, str] | None = None
) -> web.Response:
    """200 with the feed and its ETag, or 304 when the request names that ETag."""
    etag = etag_of(body)
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers={"ETag": etag})
    return web.Response(
        body=body, headers={"Content-Type": content_type, "ETag": etag, **(headers or {})}
    )


@dataclass
class FeedSite:
    """Serves `body` at /feed; `status` other than 200 answers with that error instead."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    server: LocalServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"{self.server.url}/feed"

    def etag(self) -> str:
        return etag_of(self.body)

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        if self.status != 200:
            return web.Response(status=self.status, text="error", headers=self.headers)
        return feed_response(request, self.body, self.content_type, self.headers)
