"""Files in the Bot API stand-in: what a user uploads, what the bot sends, Telegram's limits.

A file is kept once under its file_id, whoever sent it, so a document the bot sent can be sent
on (by file_id) or downloaded, as in Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.html_check import Entity, EntityView, HtmlError, entities_from_api, parse_html
from tests.support.records import ApiError
from tests.support.validation import MAX_ENTITIES, utf16_units

MAX_CAPTION = 1024  # UTF-16 units of a caption's visible text
MAX_UPLOAD = 50 * 1024 * 1024  # what a bot may send
MAX_DOWNLOAD = 20 * 1024 * 1024  # what getFile serves to a bot


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as aiogram uploads an InputFile."""

    file_name: str
    data: bytes
    content_type: str | None = None


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    data: bytes
    mime_type: str | None = None
    claimed_size: int | None = None  # a size to report instead of len(data) (huge uploads)

    @property
    def size(self) -> int:
        return self.claimed_size if self.claimed_size is not None else len(self.data)

    @property
    def file_path(self) -> str:
        return f"documents/{self.file_unique_id}/{self.file_name}"

    def to_api(self) -> dict[str, Any]:
        """The Document (and File) fields Telegram gives for it."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "file_size": self.size,
        }
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class SentDocument(EntityView):
    """A document the bot sent, with its caption as the user sees it."""

    chat_id: int
    message_id: int
    file: StoredFile
    text: str  # the caption's visible text ("" without one)
    entities: list[Entity]
    source: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    at: float
    date: int

    @property
    def file_name(self) -> str:
        return self.file.file_name

    @property
    def data(self) -> bytes:
        return self.file.data

    @property
    def caption(self) -> str:
        return self.text

    def to_api(self, chat: dict[str, Any], bot_user: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": chat,
            "from": bot_user,
            "document": self.file.to_api(),
        }
        if self.text:
            data["caption"] = self.text
        if self.entities:
            data["caption_entities"] = [e.to_api(self.text) for e in self.entities]
        return data


def caption_of(params: dict[str, Any]) -> tuple[str, list[Entity], str | None]:
    """Validates a caption as Telegram does: (visible text, entities, source as sent)."""
    source = params.get("caption")
    if source is None or source == "":
        return "", [], None
    source = str(source)
    if str(params.get("parse_mode", "")).lower() == "html":
        try:
            parsed = parse_html(source)
        except HtmlError as error:
            raise ApiError(400, f"Bad Request: {error}") from error
        text, entities = parsed.text, parsed.entities
    else:
        raw = params.get("caption_entities")
        text, entities = source, entities_from_api(source, raw if isinstance(raw, list) else [])
    if utf16_units(text) > MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    if len(entities) > MAX_ENTITIES:
        raise ApiError(400, f"Bad Request: too many entities ({len(entities)} > {MAX_ENTITIES})")
    return text, entities, source
