"""Resolving place mentions to Kemendagri administrative areas.

Data: `data/wilayah.csv.gz`, 91,599 areas with their Kemendagri codes (cahyadsn/wilayah, MIT;
licence in `data/WILAYAH_LICENSE`), and reviewable aliases in `data/place_aliases.json`
("NTT", "Jateng", "Kukar", "Tangsel"...). Provinces, kabupaten and kota (552 rows) are indexed
at first use; kecamatan and desa/kelurahan (91,000 rows) only when a mention asks for one.

A name shared by several areas ("Kupang": the kabupaten and the kota) is resolved by the level
word or hint ("Bupati Kupang" → kabupaten), then by the areas already resolved in the document;
otherwise the Resolution is ambiguous and lists its candidates.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import srsly

from .resources import data_path

LEVEL_WORDS = {
    "kabupaten": "kabupaten", "kab": "kabupaten", "kab.": "kabupaten", "pemkab": "kabupaten",
    "kota": "kota", "kotamadya": "kota", "kodya": "kota", "pemkot": "kota",
    "provinsi": "provinsi", "prov": "provinsi", "prov.": "provinsi", "propinsi": "provinsi",
    "pemprov": "provinsi", "kecamatan": "kecamatan", "kec": "kecamatan", "kec.": "kecamatan",
    "distrik": "kecamatan", "kelurahan": "kelurahan", "kel": "kelurahan", "kel.": "kelurahan",
    "desa": "desa", "ds": "desa", "ds.": "desa", "kampung": "desa", "nagari": "desa",
    "gampong": "desa",
}
NATIONAL = {"indonesia", "nasional", "tanah air", "ri", "republik indonesia"}
FACILITY_WORDS = ("puskesmas", "pkm", "rsud", "rsu", "rsia", "rsup", "rs", "rumah sakit", "klinik")
LOWER_LEVELS = ("kecamatan", "kelurahan", "desa")
LEVEL_PREFIX = {"provinsi": "Provinsi", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan",
                "desa": "Desa"}
# preferred reading of a bare name shared by several levels, when nothing else decides
LEVEL_ORDER = {"provinsi": 0, "kabupaten": 1, "kota": 2, "kecamatan": 3, "kelurahan": 4, "desa": 5}


@dataclass(frozen=True)
class Area:
    code: str | None
    name: str
    level: str
    province_code: str | None


INDONESIA = Area(None, "Indonesia", "negara", None)


@dataclass(frozen=True)
class Resolution:
    area: Area | None
    candidates: tuple[Area, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.area is None and len(self.candidates) > 1


def _key(text: str) -> str:
    """Comparison key: lower case, no punctuation or spaces ("Deli Serdang" = "Deliserdang")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _split_level(mention: str) -> tuple[str | None, str]:
    mention = re.sub(r"^(kab|kec|kel|prov|kep|ds)\.(?=\S)", r"\1. ", mention.strip(), flags=re.I)
    words = mention.split()
    level = None
    while words and words[0].lower() in LEVEL_WORDS:
        level = level or LEVEL_WORDS[words[0].lower()]
        words = words[1:]
    name = " ".join(words)
    name = re.sub(r"^(kep\.|kep)\s+", "Kepulauan ", name, flags=re.I)
    name = re.sub(r"^(adm\.|administrasi)\s+", "", name, flags=re.I)
    return level, name


def _bare_name(official: str, level: str) -> str:
    for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota "):
        if official.startswith(prefix):
            return official[len(prefix):]
    return official


