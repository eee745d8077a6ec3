"""Indonesian number reading: digits with Indonesian separators, number words, ranges, ratios.

"13,8" is 13.8 and "1.234" is 1234 (Indonesian uses the comma as the decimal mark and the period
as the thousands separator); "100 ribu", "1,2 juta", "seratus empat puluh lima", "sebelas",
"800-an", "10-12", "antara 10 hingga 12", "1 dari 4" and "setengah" are all read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "nol": 0, "kosong": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "seratus": 100, "seribu": 1000, "sejuta": 1_000_000,
}
MULTIPLIERS = {
    "belas": None,  # handled as +10
    "puluh": 10,
    "ratus": 100,
    "ribu": 1000, "rb": 1000,
    "juta": 1_000_000, "jt": 1_000_000,
    "miliar": 1_000_000_000, "milyar": 1_000_000_000,
}
FRACTIONS = {"setengah": 0.5, "separuh": 0.5, "sepertiga": 1 / 3, "seperempat": 0.25}
DECIMAL_POINT = "koma"  # "dua puluh satu koma empat": the digits after it are decimals
NUMBER_WORDS = (frozenset(UNITS) - {"se"} | frozenset(MULTIPLIERS) | frozenset(FRACTIONS)
                | {DECIMAL_POINT})

QUALIFIERS = {
    "sekitar": "approx", "kurang lebih": "approx", "kira-kira": "approx", "hampir": "approx",
    "sekira": "approx", "lebih kurang": "approx", "mendekati": "approx", "nyaris": "approx",
    "lebih dari": "more_than", "di atas": "more_than", "melebihi": "more_than",
    "kurang dari": "less_than", "di bawah": "less_than",
}

# longest cue first, so that "kurang lebih" is not read as "kurang"
_QUALIFIERS_LONGEST_FIRST = tuple(sorted(QUALIFIERS.items(), key=lambda kv: -len(kv[0])))
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")
_APPROX_AN = re.compile(r"\d-?an\b")
_AN_SUFFIX = re.compile(r"-?an\b")
_RATIO = re.compile(r"(.+?)\s+dari\s+(?:setiap\s+|tiap\s+)?(.+)")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|s/d|s\.d\.|sampai(?: dengan)?|hingga|ke)\s*")


@dataclass(frozen=True)
class NumberReading:
    """A read number: `value`, an optional upper bound `value_max` and a `qualifier`."""

    value: float
    value_max: float | None = None
    qualifier: str | None = None


def parse_digits(text: str) -> float | None:
    """Read one digit group the Indonesian way; None if `text` is not one.

    A single period or comma followed by exactly three digits is a thousands separator
    ("1.234", "4.005"); a comma otherwise is the decimal mark ("13,8"). English-style
    "1,234.5" and "1.234,5" are both read.
    """
    text = text.strip()
    if not _DIGITS.match(text):
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return float(text.replace(".", "").replace(",", "."))
        return float(text.replace(",", ""))
    for sep in (".", ","):
        if sep in text:
            parts = text.split(sep)
            if len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] != "0"):
                if all(len(p) == 3 for p in parts[1:]):
                    return float("".join(parts))
                return None
            return float(text.replace(",", "."))
    return float(text)


def is_number_token(text: str) -> bool:
    """True for a digit group or an Indonesian number word (cheap check for the matcher)."""
    lower = text.lower()
    if lower in NUMBER_WORDS:
        return True
    return bool(_DIGITS.match(text))


def parse_number_words(words: list[str]) -> float | None:
    """Read a sequence of Indonesian number words and digit groups ("dua ratus empat puluh lima",
    "1,2 juta", "100 ribu", "dua belas"); None if it is not one number."""
    if not words:
        return None
    total = 0.0
    current = 0.0
    seen = False
    for n, raw in enumerate(words):
        word = raw.lower()
        if word == DECIMAL_POINT:
            decimals = [UNITS.get(w.lower()) for w in words[n + 1:]]
            if not seen or not decimals or any(d is None or d > 9 for d in decimals):
                return None
            return total + current + int("".join(map(str, decimals))) / 10 ** len(decimals)
        digits = parse_digits(word)
        if digits is not None:
            if current:
                return None
            current = digits
            seen = True
        elif word in FRACTIONS:
            current += FRACTIONS[word]
            seen = True
        elif word in UNITS and word != "se":
            value = UNITS[word]
            if value >= 1000:
                total += (current or 1) * value if current else value
                current = 0
            elif value == 100:
                current += 100
            else:
                current += value
            seen = True
        elif word == "belas":
            if not seen:
                return None
            current += 10
        elif word in ("puluh", "ratus"):
            if not seen:
                return None
            unit = current % 10 if word == "puluh" else current % 100
            current = current - unit + unit * MULTIPLIERS[word]
        elif word in ("ribu", "rb", "juta", "jt", "miliar", "milyar"):
            if not seen:
                return None
            total += (current or 1) * MULTIPLIERS[word]
            current = 0
        else:
            return None
    return total + current if seen else None


_WORD_SPLIT = re.compile(r"[\s]+")


def parse_number(text: str) -> NumberReading | None:
    """Read a number phrase with optional qualifier, range or ratio.

    Args:
        text: e.g. "sekitar 800-an", "10-12", "antara 10 hingga 12", "1 dari 4", "1,2 juta".
    Returns:
        A NumberReading, or None when `text` holds no readable number. A ratio "a dari b" is
        returned as a percentage (100 * a / b).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number expects str, got {type(text).__name__}")
    lowered = " ".join(text.lower().split())
    qualifier = None
    for cue, qual in _QUALIFIERS_LONGEST_FIRST:
        if lowered.startswith(cue + " "):
            qualifier = qual
            lowered = lowered[len(cue) + 1 :]
            break
    if _APPROX_AN.search(lowered) or lowered.endswith("-an"):
        qualifier = qualifier or "approx"
        lowered = _AN_SUFFIX.sub("", lowered).strip()
    if lowered.startswith("antara "):
        lowered = lowered[len("antara ") :].replace(" dan ", " - ")
    ratio = _RATIO.fullmatch(lowered)
    if ratio:
        part = parse_number_words(_WORD_SPLIT.split(ratio.group(1)))
        whole = parse_number_words(_WORD_SPLIT.split(ratio.group(2)))
        if part is None or not whole:
            return None
        return NumberReading(round(100.0 * part / whole, 2), None, qualifier)
    pieces = _RANGE_SEP.split(lowered, maxsplit=1) if not _DIGITS.match(lowered) else [lowered]
    if len(pieces) == 2 and pieces[0] and pieces[1]:
        low = parse_number_words(_WORD_SPLIT.split(pieces[0]))
        high = parse_number_words(_WORD_SPLIT.split(pieces[1]))
        if low is not None and high is not None:
            # "1-2 juta": the multiplier after the second number applies to both
            if high >= 1000 and low < high / 1000 and low > 0:
                for mult in (1_000_000_000, 1_000_000, 1000):
                    if high >= mult and high % mult == 0 and low < 1000:
                        low *= mult
                        break
            return NumberReading(low, high, qualifier)
    value = parse_number_words(_WORD_SPLIT.split(lowered))
    if value is None:
        return None
    return NumberReading(value, None, qualifier)


def format_number(value: float) -> str:
    """Write a number the Indonesian way ("1.234,5"); inverse of `parse_digits`."""
    if value == int(value):
        whole, frac = int(value), ""
    else:
        whole_str, frac = f"{value:.10f}".rstrip("0").split(".")
        whole = int(whole_str)
    grouped = f"{whole:,}".replace(",", ".")
    return grouped + ("," + frac if frac else "")
