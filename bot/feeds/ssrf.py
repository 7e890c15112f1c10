"""SSRF guard for user-supplied feed URLs.

A chat can make the bot fetch any URL it likes, so without a guard the bot becomes a proxy
into the operator's network (cloud metadata at 169.254.169.254, admin panels on localhost,
the LAN). The guard allows only http(s) to hosts whose *every* address is publicly routable.

Checking a hostname once and then letting the HTTP client resolve it again would be defeated
by DNS rebinding (public answer for the check, 127.0.0.1 for the connection). So the same
check also runs inside the connection's resolver (:class:`SsrfResolver`, installed by
``fetcher.make_session(..., guard=...)``): the addresses the socket connects to are exactly
the ones that were checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

from bot.feeds.lookup import getaddrinfo
from bot.urls import DEFAULT_PORTS, HTTP_SCHEMES

__all__ = [
    "AddressResolver",
    "SsrfGuard",
    "SsrfRefused",
    "SsrfResolver",
    "address_problem",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> IP address strings. Injectable so tests never touch real DNS.
AddressResolver = Callable[[str, int], Awaitable[list[str]]]

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class SsrfRefused(OSError):
    """Raised inside the connector's resolver; ``reason`` is the user-facing refusal."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve on a thread of its own: never blocks the loop, never holds the bot's exit."""
    infos = await getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one smuggles (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched ("a loopback address"...), or None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = address_problem(embedded)
            return f"an IPv6 address embedding {embedded}, {inner}" if inner else None
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


def _parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return None


@dataclass(frozen=True)
class SsrfGuard:
    """Decides whether a user-supplied URL may be fetched.

    ``allow_private`` (ALLOW_PRIVATE_FEED_HOSTS) switches the address checks off for
    self-hosted setups; the scheme check stays. ``trusted_hosts`` are host names exempt from
    the address check (an operator's internal feed bridge; tests use it to let a fake public
    name reach the local test server while every other hop is still checked).
    """

    allow_private: bool = False
    resolver: AddressResolver = system_resolver
    trusted_hosts: frozenset[str] = field(default_factory=frozenset)

    async def check(self, url: str) -> str | None:
        """None if ``url`` may be fetched, else a short refusal reason. Never raises."""
        try:
            parts = urlsplit(url.strip())
            scheme = parts.scheme.lower()
            host = parts.hostname
            port = parts.port
        except ValueError as exc:
            return f"refused: invalid URL ({exc})"
        if scheme not in HTTP_SCHEMES:
            shown = scheme or "none"
            return f"refused: only http and https URLs are allowed (got {shown!r})"
        if not host:
            return "refused: the URL has no host"
        port = port or DEFAULT_PORTS[scheme]
        try:
            await self.resolve_allowed(host, port)
        except SsrfRefused as exc:
            return exc.reason
        return None

    async def resolve_allowed(self, host: str, port: int) -> list[str]:
        """Addresses of ``host`` if all of them are allowed; raises SsrfRefused otherwise.

        The connector calls this for the actual connection, so a second DNS answer that
        differs from the one :meth:`check` saw is checked too.
        """
        host = host.rstrip(".").lower()
        literal = _parse_ip(host)
        if literal is not None:
            problem = None if self.allow_private else address_problem(literal)
            if problem:
                raise SsrfRefused(f"refused: {literal} is {problem}")
            return [str(literal)]
        try:
            addresses = await self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise SsrfRefused(f"cannot resolve host {host!r}: {exc}") from exc
        if not addresses:
            raise SsrfRefused(f"cannot resolve host {host!r}: no addresses")
        if self.allow_private or host in self.trusted_hosts:
            return addresses
        for text in addresses:
            address = _parse_ip(text)
            if address is None:
                raise SsrfRefused(f"refused: {host} resolves to {text!r}, not an IP address")
            problem = address_problem(address)
            if problem:
                raise SsrfRefused(f"refused: {host} resolves to {address}, {problem}")
        return addresses


class SsrfResolver(AbstractResolver):
    """aiohttp resolver that only ever hands the connector addresses the guard allowed."""

    def __init__(self, guard: SsrfGuard) -> None:
        self._guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self._guard.resolve_allowed(host, port)
        results: list[ResolveResult] = []
        for text in addresses:
            address = _parse_ip(text)
            if address is None:
                continue
            is_v6 = isinstance(address, ipaddress.IPv6Address)
            wanted = family if family in (socket.AF_INET, socket.AF_INET6) else None
            if wanted is not None and wanted != (socket.AF_INET6 if is_v6 else socket.AF_INET):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(address),
                    port=port,
                    family=socket.AF_INET6 if is_v6 else socket.AF_INET,
                    proto=0,
                    flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                )
            )
        if not results:
            raise SsrfRefused(f"cannot resolve host {host!r}: no usable addresses")
        return results

    async def close(self) -> None:
        return None
