"""Fetcher against real local HTTP servers (127.0.0.1, port 0): limits, errors, conditional GET."""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import pytest
from aiohttp import web

from bot.feeds import fetch_and_parse
from bot.feeds.fetcher import (
    DEFAULT_USER_AGENT,
    BodyTooLarge,
    Fetcher,
    FetchLimits,
    FetchResult,
    make_session,
    parse_retry_after,
    read_capped,
)
from tests.feeds.feeds_testkit import FETCHED_AT
from tests.support.feedserver import base_url, serve
from tests.support.paths import sample

MiB = 1024 * 1024


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with make_session(FetchLimits()) as client:
        yield client


async def fetch(
    session: aiohttp.ClientSession, url: str, limits: FetchLimits | None = None
) -> FetchResult:
    return await Fetcher(session, limits or FetchLimits()).fetch(url)


async def test_lenta_over_http_parses_with_user_agent_and_cyrillic(
    session: aiohttp.ClientSession,
) -> None:
    seen: dict[str, str] = {}

    async def feed(request: web.Request) -> web.Response:
        seen["ua"] = request.headers["User-Agent"]
        return web.Response(
            body=sample("lenta-2022-12-03.koi8r.xml"),
            headers={"Content-Type": "application/rss+xml; charset=koi8-r"},
        )

    async with serve({"/rss": feed}) as server:
        result, parsed = await fetch_and_parse(
            Fetcher(session, FetchLimits()), f"{base_url(server)}/rss", fetched_at=FETCHED_AT
        )
    assert result.ok and result.status == 200
    assert seen["ua"] == DEFAULT_USER_AGENT and "NewsAlertBot" in seen["ua"]
    assert parsed is not None and parsed.error is None
    assert len(parsed.items) == 198
    assert parsed.items[0].title.startswith("Стало известно о задержании")


async def test_conditional_get_round_trip_gives_304_without_body(
    session: aiohttp.ClientSession,
) -> None:
    etag, modified = '"v1-abc"', "Sat, 03 Dec 2022 16:50:00 GMT"
    received: list[tuple[str | None, str | None]] = []

    async def feed(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"))
        )
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=sample("lenta-2021-10-03.xml"),
            headers={"ETag": etag, "Last-Modified": modified, "Content-Type": "text/xml"},
        )

    async with serve({"/rss": feed}) as server:
        fetcher = Fetcher(session, FetchLimits())
        first = await fetcher.fetch(f"{base_url(server)}/rss")
        assert first.ok and first.body and first.etag == etag
        assert first.last_modified == modified
        second, parsed = await fetch_and_parse(
            fetcher,
            f"{base_url(server)}/rss",
            etag=first.etag,
            last_modified=first.last_modified,
        )
    assert received == [(None, None), (etag, modified)]
    assert second.ok and second.not_modified and second.status == 304
    assert second.body is None and parsed is None  # a 304 costs no parsing
    assert (second.etag, second.last_modified) == (etag, modified)


@pytest.mark.parametrize(
    ("status", "error"), [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found")]
)
async def test_http_errors(session: aiohttp.ClientSession, status: int, error: str) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=status, text="oops")

    async with serve({"/rss": broken}) as server:
        result = await fetch(session, f"{base_url(server)}/rss")
    assert (result.ok, result.status, result.body, result.error) == (False, status, None, error)


async def test_retry_after_on_429_and_503(session: aiohttp.ClientSession) -> None:
    later = datetime.now(UTC) + timedelta(seconds=120)

    async def limited(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "90"})

    async def unavailable(request: web.Request) -> web.Response:
        return web.Response(status=503, headers={"Retry-After": format_datetime(later, True)})

    async with serve({"/429": limited, "/503": unavailable}) as server:
        too_many = await fetch(session, f"{base_url(server)}/429")
        down = await fetch(session, f"{base_url(server)}/503")
    assert too_many.error == "HTTP 429 Too Many Requests" and too_many.retry_after == 90
    assert down.retry_after is not None and 100 < down.retry_after <= 120


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Tue, 03 Feb 2026 12:05:00 GMT", 300.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("-5", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=FETCHED_AT) == expected


