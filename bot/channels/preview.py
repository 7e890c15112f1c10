"""Fetching a channel's page from the operator's preview base (TELEGRAM_CHANNEL_PREVIEW_URL).

A channel feed is stored as ``https://t.me/s/<name>``; its page is fetched from the preview base
(Telegram's own by default, a local server in tests), always through the trusted fetcher: the
base is the operator's and the name was validated, so a chat's text cannot steer the request.

t.me answers the preview of a channel it will not show (private, preview switched off, a bot or
a user, no such name) with a redirect to ``https://t.me/<name>``. A fetch that was redirected
off the preview page is therefore reported as "not a public channel", never parsed.

The result carries the feed's own URL, so the parse step knows the body is a channel page
and which channel it is, whatever the preview base.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from bot.channels.names import DEFAULT_PREVIEW_BASE, channel_of_feed, fetch_url
from bot.channels.page import NOT_PUBLIC
from bot.feeds.fetcher import Fetcher, FetchResult

__all__ = ["ChannelPreview"]


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/").lower()


class ChannelPreview:
    def __init__(self, base: str = DEFAULT_PREVIEW_BASE) -> None:
        self.base = base

    async def fetch(
        self,
        fetcher: Fetcher,
        url: str,
        *,
        trusted: Fetcher | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Feed `url` fetched with `fetcher`; a channel's page instead from the preview base
        with `trusted` (the operator's fetcher, `fetcher` itself when None)."""
        name = channel_of_feed(url)
        if name is None:
            return await fetcher.fetch(url, etag=etag, last_modified=last_modified)
        page = fetch_url(url, self.base)
        result = await (trusted or fetcher).fetch(page, etag=etag, last_modified=last_modified)
        if result.ok and not result.not_modified and _path(result.url) != _path(page):
            return FetchResult(
                url=url,
                status=result.status,
                body=None,
                headers=result.headers,
                error=f"{NOT_PUBLIC}: t.me shows no posts of @{name} (it sends readers to "
                "the app: private, preview off, or no such channel)",
            )
        return dataclasses.replace(result, url=url)
