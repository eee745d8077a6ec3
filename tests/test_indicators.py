"""The indicator table (mchnlp.knowledge.indicators, knowledge/data/indicators.json): aliases over real phrasings,
standard mappings, plausibility checks and validation errors."""

from __future__ import annotations

import copy
import json

import pytest

import mchnlp
from mchnlp.knowledge.indicators import INDICATORS_PATH, IndicatorRegistry, IndicatorTableError


@pytest.fixture(scope="module")
def reg() -> IndicatorRegistry:
    return IndicatorRegistry.load()


@pytest.fixture()
def table() -> dict:
    return json.loads(INDICATORS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "code,sdg,gho",
    [
        ("maternal_mortality", "3.1.1", "MDG_0000000026"),
        ("neonatal_mortality", "3.2.2", "WHOSIS_000003"),
        ("under5_mortality", "3.2.1", "MDG_0000000007"),
        ("infant_mortality", None, "MDG_0000000001"),
        ("stunting", "2.2.1", "NUTSTUNTINGPREV"),
        ("wasting", "2.2.2", "NUTRITION_WH_2"),
    ],
)
def test_standard_mapping(reg, code, sdg, gho):
    standard = reg.get(code)["standard"]
    assert standard.get("sdg") == sdg and standard["who_gho"] == gho
    assert standard["verified"] is True


@pytest.mark.parametrize(
    "code,units",
    [
        ("maternal_mortality", {"count", "per_100000_live_births"}),
        ("infant_mortality", {"count", "per_1000_live_births"}),
        ("neonatal_mortality", {"count", "per_1000_live_births"}),
        ("under5_mortality", {"count", "per_1000_live_births"}),
        ("stunting", {"count", "percent"}),
        ("wasting", {"count", "percent"}),
        ("exclusive_breastfeeding", {"count", "percent"}),
        ("complete_basic_immunization", {"count", "percent"}),
        ("antenatal_care_k4", {"count", "percent"}),
        ("facility_delivery", {"count", "percent"}),
        ("anemia_pregnant_women", {"count", "percent"}),
        ("maternal_and_infant_mortality", {"count"}),
    ],
)
def test_expected_units(reg, code, units):
    record = reg.get(code)
    assert set(record["expected_units"]) == units
    assert set(record["plausible"]) == units
    assert record["rate_unit"] is None or record["rate_unit"] in units
    assert record["definition"].endswith(".") and len(record["definition"]) > 40


# Phrases as written in corpus/raw/*.txt (and the issue), lower-cased -> indicator code
PHRASES = [
    ("aki", "maternal_mortality"),
    ("angka kematian ibu", "maternal_mortality"),
    ("angka kematian ibu melahirkan", "maternal_mortality"),
    ("kematian ibu hamil", "maternal_mortality"),
    ("kematian ibu", "maternal_mortality"),
    ("prevalensi gizi buruk dan gizi kurang", "underweight"),  # weight-for-age, together
    ("gizi buruk-kurang", "underweight"),
    ("kematian bayi usia 0-28 hari", "neonatal_mortality"),  # the neonatal period, spelled out
    ("akb", "infant_mortality"),
    ("angka kematian bayi", "infant_mortality"),
    ("kematian bayi", "infant_mortality"),
    ("akn", "neonatal_mortality"),
    ("kematian neonatus", "neonatal_mortality"),
    ("angka kematian neonatal", "neonatal_mortality"),
    ("akaba", "under5_mortality"),
    ("angka kematian balita", "under5_mortality"),
    ("under 5 mortality rate", "under5_mortality"),
    ("angka kematian anak", "child_mortality"),
    ("child mortality rate", "child_mortality"),
    ("bayi lahir mati", "stillbirth"),
    ("angka kematian ibu dan bayi", "maternal_and_infant_mortality"),
    ("angka kematian ibu dan anak", "maternal_and_infant_mortality"),
    ("stunting", "stunting"),
    ("kekerdilan", "stunting"),
    ("tengkes", "stunting"),
    ("prevalensi stunting", "stunting"),
    ("prevalensi balita stunting", "stunting"),
    ("angka kekerdilan", "stunting"),
    ("gizi kurang", "wasting"),
    ("prevalensi gizi kurang", "wasting"),
    ("gizi buruk", "severe_malnutrition"),
    ("prevalensi gizi buruk", "severe_malnutrition"),
    ("marasmus", "severe_malnutrition"),
    ("bblr", "low_birth_weight"),
    ("persentase bblr", "low_birth_weight"),
    ("berat badan lahir rendah", "low_birth_weight"),
    ("asi eksklusif", "exclusive_breastfeeding"),
    ("pemberian asi eksklusif", "exclusive_breastfeeding"),
    ("imunisasi dasar lengkap", "complete_basic_immunization"),
    ("idl", "complete_basic_immunization"),
    ("imunisasi lengkap", "complete_basic_immunization"),
    ("k4", "antenatal_care_k4"),
    ("persalinan di faskes", "facility_delivery"),
    ("persalinan di fasilitas kesehatan", "facility_delivery"),
    ("anemia ibu hamil", "anemia_pregnant_women"),
    ("anemia pada ibu hamil", "anemia_pregnant_women"),
]


