"""The few words of an alert that are ours rather than the feed's, from the Fluent catalog."""

from __future__ import annotations

from bot.i18n import texts

__all__ = ["held_back_text", "text_for"]


def text_for(lang: str, key: str) -> str:
    """The alert text `alerts.<key>` in the chat's language (Russian for languages we lack)."""
    return texts(lang).plain(f"alerts.{key}")


def held_back_text(count: int, lang: str) -> str:
    """«ещё 12 совпадений — /recent», with the plural form the number needs."""
    return texts(lang).plain("alerts.held_back", count=max(count, 0))
