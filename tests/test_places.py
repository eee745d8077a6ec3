"""Place resolution (mchnlp.knowledge.places) over real phrasings from the corpus and the press."""

from __future__ import annotations

import ast
import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from mchnlp.knowledge.places import (
    ALIASES_PATH,
    INDONESIA,
    LEVELS,
    Area,
    Gazetteer,
    PlaceDataError,
    Resolution,
    facility_area,
)

PACKAGE = Path(__file__).resolve().parents[1] / "mchnlp" / "knowledge"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# mention -> (code, level, official name); most are copied from corpus/raw/*.txt
RESOLVED = [
    ("Kab. Kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Kabupaten Kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("kabupaten kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Kabupaten Kupang.", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Pemerintah Kabupaten Kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Pemkab Kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Wakil Bupati Kupang", "53.01", "kabupaten", "Kabupaten Kupang"),
    ("Kota Kupang", "53.71", "kota", "Kota Kupang"),
    ("Prov. NTT", "53", "provinsi", "Provinsi Nusa Tenggara Timur"),
    ("NTT", "53", "provinsi", "Provinsi Nusa Tenggara Timur"),
    ("Provinsi NTT", "53", "provinsi", "Provinsi Nusa Tenggara Timur"),
    ("Nusa Tenggara Timur (NTT)", "53", "provinsi", "Provinsi Nusa Tenggara Timur"),
    ("Provinsi NTB", "52", "provinsi", "Provinsi Nusa Tenggara Barat"),
    ("Pemprov NTB", "52", "provinsi", "Provinsi Nusa Tenggara Barat"),
    ("Jatim", "35", "provinsi", "Provinsi Jawa Timur"),
    ("Propinsi Jawa Timur", "35", "provinsi", "Provinsi Jawa Timur"),
    ("Jateng", "33", "provinsi", "Provinsi Jawa Tengah"),
    ("JAWA TENGAH", "33", "provinsi", "Provinsi Jawa Tengah"),
    ("Pemprov Jabar", "32", "provinsi", "Provinsi Jawa Barat"),
    ("Provinsi Sumbar", "13", "provinsi", "Provinsi Sumatera Barat"),
    ("Provinsi Sumatra Barat", "13", "provinsi", "Provinsi Sumatera Barat"),
    ("Dinkes Kaltim", "64", "provinsi", "Provinsi Kalimantan Timur"),
    ("Provinsi Kalteng", "62", "provinsi", "Provinsi Kalimantan Tengah"),
    ("Kalbar", "61", "provinsi", "Provinsi Kalimantan Barat"),
    ("Kalimatan Selatan", "63", "provinsi", "Provinsi Kalimantan Selatan"),
    ("Malut", "82", "provinsi", "Provinsi Maluku Utara"),
    ("Sulsel", "73", "provinsi", "Provinsi Sulawesi Selatan"),
    ("Sumut", "12", "provinsi", "Provinsi Sumatera Utara"),
    ("DIY", "34", "provinsi", "Provinsi Daerah Istimewa Yogyakarta"),
    ("D.I. Yogyakarta", "34", "provinsi", "Provinsi Daerah Istimewa Yogyakarta"),
    ("Provinsi DKI Jakarta", "31", "provinsi", "Provinsi Daerah Khusus Ibukota Jakarta"),
    ("DKI", "31", "provinsi", "Provinsi Daerah Khusus Ibukota Jakarta"),
    ("Provinsi Kepulauan Bangka Belitung", "19", "provinsi", "Provinsi Kepulauan Bangka Belitung"),
    ("Babel", "19", "provinsi", "Provinsi Kepulauan Bangka Belitung"),
    ("Provinsi Papua Induk", "91", "provinsi", "Provinsi Papua"),
    ("Provinsi Papua Tengah", "94", "provinsi", "Provinsi Papua Tengah"),
    ("Banten", "36", "provinsi", "Provinsi Banten"),
    ("Kota Serang", "36.73", "kota", "Kota Serang"),
    ("Kabupaten Serang", "36.04", "kabupaten", "Kabupaten Serang"),
    ("Pemkab Serang", "36.04", "kabupaten", "Kabupaten Serang"),
    ("Kota Dumai", "14.72", "kota", "Kota Dumai"),
    ("Kota Sawah Lunto", "13.73", "kota", "Kota Sawahlunto"),
    ("Kota Sawahlunto", "13.73", "kota", "Kota Sawahlunto"),
    ("Kota Solo", "33.72", "kota", "Kota Surakarta"),
    ("Kota Surakarta", "33.72", "kota", "Kota Surakarta"),
    ("Kota Jakarta Selatan", "31.74", "kota", "Kota Administrasi Jakarta Selatan"),
    ("Jaksel", "31.74", "kota", "Kota Administrasi Jakarta Selatan"),
    ("Kota Adm. Jakarta Utara", "31.72", "kota", "Kota Administrasi Jakarta Utara"),
    ("Kepulauan Seribu", "31.01", "kabupaten", "Kabupaten Administrasi Kepulauan Seribu"),
    ("Kota Palangka Raya", "62.71", "kota", "Kota Palangkaraya"),
    ("Kota Pangkalpinang", "19.71", "kota", "Kota Pangkal Pinang"),
    ("Kota Bau-Bau", "74.72", "kota", "Kota Bau Bau"),
    ("Tangsel", "36.74", "kota", "Kota Tangerang Selatan"),
    ("Kota Tangerang Selatan", "36.74", "kota", "Kota Tangerang Selatan"),
    ("Kabupaten Lima Puluh Kota", "13.07", "kabupaten", "Kabupaten Lima Puluh Kota"),
    ("Kabupaten Kepulauan Mentawai", "13.09", "kabupaten", "Kabupaten Kepulauan Mentawai"),
    ("Kabupaten Pulau Morotai", "82.07", "kabupaten", "Kabupaten Pulau Morotai"),
    ("Kabupaten Sumba Barat Daya", "53.18", "kabupaten", "Kabupaten Sumba Barat Daya"),
    ("Kabupaten TTS", "53.02", "kabupaten", "Kabupaten Timor Tengah Selatan"),
    ("Kukar", "64.02", "kabupaten", "Kabupaten Kutai Kartanegara"),
    ("Deliserdang", "12.07", "kabupaten", "Kabupaten Deli Serdang"),
    ("Deli Serdang", "12.07", "kabupaten", "Kabupaten Deli Serdang"),
    ("Kab. Deli-Serdang", "12.07", "kabupaten", "Kabupaten Deli Serdang"),
    ("Kab. Pangkep", "73.10", "kabupaten", "Kabupaten Pangkajene dan Kepulauan"),
    ("Kab. Kep. Selayar", "73.01", "kabupaten", "Kabupaten Kepulauan Selayar"),
    ("Kep. Sula", "82.05", "kabupaten", "Kabupaten Kepulauan Sula"),
    # the table's name, as the annotation gives it
    ("Sitaro", "71.09", "kabupaten", "Kabupaten Kep. Siau Tagulandang Biaro"),
    ("Kepulauan Siau Tagulandang Biaro", "71.09", "kabupaten",
     "Kabupaten Kep. Siau Tagulandang Biaro"),
    ("Kab.Kudus", "33.19", "kabupaten", "Kabupaten Kudus"),
    ("Brebes", "33.29", "kabupaten", "Kabupaten Brebes"),
    ("Kabupaten Simeulue", "11.09", "kabupaten", "Kabupaten Simeulue"),
    ("Toli-Toli", "72.04", "kabupaten", "Kabupaten Toli-Toli"),
    ("Kota Baru", "63.02", "kabupaten", "Kabupaten Kotabaru"),
    ("Kecamatan Sukorambi", "35.09.15", "kecamatan", "Kecamatan Sukorambi"),
    ("Kecamatan Teupah Selatan", "11.09.07", "kecamatan", "Kecamatan Teupah Selatan"),
    ("Kec. Dumai Timur", "14.72.02", "kecamatan", "Kecamatan Dumai Timur"),
    ("Distrik Sentani", "91.03.01", "kecamatan", "Kecamatan Sentani"),
    ("kelurahan Antirogo", "35.09.21.1007", "kelurahan", "Kelurahan Antirogo"),
    ("Lurah Antirogo", "35.09.21.1007", "kelurahan", "Kelurahan Antirogo"),
    ("Kelurahan Kedaung Kali Angke", "31.73.01.1004", "kelurahan", "Kelurahan Kedaung Kali Angke"),
    ("Desa Oelnasi", "53.01.08.2006", "desa", "Desa Oelnasi"),
    (
        "Desa Oelnasi, Kecamatan Kupang Tengah, Kabupaten Kupang",
        "53.01.08.2006",
        "desa",
        "Desa Oelnasi",
    ),
]


