"""Checks a sendMessage/editMessageText request the way Telegram does before accepting it."""

from __future__ import annotations

from typing import Any

from tests.support.html_check import Entity, HtmlError, entities_from_api, parse_html
from tests.support.records import ApiError

MAX_TEXT = 4096  # UTF-16 code units of the visible text, as Telegram counts
# Telegram ignores formatting past the 100th entity: a reply that needs more is broken for the
# reader, so the stand-in refuses it and the tests hear of it.
MAX_ENTITIES = 100


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def require_int(params: dict[str, Any], key: str) -> int:
    value = params.get(key)
    if value is None or value == "":
        raise ApiError(400, f"Bad Request: {key} is empty")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(
            400,
            "Bad Request: chat not found" if key == "chat_id" else f"Bad Request: invalid {key}",
        )
    return value


def markup_of(params: dict[str, Any]) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
    return markup


def content_of(params: dict[str, Any]) -> tuple[str, list[Entity], dict[str, Any] | None]:
    """Validates text as Telegram does and returns (plain text, entities, reply markup)."""
    source = params.get("text")
    if not isinstance(source, str) or not source.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if str(params.get("parse_mode", "")).lower() == "html":
        try:
            parsed = parse_html(source)
        except HtmlError as error:
            raise ApiError(400, f"Bad Request: {error}") from error
        text, entities = parsed.text, parsed.entities
    else:
        raw = params.get("entities")
        text, entities = source, entities_from_api(source, raw if isinstance(raw, list) else [])
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_units(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    if len(entities) > MAX_ENTITIES:
        raise ApiError(400, f"Bad Request: too many entities ({len(entities)} > {MAX_ENTITIES})")
    return text, entities, markup_of(params)


def commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """(scope, language): scope is its type, plus ':<chat_id>'/':<user_id>' when present."""
    raw = params.get("scope")
    scope: dict[str, Any] = raw if isinstance(raw, dict) else {}
    key = str(scope.get("type", "default"))
    for part in ("chat_id", "user_id"):
        if part in scope:
            key += f":{scope[part]}"
    return key, str(params.get("language_code") or "")
