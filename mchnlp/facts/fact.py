"""`Fact`: one reported value of an MCH indicator, the public output record."""


from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Fact:
    """One reported value of an MCH indicator, anchored on its value span."""

    indicator: str
    value: float
    unit: str
    location: str | None
    location_code: str | None
    year: int | None
    kind: str
    text: str
    sentence: str
    start: int
    end: int
    confidence: float
    value_max: float | None = None
    qualifier: str | None = None
    location_level: str | None = None
    facility: str | None = None
    period: tuple[str | None, str | None] | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the public output shape)."""
        out = asdict(self)
        out["period"] = list(self.period) if self.period else None
        return out
