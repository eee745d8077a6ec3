"""Builds the entity-ruler patterns from the data files.

INDICATOR patterns come from the aliases in `data/indicators.json`; LOCATION patterns from
the gazetteer's names of provinces, kabupaten and kota (with and without their level word)
plus the hand-written `data/patterns/locations.jsonl`; DATE patterns are hand-written in
`data/patterns/dates.jsonl`. The result is passed to the entity ruler's `initialize()` and
saved with the pipeline, where a reviewer can read every pattern.
"""

from __future__ import annotations

import srsly

from . import resources

LEVEL_WORDS = {
    "kabupaten": ["Kabupaten", "kabupaten", "Kab.", "Kab", "kab.", "kab"],
    "kota": ["Kota", "kota", "Kotamadya", "Kodya"],
    "provinsi": ["Provinsi", "provinsi", "Prov.", "Prov", "prov.", "Propinsi", "propinsi"],
}


def _typos(word: str) -> set[str]:
    """One dropped or swapped letter: the typos news copy makes ("kematin", "stuntnig")."""
    dropped = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    return (dropped | swapped) - {word}


def indicator_patterns(typo_min_length: int = 7) -> list[dict]:
    """Phrase patterns (matched on lower case) for each indicator alias, `id` = indicator code:
    the alias, its -nya form, and forms with one typo in a long word."""
    seen: dict[str, str] = {}
    records = resources.indicator_table()["indicators"]
    exact = {alias.lower() for r in records for alias in r["aliases"]}
    for record in records:
        for alias in record["aliases"]:
            alias = alias.lower()
            # "angka stuntingnya", "angka kematian bayinya": -nya stays on the token
            for form in (alias, alias + "nya"):
                seen.setdefault(form, record["code"])
            words = alias.split()
            if len(words) > 3:
                continue
            # a lone word needs more letters before a typo of it is safe ("sunting" is a word)
            min_length = typo_min_length if len(words) > 1 else typo_min_length + 2
            for i, word in enumerate(words):
                if len(word) < min_length or not word.isalpha():
                    continue
                for typo in sorted(_typos(word)):  # a set: its order varies by hash seed
                    form = " ".join(words[:i] + [typo] + words[i + 1 :])
                    if form not in exact:
                        seen.setdefault(form, record["code"])
    return [{"label": "INDICATOR", "pattern": form, "id": code} for form, code in seen.items()]


def area_names() -> dict[str, list[str]]:
    """Lower-cased bare names of provinsi/kabupaten/kota -> levels (gazetteer's name index)."""
    from .places import Gazetteer

    return Gazetteer.load().name_index()


def _casings(name: str) -> set[str]:
    title = " ".join(w if w.isupper() and len(w) <= 4 else w.capitalize() for w in name.split())
    # a reduplicated name is written "Bau-Bau" as often as "Bau-bau"
    hyphened = " ".join("-".join(part.capitalize() for part in w.split("-"))
                        if "-" in w else w for w in title.split())
    return {title, hyphened, name.upper()}


def location_patterns() -> list[dict]:
    """Case-sensitive phrase patterns for provinces, kabupaten and kota: bare ("Kupang",
    "KUPANG") and with each level word ("Kab. Kupang"); plus the hand-written token patterns
    of `data/patterns/locations.jsonl` (level word + name for kecamatan/desa, facilities)."""
    patterns = list(srsly.read_jsonl(resources.data_path("patterns/locations.jsonl")))
    phrases: set[str] = set()
    for name, levels in area_names().items():
        if not name.strip():
            continue
        for cased in _casings(name):
            phrases.add(cased)
            for level in set(levels):
                for word in LEVEL_WORDS.get(level, []):
                    phrases.add(f"{word} {cased}")
                    if cased.isupper():
                        phrases.add(f"{word.upper()} {cased}")
    patterns += [{"label": "LOCATION", "pattern": p, "id": "area"} for p in sorted(phrases)]
    return patterns


def date_patterns() -> list[dict]:
    return list(srsly.read_jsonl(resources.data_path("patterns/dates.jsonl")))


def _strip(patterns: list[dict]) -> list[dict]:
    """Drop the reviewer-only keys (literal, metadata) the ruler does not take."""
    return [{k: p[k] for k in ("label", "pattern", "id") if k in p} for p in patterns]


def place_date_patterns() -> list[dict]:
    return _strip(location_patterns() + date_patterns())
