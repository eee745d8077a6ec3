"""The indicator table (`data/indicators.json`): codes, aliases, units, plausible ranges and
standard mappings of maternal & child health indicators, validated on load.

    registry = IndicatorRegistry.load()
    registry.get("maternal_mortality")["standard"]["who_gho"]    # "MDG_0000000026"
    registry.check("maternal_mortality", 5000, "per_100000_live_births")
    # "implausible: 5000 per_100000_live_births for maternal_mortality (plausible 0-2000)"

The file is data a health expert can review; this module only reads and checks it. It reads
the file itself (no other mchnlp module is imported) so that importing it stays cheap.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

INDICATORS_PATH = Path(__file__).resolve().parent / "data" / "indicators.json"
UNITS = ("count", "percent", "per_1000_live_births", "per_100000_live_births")
REQUIRED = (
    "code",
    "aliases",
    "expected_units",
    "definition",
    "standard",
    "rate_unit",
    "count_nouns",
    "plausible",
    "name_id",
    "name_en",
)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_GHO = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
_SDG = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}\.\d$")
_STANDARD_KEYS = {"sdg", "who_gho", "name", "verified", "related", "note"}


class IndicatorTableError(ValueError):
    """The indicator table is malformed; the message names the file, the record and the field."""


def _number(value: float) -> str:
    """5000.0 -> '5000', 13.8 -> '13.8', 1200000 -> '1200000' (no exponent)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:f}".rstrip("0").rstrip(".")


