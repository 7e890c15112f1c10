"""The few words of an alert that are ours rather than the feed's, from the Fluent catalog."""

from __future__ import annotations

from bot.i18n import texts

__all__ = ["held_back_text", "more_text", "text_for"]


def text_for(lang: str, key: str) -> str:
    """The alert text `alerts.<key>` in the chat's language (Russian for languages we lack)."""
    return texts(lang).plain(f"alerts.{key}")


def held_back_text(count: int, lang: str) -> str:
    """«ещё 12 совпадений — /recent», with the plural form the number needs."""
    return texts(lang).plain("alerts.held_back", count=max(count, 0))


def more_text(count: int, lang: str) -> str:
    """«+2»: the outlets of a story not named in its alert."""
    return texts(lang).plain("alerts.also_more", count=max(count, 0))
