"""Plain text read as a question: «Что нового по Лаврову?» is about «Лавров».

A question is answered with a search for its content words, so the words that only make it a
question (что, нового, по, ли, расскажи) must go, and the rest must be put in the form a
subscription is written in: the dictionary form, a surname in its own gender («Захаровой» →
«Захарова»), a name capitalised, an abbreviation as typed. Morphology comes from the
Analyzer's pymorphy3; nothing here touches Telegram or storage.
"""

from __future__ import annotations

import re
from typing import Any

from bot.matching import MAX_TERMS, Analyzer
from bot.matching.text import TOKEN_RE

__all__ = ["content_query", "is_question"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Parts of speech that carry no topic: prepositions, conjunctions, particles, interjections,
# pronouns, predicatives, verbs and their forms, adverbs, numerals written as words.
_SKIP_POS = _words("PREP CONJ PRCL INTJ NPRO PRED VERB INFN PRTF PRTS GRND ADVB NUMR COMP ADJS")
_NAMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
# Words that open or pad a question, as lemmas: «что нового», «какие новости», «есть ли».
_QUESTION_WORDS = _words(
    "что как где когда кто почему зачем какой каков сколько чей куда откуда ли разве неужели есть"
)
_FILLERS = _words(
    "новый новое новенький новость свежий последний известие слышно известно информация "
    "инфа ситуация тема вопрос дело сегодня вчера сейчас сводка подробность обновление "
    "анонс"
)
_ENGLISH_SKIP = _words(
    "what whats what's who how when where why which is are was were the a an about on of "
    "in with for to new news latest any anything there happened happening tell me do does "
    "did up s"
)
# The cases a preposition takes, to pick the reading of the word after it: «про Набиуллину»
# is the feminine accusative, not «to Mr Nabiullin».
_GOVERNS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("про", "через"), frozenset({"accs"})),
    **dict.fromkeys(("о", "об", "обо", "при"), frozenset({"loct"})),
    **dict.fromkeys(_words("у от до из без для около после против вокруг"), frozenset({"gent"})),
    "к": frozenset({"datv"}),
    "по": frozenset({"datv", "loct"}),
    **dict.fromkeys(("с", "со"), frozenset({"ablt", "gent"})),
    **dict.fromkeys(("над", "перед", "между"), frozenset({"ablt"})),
    **dict.fromkeys(("под", "за"), frozenset({"ablt", "accs"})),
    **dict.fromkeys(("в", "во", "на"), frozenset({"loct", "accs"})),
}
# Among a capitalised word's name readings, a person's surname is the likeliest subject.
_NAME_ORDER = ("Surn", "Name", "Patr", "Orgn", "Geox")
_QUESTION_MARKS = re.compile(r"[?？¿]")
# A Russian surname in an oblique case, for names the dictionary lacks («Мантурове»):
# stem, then the ending that tells the gender (-ой is feminine, the others masculine).
_SURNAME_CASE = re.compile(r"^(?P<stem>[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын))(?P<end>ой|ым|у|е|а)$")
_MAX_WORDS = min(MAX_TERMS, 6)


def is_question(text: str, analyzer: Analyzer) -> bool:
    """A question mark anywhere, or a first word that asks (что, как, кто, what…)."""
    if _QUESTION_MARKS.search(text):
        return True
    first = TOKEN_RE.search(text)
    if first is None:
        return False
    word = first.group().casefold()
    if word in _QUESTION_WORDS or word in _ENGLISH_SKIP - {"a", "the", "an"}:
        return True
    readings = analyzer.readings(first.group()) if not word.isascii() else []
    return bool(readings) and "impr" in readings[0].tag.grammemes  # «Расскажи про…»


def content_query(text: str, analyzer: Analyzer) -> str:
    """The topic words of a question as a subscription query («Лавров»), or "" if none.

    The words are joined by spaces: the query matches items that have all of them, in any
    form and order, which is what «what is new about X and Y» asks for.
    """
    words: list[str] = []
    governed: frozenset[str] = frozenset()
    for index, match in enumerate(TOKEN_RE.finditer(text)):
        surface = match.group()
        word, pos = _content_word(surface, index == 0, governed, analyzer)
        governed = _GOVERNS.get(surface.casefold(), frozenset()) if pos == "PREP" else frozenset()
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
        if len(words) >= _MAX_WORDS:
            break
    return " ".join(words)


def _content_word(
    surface: str, first: bool, governed: frozenset[str], analyzer: Analyzer
) -> tuple[str, str]:
    """(the word as a query term or "", its part of speech) for one token of a question."""
    folded = surface.casefold().replace("ё", "е")
    if any(ch.isdigit() or ch == "+" for ch in surface):
        return surface, "NUMB"  # G20, ОПЕК+, 2025: matched whole
    if surface.isascii():
        if folded in _ENGLISH_SKIP or len(folded) < 2:
            return "", "LATN"
        return surface, "LATN"
    if len(surface) > 1 and surface.isupper():
        return surface, "ABBR"  # МИД, США
    readings: list[Any] = analyzer.readings(surface)
    if not readings:
        return "", ""
    capitalised = surface[:1].isupper()
    if capitalised and not first and not any({"Surn", "Name"} & p.tag.grammemes for p in readings):
        shaped = _SURNAME_CASE.match(surface)
        if shaped is not None:
            return shaped["stem"] + ("а" if shaped["end"] == "ой" else ""), "NOUN"
    if governed:  # «по Лаврову», «у Токаева»: the case the preposition asks for
        readings = [p for p in readings if governed & p.tag.grammemes] or readings
    names = [p for p in readings if _NAMES & p.tag.grammemes]
    if capitalised and names:
        readings = sorted(names, key=_name_rank)
    best = readings[0]
    pos = str(best.tag.POS or "")
    lemma = str(best.normal_form)
    if lemma in _QUESTION_WORDS or folded in _QUESTION_WORDS or lemma in _FILLERS:
        return "", pos
    # A capitalised word inside the sentence is kept even when read as an adverb or a verb
    # form: it is more likely a name the dictionary reads otherwise.
    named = capitalised and not first and pos not in ("PREP", "CONJ", "PRCL", "NPRO")
    if (pos in _SKIP_POS or "Apro" in best.tag.grammemes) and not named:
        return "", pos
    if _NAMES & best.tag.grammemes:
        # A surname keeps its gender: «Захаровой» is Захарова, «Лаврову» is Лавров.
        form = best.inflect({"nomn", "sing"}) or best
        lemma = str(form.word)
    if capitalised and (not first or _NAMES & best.tag.grammemes or not best.is_known):
        return lemma[:1].upper() + lemma[1:], pos
    return lemma, pos


def _name_rank(reading: Any) -> int:
    grammemes = reading.tag.grammemes
    return next((i for i, g in enumerate(_NAME_ORDER) if g in grammemes), len(_NAME_ORDER))
