"""Reading a value span ("127 kasus per 100 ribu kelahiran", "25 persen", "satu dari empat")
into its number and unit."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .numbers import FRACTIONS, NumberReading, is_number_token, parse_number
from .spelling import edit_distance

COUNT = "count"
PER_1000 = "per_1000_live_births"
PER_100000 = "per_100000_live_births"
PERCENT = "percent"
UNITS = (COUNT, PER_1000, PER_100000, PERCENT)

_PERCENT = {"persen", "%", "prosen", "pct", "persennya"}
# nouns that name a share in a table header or label ("Prevalensi Gizi Buruk Balita")
_SHARE_NOUNS = {"persentase", "prosentase", "prevalensi", "proporsi", "cakupan", "rasio"}
_PER = {"per", "/", "setiap", "tiap", "di", "antara", "diantara", "dalam"}
# the unit words a number is read with even when misspelled by one letter ("9 kasuss",
# "48,6 prsen"); shorter ones ("bayi", "anak") are too close to other words
TYPO_UNIT_WORDS = ("persen", "kasus", "orang", "balita")
MIN_UNIT_TYPO_LENGTH = 5
_RANGE = {"-", "–", "—", "hingga", "sampai", "s/d", "dan"}
_APPROX_AN_END = re.compile(r"\d-an$")


@lru_cache(maxsize=4096)
def unit_word(word: str) -> str:
    """The unit word `word` (lower case) misspells by one letter ("kasuss", "prsen"), else
    `word` itself."""
    if len(word) < MIN_UNIT_TYPO_LENGTH or word in TYPO_UNIT_WORDS or not word.isalpha():
        return word
    return next((unit for unit in TYPO_UNIT_WORDS
                 if word[0] == unit[0] and edit_distance(word, unit, 1) <= 1), word)


def read_value(words: list[str]) -> tuple[NumberReading | None, str | None]:
    """Read the tokens of a value span.

    Returns:
        (number, unit): unit is None when the span has no unit of its own (a bare number
        whose unit is carried over from context).
    """
    # the value rules, the rule linker, the pair generator and the fact view each read the
    # same spans; the reading depends on the words alone (and NumberReading is frozen)
    return _read_words(tuple(words))


@lru_cache(maxsize=16_384)
def _read_words(words: tuple[str, ...]) -> tuple[NumberReading | None, str | None]:
    lower = [w.lower() for w in words]
    if "dari" in lower:
        number = parse_number(" ".join(_numeric_prefix(lower[: lower.index("dari")])) + " dari "
                              + " ".join(_numeric_prefix(_skip_every(lower[lower.index("dari") + 1 :]))))
        return number, PERCENT if number is not None else None
    head = _numeric_prefix(lower)
    number = parse_number(" ".join(head))
    rest = lower[len(head) :]
    if rest[:1] == ["("] and ")" in rest and _numeric_prefix(rest[1:rest.index(")")]) == (
            rest[1:rest.index(")")]):
        # "24 (dua puluh empat) persen": the number spelled out in brackets
        rest = rest[rest.index(")") + 1:]
    if not rest:
        return number, None
    if number is not None and head and head[-1] in FRACTIONS:
        # "separuh balita", "sepertiga ibu hamil": a share of a group, in percent
        return replace(number, value=round(number.value * 100, 2)), PERCENT
    if unit_word(rest[0]) in _PERCENT:  # "persen", and "prsen" too
        return number, PERCENT
    per_at = next((i for i, w in enumerate(rest) if w in _PER), None)
    if per_at is not None:
        k = per_at
        while k < len(rest) and rest[k] in _PER:
            k += 1
        denominator = parse_number(" ".join(_numeric_prefix(rest[k:])))
        if denominator is not None:
            if abs(denominator.value - 1000) < 1e-9:
                return number, PER_1000
            if abs(denominator.value - 100000) < 1e-9:
                return number, PER_100000
            if abs(denominator.value - 100) < 1e-9:
                return number, PERCENT
            return number, f"per_{int(denominator.value)}"
    return number, COUNT


def _skip_every(words: list[str]) -> list[str]:
    return words[1:] if words and words[0] in ("setiap", "tiap") else words


def _numeric_prefix(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, w in enumerate(words):
        if is_number_token(w) or w == "an" and out:
            out.append(w)
        elif w in _RANGE and out and i + 1 < len(words) and is_number_token(words[i + 1]):
            out.append("-" if w != "dan" else "-")
        elif w == "-" and i + 1 < len(words) and words[i + 1] == "an":
            out.append("-")
        else:
            break
    text = " ".join(out).replace(" - an", "-an").replace("- an", "-an")
    return [text] if _APPROX_AN_END.search(text.replace(" ", "")) else out


def unit_named(words: list[str]) -> str | None:
    """The unit a label names, for the bare figures under it: "AKB/1000 KH", "per 100.000
    kelahiran hidup", "Persentase ... (Persen)", "(%)". None when it names none."""
    lower = [w.lower() for w in words]
    for k, word in enumerate(lower):
        if word in _PERCENT or word in _SHARE_NOUNS:
            return PERCENT
        if word in _PER and k + 1 < len(lower):
            denominator = parse_number(" ".join(_numeric_prefix(lower[k + 1:])))
            if denominator is not None and abs(denominator.value - 1000) < 1e-9:
                return PER_1000
            if denominator is not None and abs(denominator.value - 100000) < 1e-9:
                return PER_100000
    return None
