"""User-facing texts in Russian and English: one Fluent catalog per language.

Each language is a folder of `.ftl` files in `bot/locales/<lang>/`, one per area of the bot,
loaded into one `FluentBundle`: Fluent gives real plural rules («1 новость, 2 новости,
5 новостей») that a format string cannot. Code names a text by a dotted key (`"sub.saved"`);
in the files the dot is a dash (`sub-saved`), since Fluent identifiers have no dots.

Templates are Telegram HTML. Parameters are escaped on the way in, so a handler can pass a
user's query or a feed title as it is; a fragment that is already HTML is wrapped in `Html`.
Button labels are plain text and come from `Texts.plain`, which escapes nothing.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.errors import FluentReferenceError
from fluent.runtime.types import fluent_number
from fluent.syntax import ast

from storage.models import Language

LANGUAGES = tuple(Language)
DEFAULT_LANGUAGE = Language.RU
# Telegram clients in these languages most likely read Russian better than English.
_RUSSIAN_READERS = ("ru", "uk", "be", "kk")
_LOCALES = Path(__file__).with_name("locales")


class Html(str):
    """A fragment that is already valid Telegram HTML: inserted without escaping."""

    __slots__ = ()


def language_for(language_code: str | None) -> Language:
    """The bot language for a new chat, from the Telegram client's language."""
    code = (language_code or "").lower()
    return Language.RU if code.startswith(_RUSSIAN_READERS) else Language.EN


def normal_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def message_id(key: str) -> str:
    """The Fluent identifier of a dotted key."""
    return key.replace(".", "-")


@dataclass(frozen=True)
class Catalog:
    """One language's bundle, and the source text of each message for checks and tests."""

    lang: str
    bundle: FluentBundle
    sources: Mapping[str, str]  # dotted key -> the message's Fluent source


def load_catalog(lang: str, folder: Path = _LOCALES) -> Catalog:
    # No Unicode isolation marks around parameters: Telegram shows them as stray characters
    # in some clients, and they would count against the 4096-unit limit.
    bundle = FluentBundle([lang], use_isolating=False)
    sources: dict[str, str] = {}
    for path in sorted((folder / lang).glob("*.ftl")):
        text = path.read_text(encoding="utf-8")
        resource = FluentResource(text)
        for entry in resource.body:
            if isinstance(entry, ast.Junk):  # a typo must fail at start and in tests
                snippet = (entry.content or "")[:60]
                raise ValueError(f"{path}: unparsable Fluent entry {snippet!r}")
            if isinstance(entry, ast.Message) and entry.span is not None:
                key = entry.id.name.replace("-", ".", 1)
                sources[key] = text[entry.span.start : entry.span.end]
        bundle.add_resource(resource)
    return Catalog(lang, bundle, sources)


@functools.cache
def catalogs() -> Mapping[str, Catalog]:
    """Both catalogs, read once: they are immutable package data, not state."""
    return {lang: load_catalog(lang) for lang in LANGUAGES}


def _escaped(value: object) -> Any:
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, bool):
        return html.escape(str(value), quote=False)
    if isinstance(value, int | float | Decimal):
        # Counts select plural forms but print as written: no thousands separators that a
        # reader could take for two numbers, and ids stay copyable.
        return fluent_number(value, useGrouping=False)
    return html.escape(str(value), quote=False)


def _plain(value: object) -> Any:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return fluent_number(value, useGrouping=False)
    return str(value)


@dataclass(frozen=True)
class Texts:
    lang: str
    catalog: Catalog
    fallback: Catalog

    def _format(self, key: str, params: Mapping[str, Any]) -> str:
        ident = message_id(key)
        for catalog in (self.catalog, self.fallback):
            if catalog.bundle.has_message(ident):
                message = catalog.bundle.get_message(ident)
                if message.value is None:
                    break
                text, errors = catalog.bundle.format_pattern(message.value, dict(params))
                missing = [e for e in errors if isinstance(e, FluentReferenceError)]
                if missing:
                    # Like str.format: a caller that forgot a parameter hears of it.
                    raise KeyError(f"{key}: {missing[0]}")
                return str(text)
        return key

    def __call__(self, key: str, **params: object) -> Html:
        """An HTML text; every parameter not marked `Html` is escaped."""
        return Html(self._format(key, {k: _escaped(v) for k, v in params.items()}))

    def plain(self, key: str, **params: object) -> str:
        """A plain-text label (buttons, alerts of callback answers): nothing is escaped."""
        return self._format(key, {k: _plain(v) for k, v in params.items()})

    def has(self, key: str) -> bool:
        return self.catalog.bundle.has_message(message_id(key))


def texts(lang: str | None) -> Texts:
    all_catalogs = catalogs()
    chosen = normal_language(lang)
    return Texts(chosen, all_catalogs[chosen], all_catalogs["en"])