class Gazetteer:
    """Kemendagri areas with lookups by name, alias and code."""

    def __init__(self, rows: list[dict], aliases: list[dict]) -> None:
        self._rows_lower: list[dict] | None = None
        self.by_code: dict[str, Area] = {}
        self.by_key: dict[str, list[Area]] = {}
        for row in rows:
            self._add(row, self.by_key)
        for alias in aliases:
            area = self.by_code.get(alias["code"])
            if area is not None:
                self.by_key.setdefault(_key(alias["alias"]), [])
                if area not in self.by_key[_key(alias["alias"])]:
                    self.by_key[_key(alias["alias"])].append(area)
        self._lower_key: dict[str, list[Area]] | None = None

    def _add(self, row: dict, index: dict[str, list[Area]]) -> None:
        code, level = row["code"], row["level"]
        official = row["name"].strip()
        bare = _bare_name(official, level)
        name = f"{LEVEL_PREFIX[level]} {official}" if level in LEVEL_PREFIX else official
        if level == "kota" and official.startswith("Kota Administrasi "):
            name = "Kota " + bare
        area = Area(code, name, level, code.split(".")[0])
        self.by_code[code] = area
        index.setdefault(_key(bare), []).append(area)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "Gazetteer":
        """The packaged gazetteer (cached; provinces, kabupaten and kota only until needed)."""
        with open(data_path("wilayah_top.csv"), encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        aliases = srsly.read_json(data_path("place_aliases.json"))["aliases"]
        return cls(rows, aliases)

    def _lower_index(self) -> dict[str, list[Area]]:
        if self._lower_key is None:
            index: dict[str, list[Area]] = {}
            for row in _read_rows():
                if row["level"] in LOWER_LEVELS:
                    self._add(row, index)
            self._lower_key = index
        return self._lower_key

    # -- lookups ----------------------------------------------------------------------------
    def get(self, code: str) -> Area | None:
        if code not in self.by_code and code.count(".") >= 2:
            self._lower_index()
        return self.by_code.get(code)

    def parent_province(self, area: Area) -> Area | None:
        return self.by_code.get(area.province_code) if area.province_code else None

    def name_index(self) -> dict[str, list[str]]:
        """Lower-cased names of provinces, kabupaten and kota and their aliases -> levels
        (used to build the LOCATION patterns)."""
        out: dict[str, list[str]] = {}
        for area in self.by_code.values():
            if area.level in ("provinsi", "kabupaten", "kota"):
                for form in {_bare_name(area.name.replace("Provinsi ", "", 1), area.level)}:
                    out.setdefault(form.lower(), []).append(area.level)
        for alias in srsly.read_json(data_path("place_aliases.json"))["aliases"]:
            level = self.by_code[alias["code"]].level if alias["code"] in self.by_code else None
            if level:
                out.setdefault(alias["alias"].lower(), []).append(level)
        return {k: sorted(set(v)) for k, v in out.items()}

    def resolve(self, mention: str, *, level_hint: str | None = None,
                context: Sequence[Area] = ()) -> Resolution:
        """Resolve a LOCATION mention ("Kab. Kupang", "NTT", "kelurahan Antirogo")."""
        text = " ".join(mention.split())
        lower = text.lower()
        if not lower:
            return Resolution(None)
        if lower in NATIONAL:
            return Resolution(INDONESIA, (INDONESIA,))
        if lower.startswith(FACILITY_WORDS):
            return Resolution(None)
        level, name = _split_level(text)
        level = level or level_hint
        key = _key(name)
        if not key:
            return Resolution(None)
        if level in LOWER_LEVELS:
            candidates = [a for a in self._lower_index().get(key, [])
                          if a.level == level or {a.level, level} <= {"desa", "kelurahan"}]
        else:
            candidates = list(self.by_key.get(_key(text), [])) or list(self.by_key.get(key, []))
            if not candidates and len(key) >= 6:
                candidates = [a for k in difflib.get_close_matches(key, self.by_key, n=2,
                                                                   cutoff=0.88)
                              for a in self.by_key[k]]  # typos: "Kalimatan Selatan"
            if level:
                candidates = [a for a in candidates if a.level == level] or (
                    [] if level in ("kabupaten", "kota", "provinsi") and candidates else candidates)
        return self._choose(candidates, context)

    @staticmethod
    def _choose(candidates: list[Area], context: Sequence[Area]) -> Resolution:
        unique = tuple(dict.fromkeys(candidates))
        if len(unique) <= 1:
            return Resolution(unique[0] if unique else None, unique)
        mentioned = [a for a in unique if a in context]
        if len(mentioned) == 1:
            return Resolution(mentioned[0], unique)
        codes = {a.code for a in context if a.code}
        inside = [a for a in unique if any(a.code.startswith(c + ".") for c in codes)]
        if len(inside) == 1:
            return Resolution(inside[0], unique)
        return Resolution(None, unique)

    def facility_area(self, mention: str, context: Sequence[Area] = ()) -> Area | None:
        """The area named inside a facility mention ("RSUD Kabupaten Kupang"), if any."""
        words = mention.split()
        for start in range(1, len(words)):
            resolution = self.resolve(" ".join(words[start:]), context=context)
            if resolution.area is not None:
                return resolution.area
        return None

    @staticmethod
    def default_choice(resolution: Resolution) -> Area | None:
        """For output when a mention stays ambiguous: the broadest level (province over
        kabupaten over kota), flagged by the caller as a guess."""
        if not resolution.candidates:
            return None
        return min(resolution.candidates, key=lambda a: LEVEL_ORDER.get(a.level, 9))


@lru_cache(maxsize=1)
def _read_rows() -> tuple[dict, ...]:
    raw = gzip.decompress(data_path("wilayah.csv.gz").read_bytes()).decode("utf-8")
    return tuple(csv.DictReader(io.StringIO(raw)))
