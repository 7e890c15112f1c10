"""The Bot API's HTML subset, parsed strictly, so tests catch what Telegram would refuse.

Two levels, one parser:
- `parse_html` is what the Bot API stand-in applies to every message: Telegram answers 400
  "can't parse entities" for an unknown tag, an unbalanced tag or a bare '<'; it also refuses
  a bare '&' (Telegram tolerates it) so that unescaped feed text is caught even when it happens
  to look harmless.
- `visible_text` / `assert_valid_message` are the oracle for what our renderers emit: on top of
  `parse_html`, only the tags alerts use, no raw '>', no attributes but an http(s) `href` on
  `<a>`, no nested links, and at most 4096 UTF-16 units of visible text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PREFIX = "can't parse entities: "

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAME_RE = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_RE = re.compile(r"[a-zA-Z0-9_-]+")


class HtmlError(ValueError):
    """The Bot API's description of why a text was refused (without "Bad Request: ")."""


@dataclass(frozen=True)
class Entity:
    """A formatting span; offsets are in code points (the API's are UTF-16, see to_api)."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_api(self, text: str) -> dict[str, Any]:
        start = utf16_len(text[: self.offset])
        data: dict[str, Any] = {
            "type": self.type,
            "offset": start,
            "length": utf16_len(text[self.offset : self.offset + self.length]),
        }
        for key in ("url", "language", "custom_emoji_id"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


class EntityView:
    """The spans tests assert on (bold words, links), read from `text` and its `entities`."""

    text: str
    entities: list[Entity]

    def parts(self, kind: str) -> list[str]:
        found = [e for e in self.entities if e.type == kind]
        return [self.text[e.offset : e.offset + e.length] for e in found]

    @property
    def bold(self) -> list[str]:
        return self.parts("bold")

    @property
    def links(self) -> list[tuple[str, str]]:
        found = [e for e in self.entities if e.type == "text_link"]
        return [(self.text[e.offset : e.offset + e.length], e.url or "") for e in found]


@dataclass
class ParsedText(EntityView):
    """Plain text as the user sees it, plus the spans tests assert on."""

    text: str
    entities: list[Entity] = field(default_factory=list)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, pos: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(text, pos)
    if match is None:
        raise HtmlError(
            f"{_PREFIX}Character '&' is reserved and must be escaped as &amp; {_at(text, pos)}"
        )
    named, dec, hexa = match.groups()
    if named:
        return _NAMED[named], match.end()
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlError(f"{_PREFIX}Invalid numeric entity {_at(text, pos)}")
    return chr(code), match.end()


def _decode_attr(value: str) -> str:
    return _ENTITY_RE.sub(lambda m: _decode_entity(m.group(0), 0)[0], value)


def _parse_attrs(text: str, pos: int, start: int) -> tuple[dict[str, str], int]:
    """Reads attributes up to '>' and returns them with the index after '>'."""
    attrs: dict[str, str] = {}

    def unclosed() -> HtmlError:
        return HtmlError(f"{_PREFIX}Unclosed start tag {_at(text, start)}")

    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise unclosed()
        if text[pos] == ">":
            return attrs, pos + 1
        name_match = _ATTR_RE.match(text, pos)
        if name_match is None:
            raise HtmlError(
                f"{_PREFIX}Expected equal sign in declaration of an attribute of the tag "
                f"{_at(text, start)}"
            )
        name, pos, value = name_match.group(0).lower(), name_match.end(), ""
        if pos < len(text) and text[pos] == "=":
            pos += 1
            if pos < len(text) and text[pos] in "\"'":
                end = text.find(text[pos], pos + 1)
                if end < 0:
                    raise unclosed()
                value, pos = text[pos + 1 : end], end + 1
            else:
                value_match = re.compile(r"[^\s>]*").match(text, pos)
                assert value_match is not None
                value, pos = value_match.group(0), value_match.end()
        attrs[name] = _decode_attr(value)


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    start: int


def _close(tag: _Open, out: list[str], entities: list[Entity], stack: list[_Open]) -> None:
    end = len(out)  # one item per decoded character
    kind = _TAG_TYPES[tag.name]
    if tag.name == "blockquote" and "expandable" in tag.attrs:
        kind = "expandable_blockquote"
    url = lang = emoji = None
    if kind == "text_link":
        url = tag.attrs.get("href") or "".join(out)[tag.start :]
    if kind == "custom_emoji":
        emoji = tag.attrs["emoji-id"]
    if kind == "code" and stack and stack[-1].name == "pre":
        cls = tag.attrs.get("class", "")
        lang = cls.removeprefix("language-") if cls.startswith("language-") else None
    if end > tag.start:
        entities.append(Entity(kind, tag.start, end - tag.start, url, lang, emoji))


def _at(source: str, index: int) -> str:
    return f"at byte offset {_byte_offset(source, index)}"


def _end_tag(source: str, start: int, stack: list[_Open]) -> tuple[_Open, int]:
    name_match = _NAME_RE.match(source, start + 2)
    assert name_match is not None
    name, pos = name_match.group(0).lower(), name_match.end()
    while pos < len(source) and source[pos].isspace():
        pos += 1
    if pos >= len(source) or source[pos] != ">":
        raise HtmlError(f"{_PREFIX}Unclosed end tag {_at(source, start)}")
    if not stack:
        raise HtmlError(f"{_PREFIX}Unexpected end tag {_at(source, start)}")
    if stack[-1].name != name:
        raise HtmlError(
            f"{_PREFIX}Unmatched end tag {_at(source, start)}, expected "
            f'"</{stack[-1].name}>", found "</{name}>"'
        )
    return stack.pop(), pos + 1


def _start_tag(source: str, start: int, text_length: int) -> tuple[_Open, int]:
    name_match = _NAME_RE.match(source, start + 1)
    assert name_match is not None
    name = name_match.group(0).lower()
    if name not in _TAG_TYPES:
        raise HtmlError(f'{_PREFIX}Unsupported start tag "{name}" {_at(source, start)}')
    attrs, pos = _parse_attrs(source, name_match.end(), start)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'{_PREFIX}Tag "span" must have class "tg-spoiler" {_at(source, start)}')
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise HtmlError(
            f'{_PREFIX}Tag "tg-emoji" must have attribute "emoji-id" {_at(source, start)}'
        )
    return _Open(name, attrs, text_length), pos


def parse_html(source: str) -> ParsedText:
    """Parses like the Bot API does for parse_mode=HTML; raises HtmlError when it would refuse."""
    out: list[str] = []  # one item per character of the resulting text
    entities: list[Entity] = []
    stack: list[_Open] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "&":
            decoded, pos = _decode_entity(source, pos)
            out.append(decoded)
        elif char != "<":
            out.append(char)
            pos += 1
        elif source.startswith("</", pos):
            tag, pos = _end_tag(source, pos, stack)
            _close(tag, out, entities, stack)
        else:
            tag, pos = _start_tag(source, pos, len(out))
            stack.append(tag)
    if stack:
        raise HtmlError(
            f'{_PREFIX}Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e.offset, -e.length))
    return ParsedText("".join(out), entities)


def entities_from_api(text: str, raw: list[Any]) -> list[Entity]:
    """Turns API entities (UTF-16 offsets) into code-point ones, ignoring malformed items."""
    starts: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        starts[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    starts[units] = len(text)
    result = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        try:
            begin = starts.get(int(item.get("offset", -1)))
            end = starts.get(int(item.get("offset", 0)) + int(item.get("length", 0)))
        except (TypeError, ValueError):
            continue
        if begin is None or end is None:
            continue
        result.append(
            Entity(
                str(item.get("type")),
                begin,
                end - begin,
                item.get("url"),
                item.get("language"),
                item.get("custom_emoji_id"),
            )
        )
    return result


# -- the stricter subset our own messages keep to --------------------------------------------

ALERT_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
MAX_UTF16 = 4096

_STRICT_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>')
_STRICT_ATTR = re.compile(r'([a-z-]+)="([^"<>]*)"')
_HTTP_URL = re.compile(r"(?i)https?://[^\s]+$")


class TelegramHTMLError(HtmlError, AssertionError):
    """Telegram would refuse the message, or it leaves the subset our renderers keep to."""


def _check_subset(message: str) -> None:
    stack: list[str] = []
    pos = 0
    for match in re.finditer(r"<[^<>]*>?", message):
        if ">" in message[pos : match.start()]:
            raise TelegramHTMLError(f"raw '>' at offset {message.index('>', pos)}")
        tag = _STRICT_TAG.fullmatch(match.group())
        if tag is None:
            raise TelegramHTMLError(f"not a tag: {match.group()[:40]!r}")
        closing, name, attributes = tag.groups()
        if name not in ALERT_TAGS:
            raise TelegramHTMLError(f"tag <{name}> is outside the subset our messages use")
        pos = match.end()
        if closing:
            if attributes:
                raise TelegramHTMLError(f"</{name}> with attributes")
            stack.pop()
            continue
        attrs = {key: _decode_attr(value) for key, value in _STRICT_ATTR.findall(attributes)}
        if name == "a":
            if set(attrs) != {"href"} or not _HTTP_URL.match(attrs["href"]):
                raise TelegramHTMLError(f"bad link attributes {attrs!r}")
            if "a" in stack:
                raise TelegramHTMLError("nested <a>")
        elif attrs:
            raise TelegramHTMLError(f"<{name}> takes no attributes here")
        stack.append(name)
    if ">" in message[pos:]:
        raise TelegramHTMLError(f"raw '>' at offset {message.index('>', pos)}")


def visible_text(message: str) -> str:
    """The text a user sees; TelegramHTMLError when it would not parse or leaves our subset."""
    try:
        parsed = parse_html(message)
    except HtmlError as exc:
        raise TelegramHTMLError(str(exc)) from exc
    _check_subset(message)
    return parsed.text


def assert_valid_message(message: str) -> str:
    """The message parses, is non-empty and fits Telegram's limit; returns its visible text."""
    text = visible_text(message)
    assert text.strip(), "empty message"
    units = utf16_len(text)
    assert units <= MAX_UTF16, f"{units} UTF-16 units > {MAX_UTF16}"
    return text
