"""The kecamatan, kelurahan and desa of the area table, in flat arrays.

There are about 91,000 of them, and a document names a handful. Held as a dict of Python
tuples with a dict index they took about 34 MB; here they take about 4 MB: codes packed as
integers (`array`), the names in one string with offsets, the level of each row in a byte,
and the name index as sorted hashes of the lookup keys with the rows they point to (each hit
is checked against the row's own key, so a hash collision cannot return a wrong area).
`Area` objects are made only for the rows a caller asks for.

Stdlib only: imported by `places`, which the pipeline's hot paths and light tools import.
"""

from __future__ import annotations

import io
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator

LEVELS = ("kecamatan", "kelurahan", "desa")
_LEVEL_INDEX = {level: i for i, level in enumerate(LEVELS)}
# "35.09.21" and "35.09.21.1007": two-digit parts, then a four-digit village part
_CODE = re.compile(r"\d\d\.\d\d\.\d\d(?:\.\d{4})?", re.ASCII)
# a key's hash and its entry sort as one integer: (hash + _HASH_OFFSET) << _ENTRY_BITS | entry
_HASH_OFFSET = 1 << 63
_ENTRY_BITS = 32
# lookups remembered per table: news names the same villages again and again ("Sukamaju"
# has 111 desa, each checked against its row on a lookup)
MEMO_SIZE = 4096


def pack_code(code: str) -> int | None:
    """'35.09.21.1007' -> 3509211007, '35.09.21' -> 3509210000; None when the code is not a
    kecamatan or kelurahan/desa code (a village part 0000 would be its kecamatan's number)."""
    if not _CODE.fullmatch(code) or code.endswith(".0000"):
        return None
    value = int(code.replace(".", ""))
    return value * 10_000 if len(code) == 8 else value


def _unpack_code(value: int) -> str:
    digits = f"{value:010d}"
    code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"
    return code if digits[6:] == "0000" else f"{code}.{digits[6:]}"


class LowerAreaTable:
    """Kecamatan, kelurahan and desa rows: code, name, level, and a name-key index.

    Args:
        rows: (code, name, level) in table order; level one of `LEVELS`.
        keys_of: the lookup keys of a row's name: the first is its own key, the others are
            alternative keys (the name without a level word it starts with).

    Raises:
        ValueError: a code that is not a kecamatan/desa code or is repeated, or a level not in
            `LEVELS`; the message names the row (1-based, among these rows).
    """

    def __init__(
        self, rows: Iterable[tuple[str, str, str]], keys_of: Callable[[str], list[str]]
    ) -> None:
        self._keys_of = keys_of
        self._memo: dict[tuple[str, str], tuple[str, ...]] = {}
        codes = array("q")
        levels = bytearray()
        names = io.StringIO()
        offsets = array("I", [0])
        key_hashes = array("q")
        key_entries = array("I")  # row * 8 + the key's position in keys_of(name)
        position = 0
        for row, (code, name, level) in enumerate(rows):
            packed = pack_code(code)
            if packed is None:
                raise ValueError(f"row {row + 1}: {code!r} is not a kecamatan/desa code")
            if level not in _LEVEL_INDEX:
                raise ValueError(f"row {row + 1}: level {level!r} is not one of {LEVELS}")
            codes.append(packed)
            levels.append(_LEVEL_INDEX[level])
            position += names.write(name)
            offsets.append(position)
            for i, key in enumerate(keys_of(name)[:8]):
                key_hashes.append(hash(key))
                key_entries.append(row * 8 + i)
        self._codes = codes
        self._levels = bytes(levels)
        self._names = names.getvalue()
        self._offsets = offsets
        by_code = sorted(range(len(codes)), key=codes.__getitem__)
        self._sorted_codes = array("q", (codes[i] for i in by_code))
        self._rows_by_code = array("I", by_code)
        del by_code
        for i in range(1, len(self._sorted_codes)):
            if self._sorted_codes[i] == self._sorted_codes[i - 1]:
                row = self._rows_by_code[i]
                raise ValueError(f"row {row + 1}: code {_unpack_code(codes[row])} repeated")
        # one sort key per entry, so that the sort holds plain integers, not tuples
        combined = sorted(((h + _HASH_OFFSET) << _ENTRY_BITS) | e
                          for h, e in zip(key_hashes, key_entries))
        del key_hashes, key_entries
        mask = (1 << _ENTRY_BITS) - 1
        self._key_hashes = array("q", ((c >> _ENTRY_BITS) - _HASH_OFFSET for c in combined))
        self._key_entries = array("I", (c & mask for c in combined))

    def __len__(self) -> int:
        return len(self._codes)

    def _name(self, row: int) -> str:
        return self._names[self._offsets[row] : self._offsets[row + 1]]

    def row(self, code: str) -> tuple[str, str] | None:
        """(name, level) of the row with this code, or None."""
        packed = pack_code(code)
        if packed is None:
            return None
        i = bisect_left(self._sorted_codes, packed)
        if i == len(self._sorted_codes) or self._sorted_codes[i] != packed:
            return None
        row = self._rows_by_code[i]
        return self._name(row), LEVELS[self._levels[row]]

    def codes(self, level: str, key: str) -> list[str]:
        """Codes of the rows of `level` one of whose keys is `key`, in table order."""
        found = self._memo.get((level, key))
        if found is None:
            found = self._find(level, key)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[level, key] = found
        return list(found)

    def _find(self, level: str, key: str) -> tuple[str, ...]:
        wanted = _LEVEL_INDEX[level]
        key_hash = hash(key)
        start = bisect_left(self._key_hashes, key_hash)
        end = bisect_right(self._key_hashes, key_hash, start)
        found = []
        for entry in self._key_entries[start:end]:
            row, which = divmod(entry, 8)
            if self._levels[row] != wanted:
                continue
            keys = self._keys_of(self._name(row))
            if which < len(keys) and keys[which] == key:
                found.append(_unpack_code(self._codes[row]))
        return tuple(found)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        """(code, name, level) of every row, in table order."""
        for row, packed in enumerate(self._codes):
            yield _unpack_code(packed), self._name(row), LEVELS[self._levels[row]]

    def nbytes(self) -> int:
        """Bytes held by the arrays and the name string."""
        arrays = (self._codes, self._offsets, self._sorted_codes, self._rows_by_code,
                  self._key_hashes, self._key_entries)
        held = sum(a.itemsize * len(a) for a in arrays)
        return held + sys.getsizeof(self._levels) + sys.getsizeof(self._names)
