"""What an item says, as weighted words: the part of an item the grouper keeps.

A word is the set of keys the matching Analyzer gives it (its public `document`), so «Лаврова»,
«Лавров» and «ЛАВРОВ» are one word to the grouper as they are to subscribers. Words, not keys,
are what is compared: the analyzer gives a name up to seven keys (lemma guesses, stem, surname
base...), and counting each key, or splitting the weight over them, let the number of keys
decide how much a word counts: a name with seven keys counted a seventh of a common word in
the cosine. Measured at the old threshold (0.30): as words, synthetic-set F1 0.62 -> 0.75
(2 hard negatives merged, as before), dev set unchanged (0.61, precision 1.0).

The weights here are raw (field weight only); rarity (IDF) is applied at comparison time from
the live window, because what is rare changes as the stream moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bot.matching import Analyzer

# The title states the happening; the lead mostly repeats it with context. Measured on the dev
# set: 2 beats 1, 1.5 and 3 (F1 0.72 / 0.61 / 0.72 at the chosen threshold, 3 is flatter).
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.0
# Long texts drift into background; reprints agree in the first sentences.
LEAD_TOKENS = 60
# Abbreviated number words, as news writes sums («250 тыс. грн» beside «250 тысяч»): the
# grouper reads them as the word (a subscription still finds only what was written).
NUMBER_WORDS = {"тыс": "тысяча", "млн": "миллион", "млрд": "миллиард", "трлн": "триллион"}
# Shortest place name a place adjective is read back to («харьковский» -> «харьков»): «мир»
# from «мирский», «рус» from «русский» would pair words that are not one place.
PLACE_BASE = 4
# Verbs by which a headline reports a response to something said or done before: «Захарова
# ответила на слова Зеленского», «Пригожин оценил признание „Вагнера“», «В Госдуме отреагировали
# на задержание». A report headed so is a reaction, by the rule its own story (see
# similarity.ONE_SIDED_REACTION). Not «осудить» (a court convicts: «осуждена виновница пожара»
# reports the sentence itself) nor «объяснить» (an airline explaining its own emergency landing
# is part of the landing's story).
REACTION_VERBS = frozenset(
    {
        "отреагировать",
        "ответить",
        "прокомментировать",
        "оценить",
        "раскритиковать",
        "высмеять",
        "предречь",
        "возмутиться",
        "высказаться",
        "усомниться",
        "опровергнуть",
    }
)
# Words by which a headline reports what followed a happening rather than the happening: the
# criminal case opened, the inquiry begun, the compensation promised, the mourning declared
# («СК возбудил дело после пожара на складе», «Прокуратура проверит обстоятельства посадки»).
# By the rule each is its own story, and it shares every name of the happening. A headline so
# worded counts as a reaction (similarity.ONE_SIDED_REACTION). Measured on the four labelled
# sets (F1 alone / crowd, hard negatives merged alone + crowd; unchanged where not named):
#   without: bigstories 0.49 / 0.88, 0+12; manysources 0.96 / 0.98, 0+1
#   with:    bigstories 0.49 / 0.92, 0+5;  manysources 0.96 / 1.00, 0+0
# dev, synthetic, the Lenta.ru days and the contest's 210 pairs do not move. Not «арестовать»
# (measured: no change), since an arrest is as often the news itself as a detention's sequel.
AFTERMATH_WORDS = frozenset(
    {"возбудить", "проверка", "проверить", "компенсировать", "компенсация", "траур"}
)
# What marks a headline as answering or following something before it (Signature.reaction).
_RESPONSE_KEYS = REACTION_VERBS | AFTERMATH_WORDS
# Only the text's head is analysed: far more than LEAD_TOKENS words (so the lead is the same as
# over the whole text), and a 100,000-character item costs what a short one does.
LEAD_CHARS = 4_000


class Word(NamedTuple):
    keys: tuple[str, ...]  # sorted: a word pairs with the same word whatever the hash seed
    weight: float


@dataclass(frozen=True, slots=True)
class Signature:
    """An item's content words, best field weight each; `reaction`: its title reports a
    response to something before it or what followed it (REACTION_VERBS, AFTERMATH_WORDS)."""

    words: tuple[Word, ...]
    reaction: bool = False

    @property
    def keys(self) -> frozenset[str]:
        """Every key of every word (what the document frequencies and the story index count);
        derived, not stored: a signature is kept per story member for a whole window."""
        return frozenset(k for w in self.words for k in w.keys)

    def key_weights(self) -> dict[str, float]:
        """Key -> the weight of the word holding it (for the index probe)."""
        out: dict[str, float] = {}
        for word in self.words:
            for key in word.keys:
                out[key] = max(out.get(key, 0.0), word.weight)
        return out


def signature(analyzer: Analyzer, title: str, text: str) -> Signature:
    """Content words of a title and its lead; a word's weight is the best field it occurs in."""
    weights: dict[frozenset[str], float] = {}
    _add(analyzer, title, TITLE_WEIGHT, weights, None)
    reaction = any(not _RESPONSE_KEYS.isdisjoint(keys) for keys in weights)
    _add(analyzer, text[:LEAD_CHARS], LEAD_WEIGHT, weights, LEAD_TOKENS)
    words = tuple(Word(tuple(sorted(k)), w) for k, w in weights.items())
    return Signature(words, reaction)


