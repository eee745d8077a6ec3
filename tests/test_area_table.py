"""The compact kecamatan/desa table behind the gazetteer (mchnlp.knowledge.area_table)."""

from __future__ import annotations

import gzip
import json

import pytest

from mchnlp.knowledge.area_table import LowerAreaTable, pack_code
from mchnlp.knowledge.places import ALIASES_PATH, Gazetteer, PlaceDataError

# composed rows, deliberately out of code order
ROWS = [
    ("53.71.02", "Oebobo", "kecamatan"),
    ("53.01.08", "Kupang Tengah", "kecamatan"),
    ("53.01.08.2006", "Oelnasi", "desa"),
    ("53.71.02.1001", "Oebobo", "kelurahan"),
    ("35.09.21.2001", "Desa Baru", "desa"),
    ("35.09.21.2002", "Baru", "desa"),
]


def _keys(name: str) -> list[str]:
    words = name.lower().split()
    keys = ["".join(words)]
    if len(words) > 1 and words[0] == "desa":
        keys.append("".join(words[1:]))
    return keys


@pytest.fixture()
def table() -> LowerAreaTable:
    return LowerAreaTable(iter(ROWS), _keys)


@pytest.mark.parametrize(
    "code,packed",
    [
        ("35.09.21", 3509210000),
        ("35.09.21.1007", 3509211007),
        ("53.01.08.2006", 5301082006),
        ("53", None),
        ("53.01", None),
        ("", None),
        ("35.09.21.0000", None),
        ("35.9.21", None),
        ("35.09.21.1007.1", None),
        ("３５.09.21", None),
        ("ab.cd.ef", None),
    ],
)
def test_pack_code(code, packed):
    assert pack_code(code) == packed


def test_rows_by_code(table):
    assert len(table) == 6
    assert table.row("53.01.08.2006") == ("Oelnasi", "desa")
    assert table.row("53.71.02") == ("Oebobo", "kecamatan")
    assert table.row("53.71.02.1001") == ("Oebobo", "kelurahan")
    assert table.row("53.71.03") is None
    assert table.row("53.71") is None
    assert table.row("not a code") is None


def test_codes_by_level_and_key_in_table_order(table):
    assert table.codes("kecamatan", "oebobo") == ["53.71.02"]
    assert table.codes("kelurahan", "oebobo") == ["53.71.02.1001"]
    assert table.codes("desa", "oebobo") == []
    # "Desa Baru" is also found without its level word, before "Baru" (table order)
    assert table.codes("desa", "baru") == ["35.09.21.2001", "35.09.21.2002"]
    assert table.codes("desa", "desabaru") == ["35.09.21.2001"]
    assert table.codes("desa", "unknown") == []


def test_iteration_gives_every_row_in_table_order(table):
    assert list(table) == ROWS
    assert table.nbytes() > 0


@pytest.mark.parametrize(
    "rows,message",
    [
        ([("53.01", "Kupang", "kecamatan")], r"row 1: '53.01' is not a kecamatan/desa code"),
        ([("53.01.08", "X", "kecamatan"), ("53.01.08.0000", "Y", "desa")], r"row 2: '53.01"),
        ([("53.01.08", "X", "regency")], r"row 1: level 'regency'"),
        ([("53.01.08", "X", "kecamatan"), ("53.01.08", "Y", "kecamatan")], r"53.01.08 repeated"),
    ],
)
def test_bad_rows_are_named(rows, message):
    with pytest.raises(ValueError, match=message):
        LowerAreaTable(iter(rows), _keys)


def _small_gazetteer(tmp_path, lower_rows: list[str]) -> Gazetteer:
    """A gazetteer of one province and kabupaten and the given kecamatan/desa rows, with the
    packaged prefixes and facility words but no aliases."""
    path = tmp_path / "wilayah.csv.gz"
    rows = ["code,name,level", "53,NUSA TENGGARA TIMUR,provinsi",
            "53.01,Kabupaten Kupang,kabupaten"]
    path.write_bytes(gzip.compress("\n".join(rows + lower_rows).encode("utf-8")))
    aliases = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    aliases.update(aliases=[], common_word_names=[])
    aliases_path = tmp_path / "aliases.json"
    aliases_path.write_text(json.dumps(aliases), encoding="utf-8")
    return Gazetteer(wilayah_path=path, aliases_path=aliases_path)


def test_gazetteer_reports_a_bad_lower_row_with_the_file(tmp_path):
    gazetteer = _small_gazetteer(tmp_path, ["53.01.8,Kupang Tengah,kecamatan"])
    assert gazetteer.resolve("Kabupaten Kupang").area.code == "53.01"
    with pytest.raises(PlaceDataError, match=r"wilayah\.csv\.gz: row 1: '53.01.8'"):
        gazetteer.resolve("Kecamatan Kupang Tengah")


def test_gazetteer_on_a_small_table(tmp_path):
    gazetteer = _small_gazetteer(tmp_path, [",".join(row) for row in ROWS if row[0][:2] == "53"])
    assert gazetteer.resolve("Desa Oelnasi").area.name == "Desa Oelnasi"
    assert gazetteer.get("53.71.02").name == "Kecamatan Oebobo"
    assert [a.code for a in gazetteer.areas("kelurahan")] == ["53.71.02.1001"]
    assert gazetteer.get("53.71.02.1002") is None


def test_remembered_lookups_give_the_same_codes(table, monkeypatch):
    from mchnlp.knowledge import area_table

    monkeypatch.setattr(area_table, "MEMO_SIZE", 2)
    for _ in range(3):
        assert table.codes("desa", "baru") == ["35.09.21.2001", "35.09.21.2002"]
        assert table.codes("kecamatan", "oebobo") == ["53.71.02"]
        assert table.codes("desa", "unknown") == []
    codes = table.codes("desa", "baru")
    codes.append("changed by the caller")
    assert table.codes("desa", "baru") == ["35.09.21.2001", "35.09.21.2002"]