@pytest.mark.parametrize("phrase,code", PHRASES)
def test_real_phrasings_are_aliases(reg, phrase, code):
    assert dict(reg.aliases())[phrase] == code


@pytest.mark.parametrize(
    "risky",
    [
        "aka",
        "pf",
        "mmr",
        "kerdil",
        "gagal tumbuh",
        "kurang gizi",
        "asi",
        "anemia",
        "kematian",
        "ibu",
        "bayi",
        "imunisasi",
    ],
)
def test_risky_aliases_are_absent(reg, risky):
    """'aka' (= 'alias'), 'pf', 'mmr' (the measles-mumps-rubella vaccine), generic words."""
    assert risky not in dict(reg.aliases())


def test_alias_list_is_clean(reg):
    pairs = reg.aliases()
    aliases = [a for a, _ in pairs]
    assert len(aliases) == len(set(aliases)) > 150
    assert all(a == a.lower().strip() for a in aliases)
    assert {c for _, c in pairs} == set(reg.codes())
    assert len(reg.codes()) == 22 and reg.codes()[0] == "maternal_mortality"


@pytest.mark.parametrize(
    "phrase,code",
    [
        ("AKI", "maternal_mortality"),
        ("angka kematian ibu melahirkan", "maternal_mortality"),
        ("AKB", "infant_mortality"),
        ("AKN", "neonatal_mortality"),
        ("AKABA", "under5_mortality"),
        ("kekerdilan", "stunting"),
        ("tengkes", "stunting"),
        ("gizi buruk", "severe_malnutrition"),
        ("BBLR", "low_birth_weight"),
        ("ASI eksklusif", "exclusive_breastfeeding"),
        ("imunisasi dasar lengkap", "complete_basic_immunization"),
        ("K4", "antenatal_care_k4"),
        ("anemia ibu hamil", "anemia_pregnant_women"),
    ],
)
def test_aliases_reach_the_pipeline(phrase, code):
    doc = mchnlp.load()(f"Data {phrase} di daerah ini.")
    assert [(e.text, e.ent_id_) for e in doc.ents if e.label_ == "INDICATOR"] == [(phrase, code)]


def test_rate_unit(reg):
    assert reg.rate_unit("maternal_mortality") == "per_100000_live_births"
    assert reg.rate_unit("infant_mortality") == "per_1000_live_births"
    assert reg.rate_unit("stunting") == "percent"
    assert reg.rate_unit("maternal_and_infant_mortality") is None
    assert reg.rate_unit("nope") is None


