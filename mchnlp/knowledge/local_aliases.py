"""Local knowledge without editing the package: extra place and indicator aliases from a JSON
file, validated against the gazetteer and the indicator table.

    {
      "places": [{"alias": "Kota Karang", "code": "53.71", "note": "old name, Kupang"}],
      "indicators": [{"alias": "angka kematian bunda", "code": "maternal_mortality"}]
    }

A place alias names a Kemendagri code (any level the gazetteer knows); an indicator alias an
indicator code of `data/indicators.json`. `note` is optional. `mchnlp.load(aliases=...)` turns
them into entity-ruler patterns and gazetteer aliases (`mchnlp.components.local_aliases`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECTIONS = ("places", "indicators")
ENTRY_KEYS = ("alias", "code", "note")
TOP_KEYS = (*SECTIONS, "about")


class AliasFileError(ValueError):
    """An alias file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class LocalAliases:
    """Validated aliases: `places` and `indicators`, each a tuple of {"alias", "code"[,
    "note"]} dicts in file order."""

    places: tuple[dict[str, str], ...] = ()
    indicators: tuple[dict[str, str], ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.places or self.indicators)

    def to_json(self) -> dict[str, Any]:
        """The file format (what `parse_aliases` reads back)."""
        return {"places": [dict(e) for e in self.places],
                "indicators": [dict(e) for e in self.indicators]}

    def merged(self, other: LocalAliases) -> LocalAliases:
        """These aliases plus the entries of `other` that are not here yet."""
        def merge(mine: tuple[dict, ...], theirs: tuple[dict, ...]) -> tuple[dict, ...]:
            seen = {(e["alias"].lower(), e["code"]) for e in mine}
            return mine + tuple(e for e in theirs if (e["alias"].lower(), e["code"]) not in seen)

        return LocalAliases(merge(self.places, other.places),
                            merge(self.indicators, other.indicators),
                            self.sources + other.sources)

    def indicator_patterns(self) -> list[dict]:
        """INDICATOR phrase patterns (the ruler matches lower case), `id` = indicator code;
        the alias and its -nya form, as for the packaged aliases."""
        patterns = []
        for entry in self.indicators:
            alias = " ".join(entry["alias"].lower().split())
            for form in (alias, alias + "nya"):
                patterns.append({"label": "INDICATOR", "pattern": form, "id": entry["code"]})
        return patterns

    def place_patterns(self) -> list[dict]:
        """LOCATION phrase patterns (case-sensitive ruler): the alias as written, in title
        case and in capitals."""
        patterns = []
        for entry in self.places:
            alias = " ".join(entry["alias"].split())
            title = " ".join(w if w.isupper() else w.capitalize() for w in alias.split())
            for form in dict.fromkeys((alias, title, alias.upper())):
                patterns.append({"label": "LOCATION", "pattern": form, "id": "area"})
        return patterns


def parse_aliases(data: Any, source: str = "aliases") -> LocalAliases:
    """Validate alias data (the parsed JSON).

    Raises:
        AliasFileError: with `source` and the entry ("places[2]: code '53.99' is not a
            Kemendagri code the gazetteer knows").
    """
    def fail(where: str, message: str) -> AliasFileError:
        return AliasFileError(f"{source}: {where}: {message}" if where
                              else f"{source}: {message}")

    if not isinstance(data, Mapping):
        raise fail("", f"the top level must be an object with {' and/or '.join(SECTIONS)}, "
                       f"got {type(data).__name__}")
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise fail("", f"unknown key {unknown[0]!r} (expected {', '.join(TOP_KEYS)})")
    sections: dict[str, tuple[dict[str, str], ...]] = {}
    for section in SECTIONS:
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise fail(section, f"must be a list of {{\"alias\", \"code\"}} objects, got "
                                f"{type(entries).__name__}")
        checked = []
        seen: dict[str, str] = {}
        for i, entry in enumerate(entries):
            where = f"{section}[{i}]"
            if not isinstance(entry, Mapping):
                raise fail(where, f"must be an object with alias and code, got "
                                  f"{type(entry).__name__}")
            extra = [k for k in entry if k not in ENTRY_KEYS]
            if extra:
                raise fail(where, f"unknown field {extra[0]!r} (expected alias, code, note)")
            alias, code = entry.get("alias"), entry.get("code")
            if not isinstance(alias, str) or not alias.strip():
                raise fail(where, f"field 'alias' must be a non-empty string, got {alias!r}")
            if not isinstance(code, str) or not code.strip():
                raise fail(where, f"field 'code' must be a non-empty string, got {code!r}")
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                raise fail(where, f"field 'note' must be a string, got {note!r}")
            alias, code = " ".join(alias.split()), code.strip()
            problem = _check_code(section, code)
            if problem:
                raise fail(where, f"alias {alias!r}: {problem}")
            key = alias.lower()
            if key in seen and seen[key] != code:
                raise fail(where, f"alias {alias!r} is already given code {seen[key]!r}")
            if key in seen:
                continue
            seen[key] = code
            checked.append({"alias": alias, "code": code, **({"note": note} if note else {})})
        sections[section] = tuple(checked)
    return LocalAliases(sections["places"], sections["indicators"], (source,))


def _check_code(section: str, code: str) -> str | None:
    if section == "indicators":
        from .indicators import IndicatorRegistry

        codes = IndicatorRegistry.load().codes()
        if code not in codes:
            return f"code {code!r} is not an indicator code (known: {', '.join(sorted(codes))})"
        return None
    from .places import Gazetteer

    if Gazetteer.load().get(code) is None:
        return (f"code {code!r} is not a Kemendagri code the gazetteer knows (dotted, like "
                "'53' for a provinsi, '53.01' for a kabupaten/kota, '53.01.02' for a "
                "kecamatan)")
    return None


def read_aliases(path: str | os.PathLike) -> LocalAliases:
    """Read and validate an alias JSON file.

    Raises:
        AliasFileError: the file is missing, not JSON, or an entry is invalid (named).
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AliasFileError(f"{file}: no such alias file") from None
    except OSError as err:
        raise AliasFileError(f"{file}: cannot read ({err.strerror or err})") from None
    except UnicodeDecodeError as err:
        raise AliasFileError(f"{file}: not UTF-8 ({err.reason})") from None
    except json.JSONDecodeError as err:
        raise AliasFileError(f"{file}: not valid JSON ({err.msg} at line {err.lineno}, column "
                             f"{err.colno})") from None
    return parse_aliases(data, str(file))


def as_aliases(aliases: LocalAliases | Mapping | str | os.PathLike) -> LocalAliases:
    """`LocalAliases` from themselves, parsed JSON data, or a file path."""
    if isinstance(aliases, LocalAliases):
        return aliases
    if isinstance(aliases, Mapping):
        return parse_aliases(aliases)
    return read_aliases(aliases)