@pytest.mark.parametrize("mention,code,level,name", RESOLVED)
def test_resolve(gaz, mention, code, level, name):
    resolution = gaz.resolve(mention)
    assert resolution.area is not None, resolution
    assert (resolution.area.code, resolution.area.level, resolution.area.name) == (
        code,
        level,
        name,
    )
    assert resolution.candidates == (resolution.area,) and not resolution.ambiguous
    assert resolution.area.province_code == code[:2]


@pytest.mark.parametrize(
    "mention,hint,code",
    [
        ("Kupang", "kabupaten", "53.01"),
        ("Kupang", "kota", "53.71"),
        ("Serang", "kabupaten", "36.04"),
        ("Bogor", "kota", "32.71"),
        ("Tegal", "kabupaten", "33.28"),
        ("Gorontalo", "provinsi", "75"),
        ("NTT", "kabupaten", "53"),  # a hint that fits no candidate is ignored
        ("Kota Kupang", "kabupaten", "53.71"),  # the level word inside the mention wins
        ("Sukorambi", "kecamatan", "35.09.15"),
        ("Antirogo", "kelurahan", "35.09.21.1007"),
        ("Antirogo", "desa", "35.09.21.1007"),  # desa and kelurahan are often mixed up
        ("Oelnasi", "desa", "53.01.08.2006"),
    ],
)
def test_level_hint(gaz, mention, hint, code):
    area = gaz.resolve(mention, level_hint=hint).area
    assert area is not None and area.code == code


