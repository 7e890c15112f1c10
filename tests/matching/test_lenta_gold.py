"""Real text: 58 Lenta.ru sentences with gold lemmas (MorphoRuEval-2017 via GramEval-2020).

The dictionary form of every noun and proper noun must find the sentence that holds it, in
whatever case it stands there; nouns taken from other sentences (and absent from this one)
must not fire. The sentence text is rebuilt by joining the gold tokens with spaces.
"""

from __future__ import annotations

import random

from bot.matching import Analyzer, parse_query
from bot.matching.text import fold
from tests.support.paths import MATCHING

CONLLU = MATCHING / "lenta-gold-lemmas.conllu"
Sentence = list[tuple[str, str, str]]  # (form, lemma, upos)


def load_sentences() -> list[Sentence]:
    sentences: list[Sentence] = []
    current: Sentence = []
    for line in CONLLU.read_text("utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                current.append((cols[1], cols[2], cols[3]))
    if current:
        sentences.append(current)
    return sentences


def nouns(sentence: Sentence) -> list[str]:
    return [
        lemma
        for _, lemma, upos in sentence
        if upos in ("NOUN", "PROPN") and lemma.replace("-", "").isalpha()
    ]


def test_gold_noun_lemmas_find_their_sentence(analyzer: Analyzer) -> None:
    sentences = load_sentences()
    assert len(sentences) == 58
    missed = []
    total = 0
    for sentence in sentences:
        doc = analyzer.document(" ".join(form for form, _, _ in sentence))
        for lemma in nouns(sentence):
            total += 1
            if parse_query(lemma, analyzer).match(doc) is None:
                missed.append(lemma)
    assert total > 300
    assert missed == []


def test_nouns_from_other_sentences_do_not_fire(analyzer: Analyzer) -> None:
    sentences = load_sentences()
    rng = random.Random(2026)
    false_hits = []
    checked = 0
    for i, sentence in enumerate(sentences):
        present = {fold(lemma) for _, lemma, _ in sentence}
        others = sorted(
            {
                lemma
                for j, other in enumerate(sentences)
                if j != i
                for lemma in nouns(other)
                if fold(lemma) not in present
            }
        )
        doc = analyzer.document(" ".join(form for form, _, _ in sentence))
        for lemma in rng.sample(others, 10):
            checked += 1
            if parse_query(lemma, analyzer).match(doc) is not None:
                false_hits.append((i, lemma))
    assert checked == 580
    assert false_hits == []
