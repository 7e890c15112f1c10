"""Names in capitals: which keys a capitalised text word holds, and what a capitalised query
word asks for.

A capitalised query is read as a name, and a name never matches a lowercase common word:
«Мороз» not «мороза», «Новак» not «новаков», «Лев» not «льва». So the keys a capitalised
query asks for exist only on capitalised text words: ``sur:`` (surname patterns, surnames.py)
and ``p:`` (the dictionary's personal-name readings). Places and organisations keep plain
lemmas: «Кремль» and «кремль» are one word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pymorphy3.analyzer import Parse

from bot.matching import surnames
from bot.matching.text import fold

NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
OTHER_NAMES = NAME_GRAMMEMES - {"Surn"}
LATIN = "lat:"  # key prefix of a capitalised Latin word as written (analyzer.py)
_ALL_CAPS = re.compile(r"^[A-ZА-ЯЁ]{2,5}$")
_ABBR_WITH_ENDING = re.compile(r"^([A-ZА-ЯЁ]{2,5})([a-zа-яё]{1,3})$")


def abbreviation_of(surface: str) -> str | None:
    """«МИД», «МИДе», «NATO» -> folded abbreviation; «Если» -> None."""
    if _ALL_CAPS.match(surface):
        return fold(surface)
    m = _ABBR_WITH_ENDING.match(surface)
    if m is not None:
        return fold(m.group(1))
    return None


def name_key(parse: Parse) -> str:
    """A name's lemma as a capitalised query asks for it."""
    lemma = fold(parse.normal_form)
    return "p:" + lemma if PERSON_GRAMMEMES & parse.tag.grammemes else lemma


def text_keys(word: str, parses: Sequence[Parse]) -> set[str]:
    """The name keys of a capitalised text word (folded), besides its ordinary ones."""
    keys = surnames.text_keys(word)
    keys.update("p:" + fold(p.normal_form) for p in parses if PERSON_GRAMMEMES & p.tag.grammemes)
    return keys


def surname_reading(word: str, parses: Sequence[Parse]) -> tuple[frozenset[str], str] | None:
    """(keys, lemma) of a capitalised query word (folded) read as a surname, or None.

    A word shaped like a surname asks for the surname's paradigm, unless the dictionary reads
    it otherwise: a common word in its dictionary form («Бензин», «Союз»: typed with a
    capital), a form of another name («Штатов»), or, for a bare consonant ending, a form of a
    common word («Трасс»). A Russian surname suffix wins over such a reading: «Токаев» is not
    the wine «токай». The dictionary's own name readings still count (plurals such as «Бушей»,
    first names with a fleeting vowel: «Лев», «Льва»)."""
    shape = surnames.query_shape(word)
    if shape is None:
        return None
    base, native = shape
    named: list[Parse] = []
    common = other_name = other_word = False
    for p in parses:
        if not p.is_known:
            continue
        lemma = fold(p.normal_form)
        is_name = bool(NAME_GRAMMEMES & p.tag.grammemes)
        if is_name and lemma in (word, base):
            named.append(p)
        elif lemma == word:
            common = True
        elif is_name:
            other_name = True
        else:
            other_word = True
    if not named and (common or other_name or (other_word and not native)):
        return None
    keys = {surnames.PREFIX + base}
    keys.update(name_key(p) for p in named)
    # The name as typed («Антонина»), before the surname it is also a form of («Антонин»).
    lemma = min((fold(p.normal_form) for p in named), key=lambda n: n != word, default=base)
    return frozenset(keys), lemma


def other_name(word: str, parses: Sequence[Parse]) -> bool:
    """The dictionary knows the word as a first name or a place («Лев», «Берлин»), whose forms
    it declines better than a surname pattern would («Льва»)."""
    return any(
        p.is_known and OTHER_NAMES & p.tag.grammemes and fold(p.normal_form) == word
        for p in parses
    )