@pytest.mark.parametrize(
    "mention,levels",
    [
        ("Kupang", {"kabupaten", "kota"}),
        ("Serang", {"kabupaten", "kota"}),
        ("Bogor", {"kabupaten", "kota"}),
        ("Bekasi", {"kabupaten", "kota"}),
        ("Tegal", {"kabupaten", "kota"}),
        ("Malang", {"kabupaten", "kota"}),
        ("kupang", {"kabupaten", "kota"}),
        ("Tasik", {"kabupaten", "kota"}),
        ("Jambi", {"provinsi", "kota"}),
        ("Bengkulu", {"provinsi", "kota"}),
        ("Gorontalo", {"provinsi", "kabupaten", "kota"}),
        ("Jogja", {"provinsi", "kota"}),
        ("Yogyakarta", {"provinsi", "kota"}),
        ("Banjar", {"kabupaten", "kota"}),
    ],
)
def test_shared_names_stay_ambiguous_without_context(gaz, mention, levels):
    resolution = gaz.resolve(mention)
    assert resolution.area is None and resolution.ambiguous
    assert {a.level for a in resolution.candidates} == levels


def test_context_chooses_among_same_named_areas(gaz):
    kab, kota, ntt = gaz.get("53.01"), gaz.get("53.71"), gaz.get("53")
    assert gaz.resolve("Kupang", context=[kab]).area == kab
    assert gaz.resolve("Kupang", context=[kota]).area == kota
    # a kecamatan of the kabupaten in context points to the kabupaten that contains it
    assert gaz.resolve("Kupang", context=[gaz.get("53.01.08")]).area == kab
    # both are in NTT: the province alone does not decide
    both = gaz.resolve("Kupang", context=[ntt])
    assert both.ambiguous and {a.code for a in both.candidates} == {"53.01", "53.71"}
    assert gaz.resolve("Kupang, NTT").ambiguous
    # the hint is preferred to the context
    assert gaz.resolve("Kupang", level_hint="kota", context=[kab]).area == kota
    # Kabupaten Banjar is in Kalimantan Selatan, Kota Banjar in Jawa Barat
    assert gaz.resolve("Banjar", context=[gaz.get("63")]).area.code == "63.03"
    assert gaz.resolve("Banjar", context=[gaz.get("63.71")]).area.code == "63.03"
    assert gaz.resolve("Banjar", context=[gaz.get("32")]).area.code == "32.79"
    # a province named in context wins over its capital city
    assert gaz.resolve("Jambi", context=[gaz.get("15")]).area.code == "15"
    # Indonesia in context narrows nothing
    assert gaz.resolve("Kupang", context=[INDONESIA]).ambiguous


