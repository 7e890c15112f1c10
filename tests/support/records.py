"""What the stand-in remembers: calls as decoded, messages as the user would see them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.support.html_check import Entity, EntityView

# Form bodies carry every value as a string; these fields are JSON or numbers in the Bot API.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
        "commands",
        "menu_button",
        "allowed_updates",
        "reply_parameters",
        "rights",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "message_thread_id",
        "reply_to_message_id",
        "until_date",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "drop_pending_updates",
        "for_channels",
    }
)
_INT_RE = re.compile(r"-?\d+")


class ApiError(Exception):
    """An error answer in Telegram's shape: HTTP status = error_code."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return data


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decodes form strings into the values the client meant; unparsable JSON is a 400."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            params[key] = value
        elif key in _JSON_FIELDS:
            try:
                params[key] = json.loads(value)
            except ValueError as exc:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from exc
        elif (key in _INT_FIELDS or key == "chat_id") and _INT_RE.fullmatch(value):
            params[key] = int(value)
        elif key in _BOOL_FIELDS:
            params[key] = value.lower() == "true"
        else:
            params[key] = value
    return params


@dataclass
class Call:
    """One request as received; status 0 means the connection was dropped on purpose."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    description: str | None = None

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class SentMessage(EntityView):
    """A message the bot sent, kept current through edits so tests see what users see."""

    chat_id: int
    message_id: int
    text: str
    source: str
    parse_mode: str | None
    entities: list[Entity]
    reply_markup: dict[str, Any] | None
    at: float
    date: int
    deleted: bool = False
    edits: list[str] = field(default_factory=list)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row if isinstance(button, dict)]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    def button(self, text_part: str) -> dict[str, Any]:
        """The first inline button whose label contains text_part (AssertionError if none)."""
        for button in self.buttons:
            if text_part in str(button.get("text", "")):
                return button
        labels = [b.get("text") for b in self.buttons]
        raise AssertionError(f"no button with {text_part!r} in {labels}")

    def to_api(self, chat: dict[str, Any], bot_user: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": chat,
            "from": bot_user,
            "text": self.text,
        }
        if self.entities:
            data["entities"] = [e.to_api(self.text) for e in self.entities]
        if self.reply_markup and self.reply_markup.get("inline_keyboard"):
            data["reply_markup"] = {"inline_keyboard": self.reply_markup["inline_keyboard"]}
        if self.edits:
            data["edit_date"] = self.date
        return data
