"""The indicator table (`data/indicators.json`): codes, aliases, units and standards."""

from __future__ import annotations

from functools import lru_cache

from . import resources
from .resources import data_path

REQUIRED = ("code", "aliases", "expected_units", "definition", "standard")
UNITS = ("count", "per_1000_live_births", "per_100000_live_births", "percent")


class IndicatorTableError(ValueError):
    """The indicator table is malformed; the message names the file, record and field."""


class IndicatorRegistry:
    def __init__(self, table: dict, source: str = "indicators.json") -> None:
        self.records: dict[str, dict] = {}
        for i, record in enumerate(table.get("indicators", [])):
            for key in REQUIRED:
                if key not in record:
                    raise IndicatorTableError(f"{source}: indicator #{i} "
                                              f"({record.get('code', '?')}): missing {key!r}")
            for unit in record["expected_units"]:
                if unit not in UNITS:
                    raise IndicatorTableError(f"{source}: {record['code']}: unknown unit {unit!r}")
            self.records[record["code"]] = record

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "IndicatorRegistry":
        return cls(resources.indicator_table(), str(data_path("indicators.json")))

    def get(self, code: str) -> dict | None:
        return self.records.get(code)

    def codes(self) -> list[str]:
        return list(self.records)

    def aliases(self) -> list[tuple[str, str]]:
        return [(a.lower(), code) for code, r in self.records.items() for a in r["aliases"]]

    def rate_unit(self, code: str) -> str | None:
        record = self.records.get(code)
        return record.get("rate_unit") if record else None

    def check(self, code: str, value: float, unit: str) -> str | None:
        """A warning when a value contradicts its indicator (wrong unit or implausible size)."""
        record = self.records.get(code)
        if record is None:
            return f"unknown indicator {code!r}"
        if unit not in record["expected_units"]:
            return f"unexpected unit {unit} for {code} (expected {', '.join(record['expected_units'])})"
        low_high = record.get("plausible", {}).get(unit)
        if low_high and not low_high[0] <= value <= low_high[1]:
            return f"implausible: {value:g} {unit} for {code} (plausible {low_high[0]}-{low_high[1]})"
        return None