def test_villages_are_disambiguated_by_context(gaz):
    many = gaz.resolve("Desa Sukamaju")
    assert many.area is None and len(many.candidates) > 10
    assert {a.level for a in many.candidates} == {"desa"}
    karangtalun = gaz.resolve("Desa Karangtalun")
    assert karangtalun.ambiguous and len(karangtalun.candidates) > 5
    # in Kabupaten Cilacap the Karangtalun is a kelurahan: written "Desa" by the press
    cilacap = gaz.resolve("Desa Karangtalun", context=[gaz.get("33.01")])
    assert cilacap.area is not None and cilacap.area.code == "33.01.23.1003"
    # two desa Karangtalun in Jawa Timur: still ambiguous, with those two only
    jatim = gaz.resolve("Karangtalun", level_hint="desa", context=[gaz.get("35")])
    assert jatim.ambiguous and {a.code[:2] for a in jatim.candidates} == {"35"}


@pytest.mark.parametrize("mention", ["Sukorambi", "Oelnasi", "Antirogo", "Sentani"])
def test_lower_levels_need_a_level_word(gaz, mention):
    resolution = gaz.resolve(mention)
    assert resolution.area is None and resolution.candidates == ()


def test_level_word_that_contradicts_every_match_is_not_guessed(gaz):
    resolution = gaz.resolve("Kota Sumedang")  # only Kabupaten Sumedang exists
    assert resolution.area is None and not resolution.ambiguous
    assert [a.code for a in resolution.candidates] == ["32.11"]


@pytest.mark.parametrize(
    "mention",
    [
        "Indonesia",
        "INDONESIA",
        "nasional",
        "Tanah Air",
        "Republik Indonesia",
        "RI",
        "seluruh Indonesia",
        "BPS Indonesia",
    ],
)
def test_country(gaz, mention):
    resolution = gaz.resolve(mention)
    assert resolution.area == INDONESIA and resolution.candidates == (INDONESIA,)
    assert (INDONESIA.code, INDONESIA.level, INDONESIA.province_code) == (None, "negara", None)


@pytest.mark.parametrize(
    "mention", ["", "   ", ",", " , ,", "Timor Leste", "Kabupaten", "Kota", "Malaysia", "Jalan Sudirman"]
)
def test_unknown(gaz, mention):
    resolution = gaz.resolve(mention)
    assert resolution == Resolution(None, ())


@pytest.mark.parametrize(
    "mention,kind",
    [
        ("Puskesmas Oebobo", "puskesmas"),
        ("Puskesmas Daruba", "puskesmas"),
        ("Puskesmas Labi-labi", "puskesmas"),
        ("Puskesmas Wayamli Pesisir", "puskesmas"),
        ("Pustu Oelnasi", "pustu"),
        ("RSUD Dr. Soetomo", "rumah sakit"),
        ("RSUD Kabupaten Buleleng", "rumah sakit"),
        ("RSUP Dr. Sardjito", "rumah sakit"),
        ("Rumah Sakit Umum Daerah Kupang", "rumah sakit"),
        ("RS Bhayangkara Surabaya", "rumah sakit"),
        ("Klinik Pratama Sehat", "klinik"),
        ("Posyandu Melati", "posyandu"),
    ],
)
def test_facilities_are_not_areas(gaz, mention, kind):
    resolution = gaz.resolve(mention)
    assert resolution.area is None and resolution.candidates == ()
    assert resolution.facility == kind and gaz.is_facility(mention)


@pytest.mark.parametrize(
    "mention,context,code",
    [
        ("RSUD Kabupaten Kupang", [], "53.01"),
        ("RSUD Kabupaten Buleleng", [], "51.08"),
        ("RSUD S.K. Lerik Kota Kupang", [], "53.71"),
        ("RS Bhayangkara Surabaya", [], "35.78"),
        ("Rumah Sakit Umum Daerah NTT", [], "53"),
        ("RSUD Dr. Soetomo", [], None),
        ("RSUD Kupang", [], None),  # ambiguous without context
        ("RSUD Kupang", ["53.71"], "53.71"),
        ("Puskesmas Oebobo", [], None),
        ("Puskesmas Oebobo", ["53.71"], "53.71.04"),  # named after its kecamatan
        ("Puskesmas Oebobo, Kota Kupang", [], "53.71.04"),
        ("Puskesmas Daruba", ["82.07"], "82.07.01.2002"),
        ("Kabupaten Kupang", [], None),  # not a facility
    ],
)
def test_facility_area(gaz, mention, context, code):
    area = gaz.facility_area(mention, [gaz.get(c) for c in context])
    assert (area.code if area else None) == code
    assert facility_area(mention, [gaz.get(c) for c in context]) == area


