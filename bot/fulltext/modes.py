"""Who may switch a feed's full-text mode in /feeds, and to what.

The mode belongs to the feed row, and a feed row is shared: every chat reads the operator's
defaults, and chats that add the same URL share one row. So a chat switches only the feeds it
added itself (`added_by`); the operator's feeds are switched by the operator's people
(ADMIN_IDS), from any chat. Other chats see the mode, without a button; channels have none.
A button press cycles auto → always → never → auto.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.channels.names import is_channel_feed
from storage import ChatFeed, FullTextMode, Repository

__all__ = ["may_switch", "next_mode", "switch_mode"]

_CYCLE = {
    FullTextMode.AUTO: FullTextMode.ALWAYS,
    FullTextMode.ALWAYS: FullTextMode.NEVER,
    FullTextMode.NEVER: FullTextMode.AUTO,
}


def next_mode(mode: FullTextMode) -> FullTextMode:
    return _CYCLE[mode]


def may_switch(
    cf: ChatFeed, chat_id: int, user_id: int | None, admin_ids: Collection[int]
) -> bool:
    """Whether this user, in this chat, may switch the feed's mode (the chat's admin rule is
    checked on the press as for every /feeds button). A Telegram channel has no pages to read."""
    if is_channel_feed(cf.feed.url):
        return False
    if cf.feed.is_default:
        return user_id is not None and user_id in admin_ids
    return cf.own and cf.feed.added_by == chat_id


async def switch_mode(
    repo: Repository,
    feeds: list[ChatFeed],
    feed_id: int,
    *,
    chat_id: int,
    user_id: int | None,
    admin_ids: Collection[int],
) -> FullTextMode | None:
    """The feed's next mode, stored; None when the feed is gone or not this user's to switch
    (`feeds`: the chat's feeds as they are now)."""
    cf = next((c for c in feeds if c.feed.id == feed_id), None)
    if cf is None or not may_switch(cf, chat_id, user_id, admin_ids):
        return None
    mode = next_mode(cf.feed.fulltext_mode)
    return mode if await repo.feeds.set_fulltext_mode(feed_id, mode) else None