def _add(
    analyzer: Analyzer,
    text: str,
    weight: float,
    out: dict[frozenset[str], float],
    limit: int | None,
) -> None:
    tokens = analyzer.document(text).tokens  # the title, or the head of the text
    if limit is not None:
        tokens = tokens[:limit]
    for token in tokens:
        keys = _content_keys(analyzer, token.surface, token.keys)
        if not keys:
            continue
        if weight > out.get(keys, 0.0):
            out[keys] = weight


def _content_keys(analyzer: Analyzer, surface: str, keys: frozenset[str]) -> frozenset[str]:
    """Keys that carry content: numbers always; no prepositions, conjunctions, particles,
    one-letter words.

    IDF would push function words down anyway, but not on a cold start (a fresh window knows
    no frequencies), and a short lower-case word is never what distinguishes two stories.
    """
    numbers = frozenset(k for k in keys if k.startswith("="))
    if numbers:
        return numbers
    # «В», «С», «К» opening a sentence are prepositions, never a name (no-op on the labelled
    # sets' figures, but a cold window would count them as words like any other).
    if len(surface) == 1 or (len(surface) <= 2 and surface.islower()):
        return frozenset()
    if analyzer.query_word(surface).function_word:
        return frozenset()
    # «и» reads as a possible abbreviation in the dictionary; only capitals make one.
    content = frozenset(k for k in keys if surface.isupper() or not k.startswith("abbr:"))
    return content | _same_word_keys(content)


def _same_word_keys(keys: frozenset[str]) -> frozenset[str]:
    """Keys under which the grouper also reads a word: one outlet writes «в Харькове» and «250
    тысяч», another «харьковской» and «250 тыс.», and both report one happening.

    A place adjective («харьковский», «брянский», «донецкий») gets its place's lemma
    («харьков», «брянск», «донецк»): only as a lemma, not as a stem (the stem of «харьков» is
    «харьк», which other words share). A word read as a personal name keeps none: «Жуковский»
    is not Жуков. Measured on the three labelled sets (F1 alone / crowd, hard negatives
    merged; dev, synthetic, manysources): before 0.72/0.67, 0.85/0.85, 0.84/0.96, 0+0, 0+2,
    1+2; with both 0.77/0.72, 0.87/0.86, 0.87/0.96, hard negatives unchanged. Either alone
    leaves dev at 0.72 (its gained pair needs both); places as stems too: dev 0.72; also
    reading «-ский» back to «-а», «-ия» (американский -> америка, российский -> россия): dev
    0.67, since the country words every item has then pair more items; verbal nouns read as
    their verbs too («задержание» -> «задержать», «похищение» -> «похитить»): only the
    synthetic crowd moves (0.86 -> 0.88), not kept.
    """
    extra: set[str] = set()
    if any(k.startswith("p:") for k in keys):
        return frozenset()
    for key in keys:
        if key in NUMBER_WORDS:
            extra.add(NUMBER_WORDS[key])
        elif key[:1].isalpha() and ":" not in key and key.endswith(("ский", "цкий")):
            # -цкий keeps its к (донецкий -> донецк); -ский may have eaten «ск» (брянский ->
            # брянск) or not (харьковский -> харьков): both are tried.
            bases = (key[:-2],) if key.endswith("цкий") else (key[:-4], key[:-2])
            extra.update(base for base in bases if len(base) >= PLACE_BASE)
    return frozenset(extra)
