"""Whether a fact agrees with the spans it stands on: its value with the number its value span
reads, its unit with the denominator the span names, its indicator with the indicator span it
is linked to.

The checks only catch contradictions, never a judgement the guidelines leave to the annotator:
a journalist's "4,07%" for an infant mortality rate is annotated per 1,000, "Gizi kurang" may be
wasting or underweight, a "dari seribu" figure is read per 1,000. So a value agrees when it is
one of the span's numbers up to a scale of 10, 100 or 1,000; a unit disagrees only with a
span that names a per-1,000 or per-100,000 denominator; an indicator disagrees only with a
span that is an alias of an indicator measured on another scale (its rate unit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from ..knowledge.indicators import IndicatorRegistry
from ..knowledge.numbers import parse_digits
from ..knowledge.units import PER_1000, PER_100000, UNITS, read_value

_WORD = re.compile(r"\d[\d.,]*\d|\d|\w+|[^\w\s]")
_DIGIT_GROUP = re.compile(r"\d[\d.,]*\d|\d")
_SPACED_THOUSANDS = re.compile(r"(?<=\d[.,]) (?=\d{3}\b)")  # "89. 248", "100. 000"
_LOST_SEPARATOR = re.compile(r"\b(\d+) (\d+)\b")  # "36 26": 36,26 or 3626 typed without it
_SCALES = (1, 10, 100, 1000)
_NAMED_DENOMINATORS = (PER_1000, PER_100000)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def span_numbers(text: str) -> set[float]:
    """The numbers a value span's text can stand for: its reading (value and upper bound),
    every digit group in it, and two digit groups with a separator lost between them."""
    joined = _SPACED_THOUSANDS.sub("", text)
    reading, _ = read_value(_WORD.findall(joined))
    numbers = {v for v in (reading.value, reading.value_max) if v is not None} if reading else set()
    for group in _DIGIT_GROUP.findall(joined):
        value = parse_digits(group)
        if value is not None:
            numbers.add(value)
    for whole, part in _LOST_SEPARATOR.findall(joined):
        numbers.update((float(f"{whole}.{part}"), float(whole + part)))
    return numbers


def value_contradicts(value: float, span_text: str) -> bool:
    """True when the span reads as numbers and `value` is none of them at any scale."""
    numbers = span_numbers(span_text)
    return bool(numbers) and not any(
        _close(value, number * scale) or _close(value * scale, number)
        for number in numbers for scale in _SCALES)


def named_unit(span_text: str) -> str | None:
    """The per-1,000 or per-100,000 unit a value span names ("93 per 100 ribu"), or None."""
    _, unit = read_value(_WORD.findall(_SPACED_THOUSANDS.sub("", span_text)))
    return unit if unit in _NAMED_DENOMINATORS else None


@lru_cache(maxsize=1)
def _alias_scales() -> tuple[dict[str, str], dict[str, str | None]]:
    registry = IndicatorRegistry.load()
    return dict(registry.aliases()), {c: registry.rate_unit(c) for c in registry.codes()}


def indicator_contradicts(indicator: str, span_text: str) -> str | None:
    """The indicator that `span_text` is an alias of, when it is measured on another scale
    than `indicator` (maternal mortality per 100,000 against stunting in percent)."""
    aliases, scales = _alias_scales()
    named = aliases.get(" ".join(span_text.lower().split()))
    if named is None or named == indicator or indicator not in scales:
        return None
    mine, theirs = scales[indicator], scales[named]
    return named if mine and theirs and mine != theirs else None


def check_fact_against_spans(fact: dict, name: str, span: dict, indicator_spans: Iterable[dict],
                             add: Callable[[str, str], None]) -> None:
    """Report a fact whose value (E308), unit (E309) or indicator (E310) contradicts its
    value span or the indicator span it is linked to."""
    text = span.get("text")
    if not isinstance(text, str):
        return
    value = fact.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and \
            value_contradicts(float(value), text):
        numbers = ", ".join(f"{n:g}" for n in sorted(span_numbers(text)))
        add("E308", f"{name}: value {value:g} but its span {text!r} reads {numbers}")
    unit = named_unit(text)
    if unit is not None and fact.get("unit") in UNITS and fact.get("unit") != unit:
        add("E309", f"{name}: unit {fact.get('unit')} but its span {text!r} is {unit}")
    indicator = fact.get("indicator")
    if isinstance(indicator, str):
        for target in indicator_spans:
            named = indicator_contradicts(indicator, str(target.get("text")))
            if named is not None:
                add("E310", f"{name}: indicator {indicator} but it is linked to "
                    f"{target.get('id')} {target.get('text')!r}, which names {named}")
