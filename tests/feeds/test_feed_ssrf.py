"""SSRF guard: every refusal class, redirects, and DNS rebinding, with an injected resolver.

No real DNS: the guard's resolver is a dict lookup. Where a test needs a "public" host name to
reach the local server, the name goes into ``trusted_hosts`` (exempt from the address check,
like an operator allow-list) and every later hop is still checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp import web

from bot.feeds.fetcher import Fetcher, FetchLimits, make_session
from bot.feeds.ssrf import AddressResolver, SsrfGuard
from tests.support.feedserver import base_url, serve
from tests.support.paths import sample

PUBLIC_IP = "93.184.215.14"
ONLY_HTTP = "refused: only http and https URLs are allowed (got {!r})"


def fake_dns(table: dict[str, list[str]]) -> AddressResolver:
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no such host {host}")
        return table[host]

    return resolve


DNS = {
    "news.example.com": [PUBLIC_IP, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "intranet.example.com": ["10.1.2.3"],
    "mixed.example.com": [PUBLIC_IP, "192.168.0.7"],
    "metadata.example.com": ["169.254.169.254"],
}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example.com/rss", ONLY_HTTP.format("ftp")),
        ("file:///etc/passwd", ONLY_HTTP.format("file")),
        ("javascript:alert(1)", ONLY_HTTP.format("javascript")),
        ("news.example.com/rss", ONLY_HTTP.format("none")),
        ("http:///rss", "refused: the URL has no host"),
        ("http://127.0.0.1/rss", "refused: 127.0.0.1 is a loopback address"),
        ("http://127.8.9.10:8080/", "refused: 127.8.9.10 is a loopback address"),
        ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
        ("http://172.16.5.4/", "refused: 172.16.5.4 is a private address"),
        ("http://172.31.255.255/", "refused: 172.31.255.255 is a private address"),
        ("http://192.168.1.1/", "refused: 192.168.1.1 is a private address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refused: 169.254.169.254 is a link-local address",
        ),
        ("http://100.64.0.1/", "refused: 100.64.0.1 is a carrier-grade NAT address"),
        ("http://100.127.255.254/", "refused: 100.127.255.254 is a carrier-grade NAT address"),
        ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "refused: 240.0.0.1 is a reserved address"),
        ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"),
        ("http://[::1]/", "refused: ::1 is a loopback address"),
        ("http://[::]/", "refused: :: is an unspecified address"),
        ("http://[fc00::1]/", "refused: fc00::1 is a private address"),
        ("http://[fd12:3456::1]/", "refused: fd12:3456::1 is a private address"),
        ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
        ("http://[ff02::1]/", "refused: ff02::1 is a multicast address"),
        (
            "http://[::ffff:127.0.0.1]/",
            "refused: ::ffff:7f00:1 is an IPv6 address embedding 127.0.0.1, a loopback address",
        ),
        (
            "http://[::ffff:10.0.0.1]/",
            "refused: ::ffff:a00:1 is an IPv6 address embedding 10.0.0.1, a private address",
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "refused: 64:ff9b::a9fe:a9fe is an IPv6 address embedding 169.254.169.254, "
            "a link-local address",
        ),
        (
            "http://intranet.example.com/rss",
            "refused: intranet.example.com resolves to 10.1.2.3, a private address",
        ),
        (
            "http://mixed.example.com/rss",
            "refused: mixed.example.com resolves to 192.168.0.7, a private address",
        ),
        (
            "http://METADATA.example.com./",
            "refused: metadata.example.com resolves to 169.254.169.254, a link-local address",
        ),
        (
            "http://unknown.example.com/",
            "cannot resolve host 'unknown.example.com': no such host unknown.example.com",
        ),
        ("http://news.example.com:99999/", "refused: invalid URL (Port out of range 0-65535)"),
    ],
)
async def test_refusals_name_the_reason(url: str, reason: str) -> None:
    assert await SsrfGuard(resolver=fake_dns(DNS)).check(url) == reason


@pytest.mark.parametrize(
    "url",
    [
        "http://news.example.com/rss",
        "https://news.example.com:8443/a?b=c",
        "http://93.184.215.14/",
        "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
    ],
)
async def test_public_addresses_are_allowed(url: str) -> None:
    assert await SsrfGuard(resolver=fake_dns(DNS)).check(url) is None


async def test_allow_private_switch_lets_private_hosts_through_but_not_other_schemes() -> None:
    guard = SsrfGuard(allow_private=True, resolver=fake_dns(DNS))
    assert await guard.check("http://127.0.0.1:8080/rss") is None
    assert await guard.check("http://intranet.example.com/rss") is None
    assert await guard.check("gopher://127.0.0.1/") is not None


@pytest.fixture
def lenta() -> Iterator[bytes]:
    yield sample("lenta-2021-10-03.xml")


async def test_guarded_fetch_of_a_hostname_resolving_to_a_private_address_never_connects(
    lenta: bytes,
) -> None:
    hits: list[str] = []

    async def feed(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=lenta, content_type="application/rss+xml")

    async with serve({"/rss": feed}) as server:
        guard = SsrfGuard(resolver=fake_dns({"local.example.com": ["127.0.0.1"]}))
        limits = FetchLimits()
        async with make_session(limits, guard=guard) as session:
            direct = await Fetcher(session, limits, guard=guard).fetch(f"{base_url(server)}/rss")
            by_name = await Fetcher(session, limits, guard=guard).fetch(
                f"http://local.example.com:{server.port}/rss"
            )
    assert direct.error == "refused: 127.0.0.1 is a loopback address"
    assert by_name.error == "refused: local.example.com resolves to 127.0.0.1, a loopback address"
    assert direct.status is None and hits == []


async def test_redirect_from_a_public_host_to_loopback_is_refused(lenta: bytes) -> None:
    hits: list[str] = []

    async def start(request: web.Request) -> web.Response:
        hits.append(request.path)
        raise web.HTTPFound(f"http://127.0.0.1:{request.url.port}/internal")

    async def internal(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=lenta, content_type="application/rss+xml")

    async with serve({"/start": start, "/internal": internal}) as server:
        port = server.port
        # feed.example.com stands for a public site: trusted so the first hop may connect to
        # the test server; the redirect target gets the full check.
        guard = SsrfGuard(
            resolver=fake_dns({"feed.example.com": ["127.0.0.1"]}),
            trusted_hosts=frozenset({"feed.example.com"}),
        )
        limits = FetchLimits()
        async with make_session(limits, guard=guard) as session:
            result = await Fetcher(session, limits, guard=guard).fetch(
                f"http://feed.example.com:{server.port}/start"
            )
    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert result.url == f"http://127.0.0.1:{port}/internal"
    assert result.body is None
    assert hits == ["/start"]  # the internal resource was never requested


async def test_dns_rebinding_is_caught_by_the_pinned_connector(lenta: bytes) -> None:
    """First answer public (passes check()), second answer loopback (the connection)."""
    hits: list[str] = []
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    async def feed(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=lenta, content_type="application/rss+xml")

    async with serve({"/rss": feed}) as server:
        guard = SsrfGuard(resolver=rebinding)
        limits = FetchLimits()
        async with make_session(limits, guard=guard) as session:
            result = await Fetcher(session, limits, guard=guard).fetch(
                f"http://rebind.example.com:{server.port}/rss"
            )
    assert result.error == "refused: rebind.example.com resolves to 127.0.0.1, a loopback address"
    assert hits == []


async def test_trusted_fetcher_without_guard_reaches_local_servers(lenta: bytes) -> None:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=lenta, content_type="application/rss+xml")

    async with serve({"/rss": feed}) as server:
        limits = FetchLimits()
        async with make_session(limits) as session:
            result = await Fetcher(session, limits).fetch(f"{base_url(server)}/rss")
    assert result.ok and result.body == lenta


async def test_a_guarded_fetcher_on_an_unpinned_session_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = SsrfGuard(resolver=fake_dns(DNS))
    limits = FetchLimits()
    async with make_session(limits) as plain, make_session(limits, guard=guard) as pinned:
        Fetcher(pinned, limits, guard=guard)
        assert "DNS rebinding" not in caplog.text
        Fetcher(plain, limits, guard=guard)
        assert "DNS rebinding is not prevented" in caplog.text
