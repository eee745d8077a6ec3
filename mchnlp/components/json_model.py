"""Saving a small trained component as two JSON files (no pickle): `cfg.json` and `model.json`.

A component that mixes this in provides `cfg`, `_data()` (the JSON-ready weights) and
`_load(data, where)` (which checks the version and the types and raises with `where` in the message).
"""
from __future__ import annotations

from pathlib import Path

import srsly


def _read_object(path: Path) -> dict:
    data = srsly.read_json(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


class JsonModelFiles:
    cfg: dict

    def _data(self) -> dict:  # pragma: no cover - supplied by the component
        raise NotImplementedError

    def _load(self, data: dict, where: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self.cfg)
        srsly.write_json(path / "model.json", self._data())

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        self.cfg = _read_object(path / "cfg.json")
        self._load(_read_object(path / "model.json"), str(path / "model.json"))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self.cfg, "model": self._data()})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        msg = srsly.msgpack_loads(data)
        self.cfg = msg["cfg"]
        self._load(msg["model"], "bytes")
        return self