@pytest.mark.parametrize(
    "code,value,unit,warning",
    [
        ("maternal_mortality", 189, "per_100000_live_births", None),  # AKI nasional (corpus)
        ("maternal_mortality", 127, "per_100000_live_births", None),  # AKI Banten 2022
        ("maternal_mortality", 96.42, "per_100000_live_births", None),  # target AKI Jatim
        ("maternal_mortality", 2000, "per_100000_live_births", None),  # bounds are inclusive
        (
            "maternal_mortality",
            5000,
            "per_100000_live_births",
            "implausible: 5000 per_100000_live_births for maternal_mortality (plausible 0-2000)",
        ),
        (
            "maternal_mortality",
            12,
            "percent",
            (
                "unexpected unit: percent for maternal_mortality "
                "(expected count, per_100000_live_births)"
            ),
        ),
        ("maternal_mortality", 14, "count", None),  # 14 kasus kematian ibu hamil (Kupang)
        (
            "maternal_mortality",
            13.5,
            "count",
            "implausible: 13.5 count for maternal_mortality (a count is a whole number)",
        ),
        (
            "maternal_mortality",
            -1,
            "count",
            "implausible: -1 count for maternal_mortality (plausible 0-20000)",
        ),
        ("infant_mortality", 13.8, "per_1000_live_births", None),  # AKB Banten
        ("infant_mortality", 38.17, "per_1000_live_births", None),  # AKB Papua, SP2020
        (
            "infant_mortality",
            450,
            "per_1000_live_births",
            "implausible: 450 per_1000_live_births for infant_mortality (plausible 0-200)",
        ),
        (
            "infant_mortality",
            13.8,
            "per_100000_live_births",
            (
                "unexpected unit: per_100000_live_births for infant_mortality "
                "(expected count, per_1000_live_births)"
            ),
        ),
        ("under5_mortality", 34.58, "per_1000_live_births", None),
        ("neonatal_mortality", 9.3, "per_1000_live_births", None),
        ("stunting", 21.6, "percent", None),  # SSGI 2022
        ("stunting", 121.6, "percent", "implausible: 121.6 percent for stunting (plausible 0-100)"),
        ("stunting", 48, "count", None),
        ("complete_basic_immunization", 63.58, "percent", None),  # Susenas IDL
        ("complete_basic_immunization", 103.5, "percent", None),  # admin coverage > 100%
        ("antenatal_care_k4", 104.2, "percent", None),
        ("low_birth_weight", 4.6, "percent", None),  # Jateng 2022
        ("exclusive_breastfeeding", 67.96, "percent", None),
        ("anemia_pregnant_women", 48.9, "percent", None),  # Riskesdas 2018
        ("severe_malnutrition", 17, "count", None),  # Halmahera Timur
        (
            "maternal_and_infant_mortality",
            1.2,
            "per_1000_live_births",
            (
                "unexpected unit: per_1000_live_births for maternal_and_infant_mortality "
                "(expected count)"
            ),
        ),
        ("maternal_mortality", 5, None, None),  # no unit: nothing to check
        ("not_an_indicator", 5, "count", "unknown indicator 'not_an_indicator'"),
    ],
)
def test_check(reg, code, value, unit, warning):
    assert reg.check(code, value, unit) == warning


def test_large_values_are_written_without_exponent(reg):
    assert reg.check("stunting", 12_000_000, "count") == (
        "implausible: 12000000 count for stunting (plausible 0-10000000)"
    )


def test_contradicting_value_is_flagged_on_the_fact():
    facts = mchnlp.extract("AKI Provinsi Banten mencapai 5.000 per 100 ribu kelahiran hidup.")
    assert len(facts) == 1 and any("implausible" in w for w in facts[0].warnings)


def test_load_is_cached_and_records_are_read_only(reg):
    assert IndicatorRegistry.load() is reg
    record = reg.get("stunting")
    with pytest.raises(TypeError):
        record["rate_unit"] = "count"  # type: ignore[index]
    assert reg.get("nope") is None


def test_packaged_file_is_what_load_reads(table):
    registry = IndicatorRegistry(table, "copy.json")
    assert registry.codes() == IndicatorRegistry.load().codes()
    assert set(table["units"]) == {
        "count",
        "percent",
        "per_1000_live_births",
        "per_100000_live_births",
    }


