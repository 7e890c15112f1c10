"""Channel preview pages served on 127.0.0.1, built from the saved t.me page, as t.me serves them.

`/s/<name>` is a channel's preview; a name the site does not know, or a channel made private,
is answered as t.me does: 302 to `/<name>`, the page that only offers to open the app.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from aiohttp import web

from tests.support.feedserver import LocalServer, feed_response
from tests.support.paths import DATA

PAGES = DATA / "channels"
SAVED = "newsroom_demo"
SAVED_TITLE = "Редакция: срочно"
_HISTORY = re.compile(r'(<section class="tgme_channel_history[^>]*>)(.*?)(</section>)', re.S)

Mode = Literal["ok", "private", "redesigned"]


def post_html(name: str, post_id: int, text_html: str, when: datetime | None = None) -> str:
    """One text post in t.me's markup; `text_html` is the post's HTML as t.me renders it."""
    stamp = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    template = (PAGES / "post_template.html").read_text(encoding="utf-8")
    return template.format(
        name=name,
        post_id=post_id,
        text=text_html,
        stamp=stamp.isoformat(),
        clock=stamp.strftime("%H:%M"),
    )


def text_post_html(text: str) -> str:
    """Plain text as t.me puts it in a post: escaped, line breaks as <br/>."""
    return html.escape(text).replace("\n", "<br/>")


@dataclass
class Channel:
    name: str
    title: str
    posts: list[str] = field(default_factory=list)  # oldest first, as the page lists them
    mode: Mode = "ok"
    next_id: int = 1000
    requests: int = 0
    answered: int = 0

    def publish(self, text: str, *, when: datetime | None = None) -> int:
        """A new text post; returns its id."""
        self.next_id += 1
        self.posts.append(post_html(self.name, self.next_id, text_post_html(text), when))
        return self.next_id

    def body(self) -> bytes:
        saved = (PAGES / f"{SAVED}.html").read_text(encoding="utf-8")
        page = _HISTORY.sub(lambda m: m.group(1) + "".join(self.posts) + m.group(3), saved)
        page = page.replace(SAVED_TITLE, html.escape(self.title)).replace(SAVED, self.name)
        if self.mode == "redesigned":
            page = page.replace("tgme_channel_history", "tgme_feed_list").replace(
                'class="tgme_widget_message ', 'class="tgme_post '
            )
        return page.encode("utf-8")


class ChannelSite:
    def __init__(self) -> None:
        self.channels: dict[str, Channel] = {}
        self._server = LocalServer({"/s/{name}": self._preview, "/{name}": self._app_page})

    @property
    def base(self) -> str:
        """TELEGRAM_CHANNEL_PREVIEW_URL for this site."""
        return f"{self._server.url}/s/"

    async def start(self) -> ChannelSite:
        await self._server.start()
        return self

    async def close(self) -> None:
        await self._server.close()

    def add(self, name: str, title: str, texts: tuple[str, ...] = ()) -> Channel:
        channel = Channel(name, title)
        for text in texts:
            channel.publish(text, when=datetime(2026, 11, 30, 6, 0, tzinfo=UTC))
        self.channels[name] = channel
        return channel

    async def _preview(self, request: web.Request) -> web.StreamResponse:
        channel = self.channels.get(request.match_info["name"])
        if channel is not None:
            channel.requests += 1
        if channel is None or channel.mode == "private":
            raise web.HTTPFound(f"/{request.match_info['name']}")
        channel.answered += 1
        return feed_response(request, channel.body(), "text/html; charset=utf-8")

    async def _app_page(self, request: web.Request) -> web.StreamResponse:
        body = (PAGES / "no_preview.html").read_bytes()
        return web.Response(body=body, content_type="text/html", charset="utf-8")