class IndicatorRegistry:
    """The indicator records, validated, by code.

    Args:
        table: the parsed JSON (`{"indicators": [...]}`, optionally `"units": {...}`).
        source: the file name used in error messages.

    Raises:
        IndicatorTableError: naming the source, the record (`indicator #i (code)`) and the
            field at fault.
    """

    _cached: IndicatorRegistry | None = None
    _lock = threading.Lock()

    def __init__(self, table: Mapping[str, Any], source: str = "indicators.json") -> None:
        self.source = source
        if not isinstance(table, Mapping) or not isinstance(table.get("indicators"), list):
            raise IndicatorTableError(
                f"{source}: top level must be an object with an 'indicators' list"
            )
        units = table.get("units")
        self.units: tuple[str, ...] = tuple(units) if isinstance(units, Mapping) else UNITS
        self._records: dict[str, Mapping[str, Any]] = {}
        self._aliases: list[tuple[str, str]] = []
        alias_owner: dict[str, str] = {}
        for i, record in enumerate(table["indicators"]):
            self._validate(i, record)
            code = record["code"]
            if code in self._records:
                raise self._error(i, record, "code", f"duplicate code {code!r}")
            for alias in record["aliases"]:
                if alias in alias_owner:
                    raise self._error(
                        i,
                        record,
                        "aliases",
                        f"alias {alias!r} already belongs to {alias_owner[alias]!r}",
                    )
                alias_owner[alias] = code
                self._aliases.append((alias, code))
            self._records[code] = MappingProxyType(dict(record))

    @classmethod
    def load(cls) -> IndicatorRegistry:
        """The registry of the packaged `data/indicators.json`, read once per process."""
        if cls._cached is None:
            with cls._lock:
                if cls._cached is None:
                    cls._cached = cls.from_file(INDICATORS_PATH)
        return cls._cached

    @classmethod
    def from_file(cls, path: Path | str) -> IndicatorRegistry:
        """A registry read from a JSON file (not cached)."""
        path = Path(path)
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndicatorTableError(f"{path}: indicator table missing") from None
        except json.JSONDecodeError as err:
            raise IndicatorTableError(f"{path}: not valid JSON: {err}") from None
        return cls(table, str(path))

    # -- validation ----------------------------------------------------------------------

    def _error(self, i: int, record: Any, field: str, message: str) -> IndicatorTableError:
        code = record.get("code", "?") if isinstance(record, Mapping) else "?"
        return IndicatorTableError(
            f"{self.source}: indicator #{i} ({code}): field {field!r}: {message}"
        )

    def _validate(self, i: int, record: Any) -> None:
        if not isinstance(record, Mapping):
            raise IndicatorTableError(f"{self.source}: indicator #{i}: must be an object")
        for field in REQUIRED:
            if field not in record:
                raise self._error(i, record, field, "missing")

        def err(field: str, message: str) -> IndicatorTableError:
            return self._error(i, record, field, message)

        if not isinstance(record["code"], str) or not _CODE.match(record["code"]):
            raise err("code", f"must be snake_case, got {record['code']!r}")
        for field in ("name_id", "name_en", "definition"):
            if not isinstance(record[field], str) or not record[field].strip():
                raise err(field, "must be a non-empty string")
        aliases = record["aliases"]
        if not isinstance(aliases, list) or not aliases:
            raise err("aliases", "must be a non-empty list")
        for alias in aliases:
            if not isinstance(alias, str) or not alias.strip():
                raise err("aliases", f"empty alias {alias!r}")
            if alias != alias.lower() or alias != alias.strip() or "  " in alias:
                raise err("aliases", f"{alias!r} must be lower case with single spaces")
        if len(set(aliases)) != len(aliases):
            raise err(
                "aliases",
                "listed twice: " + ", ".join(sorted({a for a in aliases if aliases.count(a) > 1})),
            )
        units = record["expected_units"]
        if not isinstance(units, list) or not units:
            raise err("expected_units", "must be a non-empty list")
        for unit in units:
            if unit not in self.units:
                raise err(
                    "expected_units", f"unknown unit {unit!r} (known: {', '.join(self.units)})"
                )
        rate_unit = record["rate_unit"]
        if rate_unit is not None and rate_unit not in units:
            raise err("rate_unit", f"{rate_unit!r} is not among expected_units")
        if not isinstance(record["count_nouns"], list):
            raise err("count_nouns", "must be a list")
        plausible = record["plausible"]
        if not isinstance(plausible, Mapping):
            raise err("plausible", "must be an object unit -> [min, max]")
        for unit in units:
            if unit not in plausible:
                raise err("plausible", f"no range for expected unit {unit!r}")
        for unit, bounds in plausible.items():
            if unit not in units:
                raise err("plausible", f"range for {unit!r}, which is not an expected unit")
            if (
                not isinstance(bounds, list)
                or len(bounds) != 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
                or bounds[0] > bounds[1]
            ):
                raise err("plausible", f"{unit}: must be [min, max] numbers, got {bounds!r}")
        self._validate_standard(record["standard"], err, "standard")

    def _validate_standard(self, standard: Any, err, field: str) -> None:
        if not isinstance(standard, Mapping):
            raise err(field, "must be an object")
        unknown = set(standard) - _STANDARD_KEYS
        if unknown:
            raise err(field, f"unknown keys {sorted(unknown)}")
        if not isinstance(standard.get("name"), str) or not standard["name"].strip():
            raise err(field, "'name' is required")
        sdg, gho = standard.get("sdg"), standard.get("who_gho")
        if sdg is not None and not (isinstance(sdg, str) and _SDG.match(sdg)):
            raise err(field, f"'sdg' must look like '3.1.1' or be null, got {sdg!r}")
        if gho is not None and not (isinstance(gho, str) and _GHO.match(gho)):
            raise err(field, f"'who_gho' must be a GHO indicator code or null, got {gho!r}")
        if "verified" in standard and not isinstance(standard["verified"], bool):
            raise err(field, "'verified' must be true or false")
        if "related" in standard:
            self._validate_standard(standard["related"], err, f"{field}.related")

    # -- lookups -------------------------------------------------------------------------

    def get(self, code: str) -> Mapping[str, Any] | None:
        """The record of an indicator code (read-only mapping), or None."""
        return self._records.get(code)

    def codes(self) -> list[str]:
        """Indicator codes in file order."""
        return list(self._records)

    def aliases(self) -> list[tuple[str, str]]:
        """(alias, code) pairs in file order; aliases are lower case and unique."""
        return list(self._aliases)

    def rate_unit(self, code: str) -> str | None:
        """The unit of a bare rate of this indicator ("per_100000_live_births"), or None."""
        record = self._records.get(code)
        return record["rate_unit"] if record is not None else None

    def check(self, code: str, value: float, unit: str | None) -> str | None:
        """A warning when a value contradicts its indicator, else None.

        Returns:
            "unknown indicator 'x'"; "unexpected unit: percent for maternal_mortality
            (expected count, per_100000_live_births)"; "implausible: 5000
            per_100000_live_births for maternal_mortality (plausible 0-2000)"; "implausible:
            13.5 count for maternal_mortality (a count is a whole number)". A value without a
            unit (None) is not checked.
        """
        record = self._records.get(code)
        if record is None:
            return f"unknown indicator {code!r}"
        if unit is None:
            return None
        if unit not in record["expected_units"]:
            return (
                f"unexpected unit: {unit} for {code} "
                f"(expected {', '.join(record['expected_units'])})"
            )
        if not isinstance(value, (int, float)) or math.isnan(value):
            return f"implausible: {value!r} {unit} for {code} (not a number)"
        low, high = record["plausible"][unit]
        if not low <= value <= high:
            return (
                f"implausible: {_number(value)} {unit} for {code} "
                f"(plausible {_number(low)}-{_number(high)})"
            )
        if unit == "count" and not float(value).is_integer():
            return f"implausible: {_number(value)} count for {code} (a count is a whole number)"
        return None


# doc.user_data key: code -> what training learned about each indicator (`mch_indicator_codes`)
LEARNED_KEY = "mchnlp.learned_indicators"


def check_learned(record: dict, code: str, unit: str | None) -> str | None:
    """The unit check of an indicator the pipeline learned from annotations and the packaged
    table does not have: a warning when the unit is none its training facts had."""
    seen = record.get("units") or {}
    if unit is not None and seen and unit not in seen:
        return f"unexpected unit: {unit} for {code} (learned from annotations: {', '.join(seen)})"
    return None
