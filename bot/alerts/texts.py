"""The few words of the alert that are ours rather than the feed's, in Russian and English.

Kept as plain data so the lead can move them into locale files without touching the renderer.
"""

from __future__ import annotations

__all__ = ["TEXTS", "held_back_text", "text_for"]

TEXTS: dict[str, dict[str, str]] = {
    "ru": {
        "untitled": "Без заголовка",
        "held_back_one": "ещё {count} совпадение — /recent",
        "held_back_few": "ещё {count} совпадения — /recent",
        "held_back_many": "ещё {count} совпадений — /recent",
    },
    "en": {
        "untitled": "Untitled",
        "held_back_one": "{count} more match — /recent",
        "held_back_few": "{count} more matches — /recent",
        "held_back_many": "{count} more matches — /recent",
    },
}
DEFAULT_LANG = "ru"


def text_for(lang: str, key: str) -> str:
    """The text in the chat's language, falling back to Russian for languages we lack."""
    return TEXTS.get(lang, TEXTS[DEFAULT_LANG])[key]


def _plural_form(count: int, lang: str) -> str:
    if lang != "ru":
        return "one" if count == 1 else "many"
    tens, units = count % 100, count % 10
    if units == 1 and tens != 11:
        return "one"
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return "few"
    return "many"


def held_back_text(count: int, lang: str) -> str:
    count = max(count, 0)
    lang = lang if lang in TEXTS else DEFAULT_LANG
    return text_for(lang, f"held_back_{_plural_form(count, lang)}").format(count=count)
