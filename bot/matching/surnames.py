"""Surnames by their endings, not by the dictionary.

pymorphy3 knows many surnames, but not all, and guesses the rest inconsistently: «Токаев» is
read as the genitive plural of the wine «токай», «Мантурова» as a village, «Трутневым» as the
adjective «трутневой». Russian surnames and foreign ones ending in a consonant decline by a
handful of regular patterns, so a surname's whole paradigm can be reached from its endings:
every capitalised word of a text gets a key ``sur:<base>`` per pattern its ending fits, and a
capitalised query word shaped like a surname asks for its own base.

The paradigm is the family's: «Лаврова» is both the masculine genitive and the feminine
nominative, so the genders cannot be told apart by form, and ``Лавров``, ``Лаврова``,
``Лавровы`` all share the base «лавров». Guessed keys that belong to no real word (the base
«москв» of «Москве») cost a little memory and match nothing a user asks for.
"""

from __future__ import annotations

import re

from bot.matching.forms import like

PREFIX = "sur:"
_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")
_VOWELS_BEFORE_J = frozenset("аеяуюэо")
_HISSING = frozenset("жцчшщ")
_CYRILLIC = re.compile(r"^[а-яё]+$")

# (-ов/-ев/-ин/-ын) Лавров: masculine, feminine and plural endings after the suffix.
_POSSESSIVE_SUFFIXES = ("ов", "ев", "ин", "ын")
_POSSESSIVE_ENDINGS = ("", "а", "у", "ым", "е", "ой", "ою", "ы", "ых", "ыми")
# (-ский/-цкий) Жириновский: declined as an adjective, all genders and plural.
_ADJECTIVE_SUFFIXES = ("ск", "цк")
_ADJECTIVE_ENDINGS = ("ий", "ой", "ого", "ому", "им", "ом", "ая", "ую", "ою", "ие", "их", "ими")
# (consonant) Трамп, Шольц: declined as «стол»; a woman's such surname does not change.
_CONSONANT_ENDINGS = ("", "а", "у", "ом", "ем", "е")
# (-ь, -й) Гоголь, Гайдай: declined as «конь», «край».
_SOFT_ENDINGS = ("я", "ю", "ем", "е")
_OBLIQUE = ("ом", "ем", "ым", "им", "ам", "ям", "ах", "ях", "ей")


def query_shape(word: str) -> tuple[str, bool] | None:
    """The base a folded query word asks for if it is shaped like a surname in the nominative
    (masculine or feminine), and whether the shape is a Russian surname suffix (-ов, -ин,
    -ский) rather than just a consonant ending; None otherwise. Endings of oblique cases
    («Владимиром», «Россией», «Играх») are not nominatives of foreign surnames."""
    if _CYRILLIC.match(word) is None:
        return None
    if len(word) >= 4 and word.endswith(_POSSESSIVE_SUFFIXES):
        return word, True
    if len(word) >= 5 and word[-1] == "а" and word[:-1].endswith(_POSSESSIVE_SUFFIXES):
        return word[:-1], True
    if (
        len(word) >= 6
        and word[-2:] in ("ий", "ой", "ая")
        and word[:-2].endswith(_ADJECTIVE_SUFFIXES)
    ):
        return word[:-2] + "ий", True
    if word.endswith(_OBLIQUE):
        return None
    last = word[-1]
    if len(word) >= 3 and last in _CONSONANTS:
        return word, False
    if len(word) >= 4 and last == "ь" and word[-2] in _CONSONANTS:
        return word, False
    if len(word) >= 4 and last == "й" and word[-2] in _VOWELS_BEFORE_J and word[-2] != "о":
        return word, False
    return None


def text_keys(word: str) -> set[str]:
    """Every ``sur:`` key a capitalised, folded text word may hold: one per surname pattern
    whose endings fit it."""
    if _CYRILLIC.match(word) is None:
        return set()
    bases: set[str] = set()
    n = len(word)
    for ending in _POSSESSIVE_ENDINGS:
        if word.endswith(ending):
            base = word[: n - len(ending)]
            if len(base) >= 4 and base.endswith(_POSSESSIVE_SUFFIXES):
                bases.add(base)
    for ending in _ADJECTIVE_ENDINGS:
        if word.endswith(ending):
            base = word[: n - len(ending)]
            if len(base) >= 4 and base.endswith(_ADJECTIVE_SUFFIXES):
                bases.add(base + "ий")
    for ending in _CONSONANT_ENDINGS:
        if word.endswith(ending):
            base = word[: n - len(ending)]
            if len(base) >= 3 and base[-1] in _CONSONANTS:
                bases.add(base)
    if n >= 4 and (
        (word[-1] == "ь" and word[-2] in _CONSONANTS)
        or (word[-1] == "й" and word[-2] in _VOWELS_BEFORE_J and word[-2] != "о")
    ):
        bases.add(word)
    for ending in _SOFT_ENDINGS:
        if word.endswith(ending):
            stem = word[: n - len(ending)]
            if len(stem) >= 3:
                if stem[-1] in _CONSONANTS:
                    bases.add(stem + "ь")
                elif stem[-1] in _VOWELS_BEFORE_J and stem[-1] != "о":
                    bases.add(stem + "й")
    return {PREFIX + base for base in bases}


def forms(surface: str, limit: int = 4) -> tuple[str, ...]:
    """A few oblique forms of a surname as typed (keeping its ё and capitals), for the reply
    that shows how a subscription was understood."""
    word = surface.lower()
    folded = word.replace("ё", "е")
    shape = query_shape(folded)
    if shape is None:
        return ()
    base = shape[0]
    endings: tuple[str, ...]
    if base != folded and folded.endswith("а") and not base.endswith("ий"):
        stem, endings = word[:-1], ("ой", "у")  # feminine Захарова
    elif base.endswith("ий") and base != folded and folded.endswith("ая"):
        stem, endings = word[:-2], ("ой", "ую")  # feminine Поклонская
    elif base.endswith("ий") and folded.endswith(("ий", "ой")) and len(folded) >= 6:
        stem, endings = word[:-2], ("ого", "ому", "им", "ом")
    elif folded.endswith(_POSSESSIVE_SUFFIXES):
        stem, endings = word, ("а", "у", "ым", "е")
    elif folded[-1] in ("ь", "й"):
        stem, endings = word[:-1], ("я", "ю", "ем", "е")
    else:
        ins = "ем" if folded[-1] in _HISSING else "ом"
        stem, endings = word, ("а", "у", ins, "е")
    return tuple(like(surface, stem + ending) for ending in endings[:limit])
