"""Saving a small trained component as two JSON files (no pickle): `cfg.json` and `model.json`.

A component that mixes this in provides `cfg`, `_data()` (the JSON-ready weights),
`_load(data)`, and the shapes its files must have: `CFG_SHAPE` and `MODEL_SHAPE` (see
`check_shape`). Both files are checked against them before anything is loaded, so that a
hand-edited or truncated file fails at load with what is wrong, not on every document.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly

NUMBER = "number"
ANY = "any"


class MapOf:
    """Shape of a JSON object with any string keys whose values all have `values`' shape;
    `non_empty`: at least one key."""

    def __init__(self, values: Any, non_empty: bool = False) -> None:
        self.values, self.non_empty = values, non_empty


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__)


def check_shape(value: Any, shape: Any, where: str) -> None:
    """Raise ValueError naming `where` and the first place where `value` lacks `shape`.

    Shapes: ANY, NUMBER (int or float, not bool), `bool`, `str`, a literal (that exact value), a
    dict (an object with at least those keys, each of its shape), `MapOf(shape)`.
    """
    def fail(expected: str) -> ValueError:
        return ValueError(f"{where} must be {expected}, got {_kind(value)} ({value!r:.60})")

    if shape == ANY:
        return
    if shape == NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail("a number")
    elif shape in (bool, str):
        if not isinstance(value, shape):
            raise fail("a boolean" if shape is bool else "a string")
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            raise fail("an object")
        for key, inner in shape.items():
            if key not in value:
                raise ValueError(f"{where}: {key!r} missing")
            check_shape(value[key], inner, f"{where}.{key}")
    elif isinstance(shape, MapOf):
        if not isinstance(value, dict):
            raise fail("an object")
        if shape.non_empty and not value:
            raise ValueError(f"{where} is empty: the component would find nothing")
        for key, inner in value.items():
            check_shape(inner, shape.values, f"{where}.{key}")
    elif value != shape:
        raise ValueError(f"{where}: unsupported value {value!r} (this version reads {shape!r})")


class JsonModelFiles:
    cfg: dict
    CFG_SHAPE: Any = MapOf(ANY)
    MODEL_SHAPE: Any = MapOf(ANY)

    def _data(self) -> dict:  # pragma: no cover - supplied by the component
        raise NotImplementedError

    def _load(self, data: dict) -> None:  # pragma: no cover
        raise NotImplementedError

    def _checked(self, cfg: Any, data: Any, cfg_where: str, model_where: str) -> None:
        check_shape(cfg, self.CFG_SHAPE, cfg_where)
        check_shape(data, self.MODEL_SHAPE, model_where)
        self.cfg = cfg
        self._load(data)

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self.cfg)
        srsly.write_json(path / "model.json", self._data())

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        self._checked(srsly.read_json(path / "cfg.json"), srsly.read_json(path / "model.json"),
                      str(path / "cfg.json"), str(path / "model.json"))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self.cfg, "model": self._data()})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        msg = srsly.msgpack_loads(data)
        check_shape(msg, {"cfg": MapOf(ANY), "model": MapOf(ANY)}, "bytes")
        self._checked(msg["cfg"], msg["model"], "bytes: cfg", "bytes: model")
        return self
