"""Latin spellings of a Russian name, the systematic part: what English-language media write
for a name nobody has chosen a conventional spelling for.

`iuliia` implements the romanisation schemes in use; three of them cover what news agencies
print: Wikipedia's (Zelensky, Shoygu), BGN/PCGN (Zelenskiy, the Reuters/AP style) and the
passport scheme ICAO Doc 9303 (Zelenskii, Shoigu). Conventional spellings that differ
(Zelenskyy, Yandex, Lukoil) come from the alias table, not from here. Soft and hard signs
(BGN's ’) are dropped: «Rosneft’» is written «Rosneft».

Which names get these: surnames with a Russian suffix (-ов, -ин, -ский…), in the table or
typed, never a foreign name (Трамп is not «Tramp», Маск not «Mask»): see aliases/expand.py.
"""

from __future__ import annotations

import iuliia

_SCHEMES = (iuliia.WIKIPEDIA, iuliia.BGN_PCGN, iuliia.ICAO_DOC_9303)
_SIGNS = str.maketrans("", "", "’'ʹʺ\"")


def latin_spellings(name: str) -> tuple[str, ...]:
    """Distinct Latin spellings of a Cyrillic name, the most common scheme's first."""
    out: list[str] = []
    for scheme in _SCHEMES:
        spelled = scheme.translate(name).translate(_SIGNS)
        # «Degtyarёv»: a scheme that keeps a Cyrillic letter is not a Latin spelling.
        if spelled.isascii() and spelled not in out:
            out.append(spelled)
    return tuple(out)