async def test_total_timeout(session: aiohttp.ClientSession) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late")

    async with serve({"/slow": slow}) as server:
        result = await fetch(session, f"{base_url(server)}/slow", FetchLimits(total_timeout=0.2))
    assert result.error == "timed out after 0.2 s" and result.status is None


async def test_timeout_while_the_body_trickles(session: aiohttp.ClientSession) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        for _ in range(50):
            await response.write(b"<")
            await asyncio.sleep(0.1)
        return response

    async with serve({"/t": trickle}) as server:
        result = await fetch(session, f"{base_url(server)}/t", FetchLimits(total_timeout=0.3))
    assert result.error == "timed out after 0.3 s"


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and now is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await fetch(session, f"http://127.0.0.1:{port}/rss")
    assert (result.error, result.status, result.body) == ("connection refused", None, None)


async def test_empty_body_and_html_page_fail_in_the_parser(
    session: aiohttp.ClientSession,
) -> None:
    async def empty(request: web.Request) -> web.Response:
        return web.Response(body=b"", content_type="application/rss+xml")

    async def html(request: web.Request) -> web.Response:
        return web.Response(
            text="<!doctype html><html><body>Hi</body></html>", content_type="text/html"
        )

    async with serve({"/empty": empty, "/html": html}) as server:
        fetcher = Fetcher(session, FetchLimits())
        _, parsed_empty = await fetch_and_parse(fetcher, f"{base_url(server)}/empty")
        _, parsed_html = await fetch_and_parse(fetcher, f"{base_url(server)}/html")
    assert parsed_empty is not None and parsed_empty.error == "empty body"
    assert parsed_html is not None and parsed_html.error == "not a feed: got an HTML page"


async def _stream_forever(
    request: web.Request, chunk: bytes, total: int, headers: dict[str, str]
) -> web.StreamResponse:
    response = web.StreamResponse(headers=headers)
    await response.prepare(request)
    sent = 0
    try:
        while sent < total:
            await response.write(chunk)
            sent += len(chunk)
        await response.write_eof()
    except (ConnectionError, RuntimeError):
        pass  # the client hung up at its limit, as it should
    return response


async def test_50_mib_body_is_cut_at_the_10_mib_default(session: aiohttp.ClientSession) -> None:
    async def huge(request: web.Request) -> web.StreamResponse:
        # Chunked (no Content-Length), so the limit is enforced while reading, not up front.
        return await _stream_forever(
            request, b"<" * MiB, 50 * MiB, {"Content-Type": "application/rss+xml"}
        )

    async with serve({"/huge": huge}) as server:
        result = await fetch(session, f"{base_url(server)}/huge")
    assert result.error == "body larger than 10 MiB" and result.body is None


async def test_declared_oversized_content_length_is_refused_before_reading(
    session: aiohttp.ClientSession,
) -> None:
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 2048, content_type="application/rss+xml")

    async with serve({"/big": big}) as server:
        result = await fetch(session, f"{base_url(server)}/big", FetchLimits(max_bytes=1024))
    assert result.error == "body larger than 1 KiB"


