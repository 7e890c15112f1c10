"""Example forms of a query word from the dictionary, for the reply that shows how a
subscription was understood («Лавров — любые формы: Лаврова, Лаврову…»)."""

from __future__ import annotations

from collections.abc import Sequence

from pymorphy3.analyzer import Parse

from bot.matching.text import fold


def dictionary_forms(surface: str, parses: Sequence[Parse], limit: int) -> tuple[str, ...]:
    """Up to `limit` other forms of the reading the user typed among `parses`, written like
    `surface`."""
    readings = [p for p in parses if p.is_known]
    # Start from the reading the user typed (feminine «Захарова», not masculine genitive).
    readings.sort(key=lambda p: "nomn" not in p.tag.grammemes)
    forms: list[str] = []
    if readings:
        base = readings[0].tag
        seen = {fold(surface)}
        for form in readings[0].lexeme:
            if (base.gender and form.tag.gender and form.tag.gender != base.gender) or (
                base.number and form.tag.number != base.number
            ):
                continue
            text = fold(form.word)
            if text not in seen:
                seen.add(text)
                forms.append(like(surface, text))
            if len(forms) >= limit:
                break
    return tuple(forms)


def like(model: str, word: str) -> str:
    """`word` in the capitals of `model` (ЛАВРОВ, Лавров, лавров)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
