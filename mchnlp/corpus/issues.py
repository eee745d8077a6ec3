"""Validation findings: one `Issue` per problem, with a stable code and its place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"

# code -> (level, short description); the codes are part of the CLI output, keep them stable
CODES: dict[str, tuple[str, str]] = {
    "E001": (ERROR, "malformed input (JSON syntax, not an object, unreadable file)"),
    "E002": (ERROR, "missing or mistyped record field"),
    "E003": (ERROR, "duplicate document id"),
    "E004": (ERROR, "document id does not match its file name"),
    "E101": (ERROR, "span offsets outside the text or empty"),
    "E102": (ERROR, "span text differs from text[start:end]"),
    "W103": (WARNING, "span not on token boundaries of the pipeline tokenizer (the gold stays in characters; token-based training skips the span)"),
    "E104": (ERROR, "overlapping spans"),
    "E105": (ERROR, "unknown span label"),
    "E106": (ERROR, "duplicate span id"),
    "E201": (ERROR, "relation endpoint does not exist"),
    "E202": (ERROR, "relation head is not a COUNT/RATE span"),
    "E203": (ERROR, "unknown relation label"),
    "E204": (ERROR, "relation tail label does not fit the relation label"),
    "E301": (ERROR, "fact value_span does not exist or is not COUNT/RATE"),
    "E302": (ERROR, "fact start/end/text differ from its value span"),
    "E303": (ERROR, "unknown unit"),
    "E304": (ERROR, "unknown kind"),
    "E305": (ERROR, "bad fact field (indicator, value, value_max, qualifier, year, ...)"),
    "E306": (ERROR, "two facts on one value span with the same area and year"),
    "E307": (ERROR, "COUNT/RATE span without a fact"),
    "E308": (ERROR, "fact value is none of the numbers its value span reads"),
    "E309": (ERROR, "fact unit differs from the per-1,000 or per-100,000 its value span names"),
    "E310": (ERROR, "fact indicator measured on another scale than the indicator its linked span names"),
    "E401": (ERROR, "document not in exactly one split"),
    "E402": (ERROR, "record split differs from the split file"),
    "E403": (ERROR, "malformed split file"),
    "W101": (WARNING, "span has whitespace at an edge"),
    "W201": (WARNING, "duplicate relation"),
    "W202": (WARNING, "value has several relations of one label"),
    "W301": (WARNING, "indicator not in mchnlp/knowledge/data/indicators.json"),
    "W302": (WARNING, "fact has no indicator relation"),
    "W303": (WARNING, "unit does not fit the span label (COUNT vs rate/percent)"),
    "W304": (WARNING, "location_code unknown or naming another area"),
    "W305": (WARNING, "year outside 1945-2100"),
    "W306": (WARNING, "fact field not in the documented set"),
    "W401": (WARNING, "split file lists documents that are not in the corpus"),
    "W501": (WARNING, "meta field missing or malformed"),
    "W502": (WARNING, "text differs from the meta.source file"),
}


def file_name_mismatch(doc_id: str, origin: str | None) -> Issue | None:
    """E004 for a per-document file (`<id>.json`) whose name is not its record's id."""
    if origin is None or not origin.endswith(".json"):
        return None
    name = origin.rsplit("/", 1)[-1]
    if name[: -len(".json")] == doc_id:
        return None
    return Issue("E004", f"id {doc_id!r} in file {name}", doc_id, origin)


@dataclass(frozen=True)
class Issue:
    """One finding.

    Attributes:
        code: stable code from `CODES` (E… errors, W… warnings).
        message: what is wrong, with the offending value.
        doc: document id, when the issue belongs to one document.
        where: `path` or `path:line` of the record (or of the split file).
    """

    code: str
    message: str
    doc: str | None = None
    where: str | None = None

    @property
    def level(self) -> str:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        parts = [p for p in (self.where, self.doc) if p]
        prefix = ": ".join(parts) + ": " if parts else ""
        return f"{prefix}{self.level} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["level"] = self.level
        return out


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if not i.is_error]