def test_get_parent_and_levels(gaz):
    assert gaz.get("53") == Area("53", "Provinsi Nusa Tenggara Timur", "provinsi", "53")
    assert gaz.get("35.09.21.1007").name == "Kelurahan Antirogo"
    assert gaz.get("53.01.08.2006").level == "desa"
    assert gaz.get("91.03.01").name == "Kecamatan Sentani"
    assert gaz.get("99") is None and gaz.get("53.99.99") is None and gaz.get("") is None
    assert gaz.parent_province(gaz.get("53.01.08.2006")) == gaz.get("53")
    assert gaz.parent_province(gaz.get("53.71")).name == "Provinsi Nusa Tenggara Timur"
    assert gaz.parent_province(gaz.get("53")) is None
    assert gaz.parent_province(INDONESIA) is None
    assert gaz.parent(gaz.get("53.01.08.2006")) == gaz.get("53.01.08")
    assert gaz.parent(gaz.get("53")) == INDONESIA and gaz.parent(INDONESIA) is None


def test_area_and_resolution_are_frozen_and_hashable(gaz):
    area = gaz.get("53.01")
    with pytest.raises(FrozenInstanceError):
        area.name = "x"  # type: ignore[misc]
    assert len({area, gaz.get("53.01"), gaz.resolve("Kab. Kupang").area}) == 1
    assert hash(gaz.resolve("Kupang")) == hash(gaz.resolve("kupang"))


def test_table_counts_match_the_decree(gaz):
    counts = {level: sum(1 for _ in gaz.areas(level)) for level in LEVELS}
    # the shared README says 8,495 kelurahan and 75,265 desa: it miscounts two rows whose
    # names contain a comma ("Lubuk Pakam I,II", "Lambang Sari I, II, III")
    assert counts == {
        "negara": 1,
        "provinsi": 38,
        "kabupaten": 416,
        "kota": 98,
        "kecamatan": 7285,
        "kelurahan": 8496,
        "desa": 75266,
    }
    assert sum(1 for _ in gaz.areas()) == 91599 + 1
    with pytest.raises(ValueError, match="regency"):
        next(gaz.areas("regency"))


def test_name_index(gaz):
    index = gaz.name_index()
    assert 800 <= len(index) <= 2000
    expected = {
        "kupang": ["kabupaten", "kota"],
        "ntt": ["provinsi"],
        "jateng": ["provinsi"],
        "deli serdang": ["kabupaten"],
        "deliserdang": ["kabupaten"],
        "brebes": ["kabupaten"],
        "dki jakarta": ["provinsi"],
        "nusa tenggara timur": ["provinsi"],
        "jakarta selatan": ["kota"],
        "kepulauan selayar": ["kabupaten"],
        "pangkep": ["kabupaten"],
        "tangsel": ["kota"],
        "gorontalo": ["provinsi", "kabupaten", "kota"],
        "bau-bau": ["kota"],
        "toli-toli": ["kabupaten"],
        "tolitoli": ["kabupaten"],
        "tasik": ["kabupaten", "kota"],
        "yogyakarta": ["provinsi", "kota"],
    }
    for form, levels in expected.items():
        assert index.get(form) == levels, form
    for form, levels in index.items():
        assert form == form.lower().strip() and "  " not in form
        assert form.split()[0] not in ("kabupaten", "kab", "kota", "provinsi", "prov"), form
        assert set(levels) <= {"provinsi", "kabupaten", "kota"}
    # resolved but not patterns: the country and short or common-word aliases
    for form in ("indonesia", "nasional", "ri", "tanah air"):
        assert form not in index
    assert gaz.common_word_names() <= set(index)
    assert {"batu", "serang", "malang", "puncak"} <= gaz.common_word_names()


def test_every_name_index_form_resolves_to_its_levels(gaz):
    for form, levels in gaz.name_index().items():
        resolution = gaz.resolve(form)
        assert {a.level for a in resolution.candidates} == set(levels), form


