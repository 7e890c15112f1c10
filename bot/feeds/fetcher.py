"""Polite, bounded HTTP fetching of feeds.

One hung or hostile feed must not stall the poller or exhaust memory, and no network problem
may surface as an exception in the poller loop: every fetch ends in a :class:`FetchResult`
whose ``error`` says in a few words what went wrong (it is shown to users in ``/feeds``).
Redirects are followed by hand so that each hop is counted and, for user-supplied URLs,
checked by the SSRF guard.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot.feeds.lookup import LookupResolver
from bot.feeds.response import BodyTooLarge, format_size, parse_retry_after, read_capped
from bot.feeds.ssrf import SsrfGuard, SsrfRefused, SsrfResolver
from bot.urls import HTTP_SCHEMES

__all__ = [
    "BodyTooLarge",
    "FetchLimits",
    "FetchResult",
    "Fetcher",
    "format_size",
    "make_session",
    "parse_retry_after",
    "read_capped",
]

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "NewsAlertBot/0.1 (+https://github.com/news-alert-bot/news-alert-bot)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """Per-fetch limits; the defaults are the issue's (10 s / 30 s / 5 / 10 MiB)."""

    connect_timeout: float = 10
    total_timeout: float = 30
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = DEFAULT_USER_AGENT


def _no_headers() -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict())


@dataclass(frozen=True)
class FetchResult:
    """Outcome of one fetch. ``ok`` means "nothing went wrong", including a 304."""

    url: str
    status: int | None
    body: bytes | None
    headers: Mapping[str, str] = field(default_factory=_no_headers)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


def _format_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


def make_session(
    limits: FetchLimits,
    *,
    guard: SsrfGuard | None = None,
    connector_limit: int = 100,
) -> aiohttp.ClientSession:
    """The one place feed and page sessions are configured (timeouts, User-Agent, DNS).

    With ``guard`` the connector resolves through :class:`SsrfResolver`, so the addresses
    connected to are the checked ones (DNS rebinding). Cookies are not kept: one feed must not
    be able to set state that another request carries. Proxies from the environment are
    ignored, since they would bypass the address checks. Must be called inside a running
    event loop; the caller closes the session.
    """
    # Lookups run on threads a stopping bot does not wait for (bot/feeds/lookup.py).
    resolver = SsrfResolver(guard) if guard is not None else LookupResolver()
    connector = aiohttp.TCPConnector(limit=connector_limit, resolver=resolver)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(
            total=limits.total_timeout, sock_connect=limits.connect_timeout
        ),
        headers={"User-Agent": limits.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        auto_decompress=True,
    )


def _frozen_headers(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(headers))


def _scheme_problem(url: str) -> str | None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if scheme not in HTTP_SCHEMES:
        return f"unsupported URL scheme {scheme or 'none'!r} (only http and https)"
    return None


def _find_refusal(exc: BaseException) -> SsrfRefused | None:
    """The SsrfRefused that aiohttp wrapped into a connector error, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, SsrfRefused):
            return current
        seen.add(id(current))
        os_error = getattr(current, "os_error", None)
        if isinstance(os_error, SsrfRefused):
            return os_error
        current = current.__cause__ or current.__context__
    return None


def _is_pinned(session: aiohttp.ClientSession) -> bool:
    """Whether the session's connector resolves through the SSRF guard (see make_session)."""
    return isinstance(getattr(session.connector, "_resolver", None), SsrfResolver)


class _Progress:
    """Where a fetch has got to, so a timeout can still report the URL it was on."""

    def __init__(self, url: str) -> None:
        self.url = url