def _gzip_bomb(uncompressed: int) -> tuple[bytes, list[bytes], bytes]:
    """A gzip stream of ``uncompressed`` zero bytes, built from one repeated deflate block.

    After Z_FULL_FLUSH the compressor state is reset, so every 1 MiB of zeros compresses to the
    same bytes: compress one MiB once and repeat it (1 GiB -> ~1 MB in milliseconds).
    """
    block = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(uncompressed // MiB):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first
    trailer = tail + struct.pack("<II", crc, uncompressed & 0xFFFFFFFF)
    return header, [repeated] * (uncompressed // MiB - 1), trailer


def test_gzip_bomb_generator_is_a_real_gzip_stream() -> None:
    head, middle, tail = _gzip_bomb(4 * MiB)
    assert gzip.decompress(head + b"".join(middle) + tail) == bytes(4 * MiB)


async def test_gzip_bomb_is_cut_after_decompression(session: aiohttp.ClientSession) -> None:
    head, middle, tail = _gzip_bomb(1024 * MiB)  # 1 GiB of zeros, ~1 MB on the wire
    assert len(head) + sum(map(len, middle)) + len(tail) < 2 * MiB

    async def bomb(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}
        )
        await response.prepare(request)
        try:
            for piece in [head, *middle, tail]:
                await response.write(piece)
            await response.write_eof()
        except (ConnectionError, RuntimeError):
            pass
        return response

    async with serve({"/bomb": bomb}) as server:
        tracemalloc.start()
        try:
            result = await fetch(session, f"{base_url(server)}/bomb")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert result.error == "body larger than 10 MiB"
    assert peak < 64 * MiB  # nowhere near the 1 GiB it inflates to


async def test_read_capped_default_limit_is_exactly_10_mib() -> None:
    limit = FetchLimits().max_bytes
    assert limit == 10 * MiB

    async def chunks(total: int) -> AsyncIterator[bytes]:
        for _ in range(total // (64 * 1024)):
            yield bytes(64 * 1024)

    assert len(await read_capped(chunks(limit), limit)) == limit  # exactly at the limit: fine
    with pytest.raises(BodyTooLarge, match="body larger than 10 MiB"):
        await read_capped(chunks(limit + 64 * 1024), limit)


async def test_redirects_are_followed_up_to_the_limit(session: aiohttp.ClientSession) -> None:
    async def hop(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        if n == 0:
            return web.Response(body=sample("interfax-sample.xml"), content_type="text/xml")
        raise web.HTTPFound(f"/hop/{n - 1}")

    async with serve({"/hop/{n}": hop}) as server:
        five = await fetch(session, f"{base_url(server)}/hop/5")
        six = await fetch(session, f"{base_url(server)}/hop/6")
        loop_ = await fetch(session, f"{base_url(server)}/hop/6", FetchLimits(max_redirects=0))
    assert five.ok and five.url.endswith("/hop/0") and five.body
    assert six.error == "too many redirects (more than 5)" and six.body is None
    assert loop_.error == "too many redirects (more than 0)"


async def test_redirect_to_a_non_http_scheme_is_refused_even_when_trusted(
    session: aiohttp.ClientSession,
) -> None:
    async def sneaky(request: web.Request) -> web.Response:
        raise web.HTTPFound("file:///etc/passwd")

    async with serve({"/r": sneaky}) as server:
        result = await fetch(session, f"{base_url(server)}/r")
    assert result.error is not None and "unsupported URL scheme 'file'" in result.error


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/feed", "http://", ""])
async def test_bad_urls_are_errors_not_exceptions(
    session: aiohttp.ClientSession, url: str
) -> None:
    result = await fetch(session, url)
    assert not result.ok and result.error


async def test_broken_gzip_and_a_dropped_connection_are_errors(
    session: aiohttp.ClientSession,
) -> None:
    async def bad_gzip(request: web.Request) -> web.Response:
        return web.Response(
            body=b"this is not gzip at all",
            headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"},
        )

    async def hang_up(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": "1000"})
        await response.prepare(request)
        await response.write(b"<rss>")
        assert request.transport is not None
        request.transport.close()  # 5 of the promised 1000 bytes, then the socket closes
        return response

    async with serve({"/gz": bad_gzip, "/hangup": hang_up}) as server:
        gz = await fetch(session, f"{base_url(server)}/gz")
        dropped = await fetch(session, f"{base_url(server)}/hangup")
    assert gz.error is not None and gz.error.startswith("broken response body")
    assert dropped.error is not None and dropped.error.startswith("broken response body")
