"""A strict checker for Telegram's HTML parse mode, used as the oracle in the alert tests.

It accepts less than Telegram does (unknown tags, stray `<`, `>` or `&`, unknown named entities,
unbalanced or crossed tags, `<a>` without an http(s) href are all errors), so passing it means
Telegram will parse the message. It returns the visible text so tests can measure it.
"""

from __future__ import annotations

import re

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MAX_UTF16 = 4096

_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>')
_ATTR = re.compile(r'([a-z-]+)="([^"<>]*)"')
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


class TelegramHTMLError(AssertionError):
    pass


def _decode(text: str, where: str) -> str:
    out: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in "<>":
            raise TelegramHTMLError(f"raw {char!r} at {where}+{pos}: {text[pos : pos + 30]!r}")
        if char == "&":
            match = _ENTITY.match(text, pos)
            if match is None:
                raise TelegramHTMLError(f"bare '&' at {where}+{pos}: {text[pos : pos + 30]!r}")
            decimal, hexa, name = match.groups()
            if name is not None:
                if name not in NAMED_ENTITIES:
                    raise TelegramHTMLError(f"unsupported entity &{name};")
                out.append(NAMED_ENTITIES[name])
            else:
                out.append(chr(int(decimal) if decimal else int(hexa, 16)))
            pos = match.end()
            continue
        out.append(char)
        pos += 1
    return "".join(out)


def visible_text(message: str) -> str:
    """Visible text of a Telegram HTML message; TelegramHTMLError when it would not parse."""
    stack: list[str] = []
    visible: list[str] = []
    pos = 0
    for match in re.finditer(r"<[^<>]*>?", message):
        visible.append(_decode(message[pos : match.start()], f"offset {pos}"))
        tag = _TAG.fullmatch(match.group())
        if tag is None:
            raise TelegramHTMLError(f"not a tag: {match.group()[:40]!r}")
        closing, name, attributes = tag.groups()
        if name not in ALLOWED_TAGS:
            raise TelegramHTMLError(f"tag <{name}> is outside Telegram's HTML subset")
        if closing:
            if attributes or not stack or stack.pop() != name:
                raise TelegramHTMLError(f"unbalanced </{name}>")
        else:
            attrs = {key: _decode(value, "attr") for key, value in _ATTR.findall(attributes)}
            if name == "a":
                href = attrs.get("href", "")
                if set(attrs) != {"href"} or not re.match(r"(?i)https?://[^\s]+$", href):
                    raise TelegramHTMLError(f"bad link attributes {attrs!r}")
                if "a" in stack:
                    raise TelegramHTMLError("nested <a>")
            elif attrs:
                raise TelegramHTMLError(f"<{name}> takes no attributes here")
            stack.append(name)
        pos = match.end()
    visible.append(_decode(message[pos:], f"offset {pos}"))
    if stack:
        raise TelegramHTMLError(f"unclosed tags {stack}")
    return "".join(visible)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def assert_valid_message(message: str) -> str:
    """The message parses, is non-empty and fits Telegram's limit; returns its visible text."""
    text = visible_text(message)
    assert text.strip(), "empty message"
    units = utf16_units(text)
    assert units <= MAX_UTF16, f"{units} UTF-16 units > {MAX_UTF16}"
    return text


__all__ = ["TelegramHTMLError", "assert_valid_message", "utf16_units", "visible_text"]