class Fetcher:
    """Fetches one URL at a time within :class:`FetchLimits`; never raises for bad input.

    ``guard=None`` means the URL is trusted (operator FEEDS, local preview). With a guard every
    hop is checked before it is requested; build the session with ``make_session(limits,
    guard=guard)`` so the connection itself is pinned to checked addresses as well.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        limits: FetchLimits,
        *,
        guard: SsrfGuard | None = None,
    ) -> None:
        self._session = session
        self._limits = limits
        self._guard = guard
        if guard is not None and not _is_pinned(session):
            log.warning(
                "guarded Fetcher on a session without SsrfResolver: every hop is checked, "
                "but DNS rebinding is not prevented; use make_session(limits, guard=guard)"
            )

    @property
    def limits(self) -> FetchLimits:
        return self._limits

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given)."""
        progress = _Progress(url)
        limits = self._limits
        try:
            async with asyncio.timeout(limits.total_timeout):
                return await self._follow(progress, etag, last_modified)
        except aiohttp.ConnectionTimeoutError:
            return self._failure(
                progress, f"connect timed out after {_format_seconds(limits.connect_timeout)}"
            )
        except TimeoutError:
            return self._failure(
                progress, f"timed out after {_format_seconds(limits.total_timeout)}"
            )
        except aiohttp.ClientConnectorError as exc:
            return self._failure(progress, self._describe_connect_error(exc))
        except aiohttp.TooManyRedirects:
            return self._failure(progress, "too many redirects")
        except aiohttp.InvalidURL as exc:
            return self._failure(progress, f"invalid URL {str(exc.url)!r}")
        except aiohttp.ClientPayloadError as exc:
            return self._failure(progress, f"broken response body ({_first_line(exc)})")
        except aiohttp.ClientResponseError as exc:
            return self._failure(progress, f"bad HTTP response ({exc.message})")
        except aiohttp.ClientError as exc:
            return self._failure(progress, f"HTTP error ({type(exc).__name__}: {exc})")
        except SsrfRefused as exc:
            return self._failure(progress, exc.reason)
        except (OSError, ValueError, UnicodeError) as exc:
            return self._failure(progress, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # the poller must survive anything a server can provoke
            log.exception("unexpected error fetching %s", progress.url)
            return self._failure(progress, f"unexpected error ({type(exc).__name__})")

    def _failure(self, progress: _Progress, error: str) -> FetchResult:
        return FetchResult(url=progress.url, status=None, body=None, error=error)

    @staticmethod
    def _describe_connect_error(exc: aiohttp.ClientConnectorError) -> str:
        refusal = _find_refusal(exc)
        if refusal is not None:
            return refusal.reason
        os_error = exc.os_error
        if isinstance(exc, aiohttp.ClientConnectorDNSError):
            return f"DNS lookup failed for {exc.host!r}"
        if isinstance(os_error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(exc, aiohttp.ClientSSLError):
            return f"TLS error ({_first_line(os_error)})"
        reason = os_error.strerror or str(os_error) or type(os_error).__name__
        return f"cannot connect to {exc.host}: {reason}"

    async def _follow(
        self, progress: _Progress, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        limits = self._limits
        headers = {"User-Agent": limits.user_agent, "Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request_timeout = aiohttp.ClientTimeout(total=None, sock_connect=limits.connect_timeout)
        for _hop in range(limits.max_redirects + 1):
            problem = await self._check(progress.url)
            if problem is not None:
                return self._failure(progress, problem)
            async with self._session.get(
                progress.url,
                headers=headers,
                allow_redirects=False,
                timeout=request_timeout,
            ) as response:
                if response.status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        return self._http_failure(
                            progress, response, f"HTTP {response.status} without Location"
                        )
                    progress.url = str(response.url.join(URL(location)))
                    continue
                return await self._finish(progress, response, etag, last_modified)
        return self._failure(progress, f"too many redirects (more than {limits.max_redirects})")

    async def _check(self, url: str) -> str | None:
        if self._guard is not None:
            return await self._guard.check(url)
        problem = _scheme_problem(url)
        return problem

    def _http_failure(
        self, progress: _Progress, response: aiohttp.ClientResponse, error: str
    ) -> FetchResult:
        headers = _frozen_headers(response.headers)
        retry_after = None
        if response.status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(headers.get("Retry-After"))
        return FetchResult(
            url=progress.url,
            status=response.status,
            body=None,
            headers=headers,
            etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
            retry_after=retry_after,
            error=error,
        )

    async def _finish(
        self,
        progress: _Progress,
        response: aiohttp.ClientResponse,
        sent_etag: str | None,
        sent_last_modified: str | None,
    ) -> FetchResult:
        headers = _frozen_headers(response.headers)
        status = response.status
        if status == 304:
            return FetchResult(
                url=progress.url,
                status=status,
                body=None,
                headers=headers,
                etag=headers.get("ETag") or sent_etag,
                last_modified=headers.get("Last-Modified") or sent_last_modified,
                not_modified=True,
            )
        if not 200 <= status < 300:
            reason = f"HTTP {status}"
            if response.reason:
                reason = f"{reason} {response.reason}"
            return self._http_failure(progress, response, reason)
        max_bytes = self._limits.max_bytes
        declared = response.content_length
        if declared is not None and declared > max_bytes and not headers.get("Content-Encoding"):
            return self._http_failure(
                progress, response, f"body larger than {format_size(max_bytes)}"
            )
        try:
            body = await read_capped(response.content.iter_chunked(CHUNK_SIZE), max_bytes)
        except BodyTooLarge as exc:
            return self._http_failure(progress, response, str(exc))
        return FetchResult(
            url=progress.url,
            status=status,
            body=body,
            headers=headers,
            etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
        )


def _first_line(exc: BaseException | None) -> str:
    text = str(exc) if exc is not None else ""
    return text.splitlines()[0] if text else type(exc).__name__
