"""Access to the data files shipped inside the package (lexicons, indicator table)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

import srsly

DATA_DIR = Path(str(importlib_resources.files("mchnlp.knowledge") / "data"))


def data_path(name: str) -> Path:
    """Path of a packaged data file; FileNotFoundError naming it when it is missing."""
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"mchnlp data file missing: {path} (reinstall mchnlp)")
    return path


@lru_cache(maxsize=None)
def _read_json(name: str) -> dict:
    return srsly.read_json(data_path(name))


def value_rules() -> dict:
    """The value-rule lexicon with `noun_indicators` derived from the indicator table."""
    lexicon = dict(_read_json("value_rules.json"))
    nouns = {}
    for record in indicator_table()["indicators"]:
        for noun in record.get("count_nouns", []):
            nouns.setdefault(noun, record["code"])
    lexicon["noun_indicators"] = nouns
    return lexicon


def indicator_table() -> dict:
    """The raw indicator table (`data/indicators.json`)."""
    return _read_json("indicators.json")


@lru_cache(maxsize=1)  # read per document by the dateline reader: built once per process
def kabupaten_seats() -> dict[str, str]:
    """Lower-cased seat name -> the code of the kabupaten it is the seat of
    (`data/kabupaten_seats.json`), for datelines that name the seat ("MAUMERE -")."""
    return {record["seat"].lower(): record["code"]
            for record in _read_json("kabupaten_seats.json")["seats"]}


def attribution_cues() -> dict:
    """Cues of where a figure's area comes from (`data/attribution_cues.json`): national
    surveys, plans and agencies; ranking and comparison words before an area."""
    return _read_json("attribution_cues.json")