def test_every_alias_record_resolves_to_its_code(gaz):
    records = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))["aliases"]
    assert len(records) > 150
    for record in records:
        resolution = gaz.resolve(record["alias"])
        codes = {a.code for a in resolution.candidates}
        assert record["code"] in codes, record
        assert record["note"].strip()


@pytest.mark.parametrize(
    "patch,message",
    [
        ({"aliases": [{"alias": "Xyz", "code": "99.99", "note": "n"}]}, r"aliases\[0\].*'99.99'"),
        ({"aliases": [{"alias": "", "code": "53", "note": "n"}]}, r"aliases\[0\].*'alias'"),
        ({"aliases": [{"alias": "NTT", "code": "53"}]}, r"aliases\[0\].*'note'"),
        (
            {"aliases": [{"alias": "NTT", "code": "53", "note": "n"}] * 2},
            r"aliases\[1\].*duplicate",
        ),
        (
            {"prefixes": [{"words": "kab", "kind": "level", "level": "regency"}]},
            r"prefixes\[0\].*'level'",
        ),
        ({"facility_words": "puskesmas"}, r"'facility_words' must be a list"),
    ],
)
def test_malformed_alias_file_names_file_and_field(tmp_path, patch, message):
    data = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    data.update(patch)
    path = tmp_path / "bad_aliases.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlaceDataError, match=r"bad_aliases\.json: .*" + message):
        Gazetteer(aliases_path=path)


def test_missing_or_broken_files(tmp_path):
    with pytest.raises(PlaceDataError, match="nothing.csv.gz"):
        Gazetteer(wilayah_path=tmp_path / "nothing.csv.gz")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(PlaceDataError, match="broken.json: not valid JSON"):
        Gazetteer(aliases_path=broken)


MIXED = [
    "Kab. Kupang",
    "Kupang",
    "NTT",
    "Jatim",
    "Kota Serang",
    "Deliserdang",
    "Indonesia",
    "Puskesmas Oebobo",
    "Kecamatan Sukorambi",
    "kelurahan Antirogo",
    "Desa Oelnasi",
    "Desa Sukamaju",
    "Kota Adm. Jakarta Utara",
    "Kupang, NTT",
    "RSUD Dr. Soetomo",
]


def test_fresh_gazetteer_resolves_like_the_cached_one():
    """Load time and resolution speed are measured in benchmarks/bench.py, not asserted here."""
    fresh = Gazetteer()  # not the cached instance: reads the files again
    context = (fresh.get("53"),)
    for i, text in enumerate(MIXED):
        ours = fresh.resolve(text, context=context if i % 2 else ())
        cached = Gazetteer.load().resolve(text, context=context if i % 2 else ())
        assert (ours.area and ours.area.code) == (cached.area and cached.area.code), text


def test_cached_singleton():
    assert Gazetteer.load() is Gazetteer.load()


@pytest.mark.parametrize("module", ["places.py", "area_table.py", "indicators.py"])
def test_modules_import_no_other_mchnlp_module(module):
    """They are imported by the pipeline's hot paths and by light tools: stdlib only."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 or node.module in ("places", "area_table", "indicators"), (
                node.module
            )
            assert not (node.module or "").startswith("mchnlp"), node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith(("mchnlp", "spacy", "srsly")), alias.name


def test_a_bare_name_after_secara_provinsi_is_the_province():
    import mchnlp

    text = ("Stunting di Gorontalo 2023\n\nKabupaten Gorontalo mencatat 19,6 persen dan Kota "
            "Gorontalo 12,9 persen pada 2023. Secara provinsi, prevalensi stunting Gorontalo pada "
            "2023 sebesar 19,8 persen. Secara provinsi, angka Kabupaten Boalemo 24,1 persen.")
    areas = {f.value: f.location for f in mchnlp.extract(text)}
    assert areas[19.8] == "Provinsi Gorontalo"
    assert areas[19.6] == "Kabupaten Gorontalo"
    assert areas[24.1] == "Kabupaten Boalemo"  # its own level word stays


@pytest.mark.parametrize("written", ["Kota Bau-Bau", "Kota Bau-bau", "Kabupaten Toli-Toli",
                                     "Kab. Muko-Muko"])
def test_a_reduplicated_name_is_one_place_however_its_second_half_is_cased(written):
    from mchnlp.knowledge.patterns import location_patterns

    phrases = {p["pattern"] for p in location_patterns() if isinstance(p["pattern"], str)}
    assert written in phrases
