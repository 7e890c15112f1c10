"""How alike two reports are: cosine of IDF-weighted signatures.

Cosine rather than Jaccard or overlap because it is length-fair: a three-line wire report and a
long lead of the same happening still score high, and a word that is rare now (a surname, a
place, a sum) counts far more than a word every outlet uses today.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bot.stories.signature import Signature

Idf = Callable[[str], float]


def weighted(sig: Signature, idf: Idf) -> tuple[dict[str, float], float]:
    """The IDF-weighted vector of a signature and its norm (computed once per comparison
    round, since the IDF moves with the window)."""
    vector = {key: weight * idf(key) for key, weight in sig.items()}
    return vector, math.sqrt(sum(v * v for v in vector.values()))


def cosine(a: dict[str, float], norm_a: float, b: dict[str, float], norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(value * b[key] for key, value in a.items() if key in b)
    return dot / (norm_a * norm_b)
