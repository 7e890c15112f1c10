"""Finding the agency dateline («Москва. 2 февраля. INTERFAX.RU -») at the start of an article.

A dateline tells a phone reader nothing the alert's header does not already say, and razdel would
split it into sham sentences («Москва.», «2 февраля.»), so the summary must skip it. The pattern is
strict on purpose: a place, a date with a month name, then an agency marker and a terminator.
Without all of that we keep the text, because eating a real first sentence is worse than showing
a dateline.
"""

from __future__ import annotations

import re

__all__ = ["dateline_end", "strip_dateline"]

_MONTH_RU = (
    r"(?i:январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]"
    r"|октябр[ья]|ноябр[ья]|декабр[ья]|янв|фев|мар|апр|авг|сент?|окт|нояб?|дек)\.?"
)
_MONTH_EN = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH_RU}(?:\s+\d{{4}}(?:\s*(?:г\.|года?))?)?"
    rf"|{_MONTH_EN}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{_MONTH_EN}(?:\s+\d{{4}})?"
    r"|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))"
    r"(?:[,\s]+\d{1,2}:\d{2})?"
)
# One to three capitalised words: «Москва», «НЬЮ-ЙОРК», «Нижний Новгород», «Ростов-на-Дону».
_PLACE = r"[A-ZА-ЯЁ][\w’'-]*(?:\s+[A-ZА-ЯЁ][\w’'-]*){0,2}"
_KNOWN_AGENCY = (
    r"(?:ИА\s+)?(?:РИА\s+Новости|Reuters|Рейтер|Bloomberg|Блумберг|Интерфакс(?:-[\w]+)?"
    r"|Прайм|Regnum|Регнум|Sputnik|Спутник|Associated\s+Press|Франс\s+Пресс"
    r"|France\s+Presse|Синьхуа|Xinhua|Известия|Коммерсантъ|Ведомости|Лента\.ру|Газета\.Ru)"
    # Features carry the author: «РИА Новости, Мария Иванова.»
    r"(?:,\s+[A-ZА-ЯЁ][\w-]+(?:\s+[A-ZА-ЯЁ][\w-]+){0,2}(?=\s*[.:—–-]))?"
)
_AGENCY = (
    r"(?:/[^/\n]{1,60}/"  # /ТАСС/, /Корр. ТАСС/
    r"|\([^()\n]{1,30}\)"  # (Reuters), (AP)
    r"|[«\"][^»\"\n]{1,30}[»\"]"  # ИА «Регнум» without the ИА
    r"|ИА\s+[«\"][^»\"\n]{1,30}[»\"]"
    rf"|{_KNOWN_AGENCY}"
    r"|[\w-]+\.(?:RU|ru|Ru|COM|com|РФ|рф)\b"  # INTERFAX.RU
    r"|[A-ZА-ЯЁ]{2,}(?:[-.][A-ZА-ЯЁ]{2,})*\b)"  # ТАСС, ПРАЙМ, INTERFAX-UKRAINE
)
_DATELINE = re.compile(
    rf"\s*(?:{_PLACE}\s*[.,]\s*)?{_DATE}"
    r"\s*(?:[.,]\s*)?(?P<pre>[—–-]\s*)?"
    rf"(?:{_AGENCY})"
    r"(?P<post>[ \t]*(?:[.:][ \t]*)?[—–-]+|[ \t]*[.:]|[ \t]*\n)?\s*"
    # «WASHINGTON (AP) — » has no date; a parenthesised agency plus a dash is distinctive enough.
    rf"|\s*{_PLACE}(?:,\s*)?\s*\([^()\n]{{1,30}}\)\s*(?P<post2>[—–-]+)\s*"
)
_MAX_DATELINE = 160
# After a dateline that lacks its own terminator the article must visibly start afresh.
_FRESH_START = re.compile(r"[A-ZА-ЯЁ0-9«\"„“(]")


def dateline_end(text: str) -> int:
    """Offset where the article proper begins: 0 when no dateline is recognised."""
    match = _DATELINE.match(text[: _MAX_DATELINE + 1])
    if match is None or match.end() > _MAX_DATELINE:
        return 0
    end = match.end()
    rest = text[end:]
    if not rest.strip():
        return 0  # a "dateline" that is the whole text is the text
    terminated = bool(match.group("post") or match.group("post2"))
    if not terminated and not (match.group("pre") and _FRESH_START.match(rest)):
        return 0
    return end


def strip_dateline(text: str) -> str:
    return text[dateline_end(text) :]