def test_malformed_table_names_record_and_field():
    with pytest.raises(IndicatorTableError, match="x.json: indicator #0 .*'definition'"):
        IndicatorRegistry(
            {"indicators": [{"code": "a", "aliases": [], "expected_units": [], "standard": {}}]},
            "x.json",
        )


def _set(path: str, value):
    def patch(record: dict) -> None:
        *parents, last = path.split(".")
        target = record
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return patch


@pytest.mark.parametrize(
    "patch,message",
    [
        (
            _set("definition", KeyError),
            r"indicator #2 \(neonatal_mortality\): field 'definition': missing",
        ),
        (_set("code", "Neonatal Mortality"), r"field 'code': must be snake_case"),
        (_set("aliases", []), r"field 'aliases': must be a non-empty list"),
        (_set("aliases", ["AKN"]), r"field 'aliases': 'AKN' must be lower case"),
        (_set("aliases", ["akn", "akn"]), r"field 'aliases': listed twice: akn"),
        (_set("aliases", ["aki"]), r"'aki' already belongs to 'maternal_mortality'"),
        (
            _set("expected_units", ["per_mille"]),
            r"field 'expected_units': unknown unit 'per_mille'",
        ),
        (_set("rate_unit", "percent"), r"field 'rate_unit': 'percent' is not among expected_units"),
        (
            _set("plausible", {"count": [0, 10]}),
            r"field 'plausible': no range for expected unit 'per_1000_live_births'",
        ),
        (_set("plausible.count", [10, 0]), r"field 'plausible': count: must be \[min, max\]"),
        (_set("plausible.count", ["0", 10]), r"field 'plausible': count: must be \[min, max\]"),
        (
            _set("standard.who_gho", "MDG_0000000025 (related: skilled attendance)"),
            r"field 'standard': 'who_gho' must be a GHO indicator code",
        ),
        (_set("standard.sdg", "3.7 (related)"), r"field 'standard': 'sdg' must look like"),
        (_set("standard.name", ""), r"field 'standard': 'name' is required"),
        (_set("standard.source", "x"), r"field 'standard': unknown keys \['source'\]"),
    ],
)
def test_validation_names_file_record_and_field(table, patch, message):
    table = copy.deepcopy(table)
    patch(table["indicators"][2])  # neonatal_mortality
    with pytest.raises(IndicatorTableError, match=r"^bad\.json: .*" + message):
        IndicatorRegistry(table, "bad.json")


def test_duplicate_code(table):
    table["indicators"].append(copy.deepcopy(table["indicators"][0]) | {"aliases": ["x y"]})
    with pytest.raises(IndicatorTableError, match=rf"indicator #{len(table['indicators']) - 1} .*duplicate code"):
        IndicatorRegistry(table, "dup.json")


def test_from_file_errors(tmp_path):
    with pytest.raises(IndicatorTableError, match="missing.json: indicator table missing"):
        IndicatorRegistry.from_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"indicators": [', encoding="utf-8")
    with pytest.raises(IndicatorTableError, match="broken.json: not valid JSON"):
        IndicatorRegistry.from_file(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text("[]", encoding="utf-8")
    with pytest.raises(IndicatorTableError, match="wrong.json: top level"):
        IndicatorRegistry.from_file(wrong)


@pytest.mark.parametrize("text", [
    "Persentase perempuan pernah kawin umur 15-49 tahun yang proses melahirkan terakhirnya "
    "ditolong oleh tenaga kesehatan terlatih di Provinsi Bali tahun 2022 sebesar 99,6 persen.",
    "Di Provinsi Papua, kelahiran terakhir ditolong tenaga kesehatan pada 2021 baru 68,1 persen.",
])
def test_the_bps_title_of_skilled_birth_attendance_is_an_indicator(nlp, text):
    """The statistics agency's tables name SDG 3.1.2 by the mother's last birth attended by
    trained health personnel, without the word "persalinan"."""
    facts = mchnlp.extract(text, nlp=nlp)
    assert [f.indicator for f in facts] == ["skilled_birth_attendance"]
