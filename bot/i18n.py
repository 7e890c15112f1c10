"""User-facing texts in Russian and English, looked up by key from `bot/locales/*.json`.

Templates are Telegram HTML. Parameters are escaped on the way in, so a handler can pass a
user's query or a feed title as it is; a fragment that is already HTML is wrapped in `Html`.
Button labels are plain text and come from `Texts.plain`, which escapes nothing.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
# Telegram clients in these languages most likely read Russian better than English.
_RUSSIAN_READERS = ("ru", "uk", "be", "kk")
_LOCALES = Path(__file__).with_name("locales")


class Html(str):
    """A fragment that is already valid Telegram HTML: inserted without escaping."""

    __slots__ = ()


def language_for(language_code: str | None) -> str:
    """The bot language for a new chat, from the Telegram client's language."""
    code = (language_code or "").lower()
    return "ru" if code.startswith(_RUSSIAN_READERS) else "en"


def normal_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def catalogs() -> Mapping[str, Mapping[str, str]]:
    """Both catalogs, read once: they are immutable package data, not state."""
    result: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        data = json.loads((_LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
        result[lang] = {str(k): str(v) for k, v in data.items()}
    return result


def _escaped(value: object) -> object:
    if isinstance(value, Html | int | float):
        return value
    return html.escape(str(value), quote=False)


@dataclass(frozen=True)
class Texts:
    lang: str
    catalog: Mapping[str, str]
    fallback: Mapping[str, str]

    def template(self, key: str) -> str:
        found = self.catalog.get(key)
        if found is None:
            found = self.fallback.get(key, key)
        return found

    def __call__(self, key: str, **params: object) -> Html:
        """An HTML text; every parameter not marked `Html` is escaped."""
        escaped = {name: _escaped(value) for name, value in params.items()}
        return Html(self.template(key).format(**escaped))

    def plain(self, key: str, **params: object) -> str:
        """A plain-text label (buttons, alerts of callback answers): nothing is escaped."""
        return self.template(key).format(**params)

    def has(self, key: str) -> bool:
        return key in self.catalog


def texts(lang: str | None) -> Texts:
    all_catalogs = catalogs()
    chosen = normal_language(lang)
    return Texts(chosen, all_catalogs[chosen], all_catalogs["en"])
