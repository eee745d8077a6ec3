import time

import pytest

from mchnlp.places import INDONESIA, Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


@pytest.mark.parametrize(
    "mention,hint,name,code",
    [
        ("Kab. Kupang", None, "Kabupaten Kupang", "53.01"),
        ("Kabupaten Kupang", None, "Kabupaten Kupang", "53.01"),
        ("kabupaten kupang", None, "Kabupaten Kupang", "53.01"),
        ("Kupang", "kabupaten", "Kabupaten Kupang", "53.01"),
        ("Kupang", "kota", "Kota Kupang", "53.71"),
        ("Kota Serang", None, "Kota Serang", "36.73"),
        ("Serang", "kabupaten", "Kabupaten Serang", "36.04"),
        ("NTT", None, "Provinsi Nusa Tenggara Timur", "53"),
        ("Prov. NTT", None, "Provinsi Nusa Tenggara Timur", "53"),
        ("Jatim", None, "Provinsi Jawa Timur", "35"),
        ("Jateng", None, "Provinsi Jawa Tengah", "33"),
        ("JAWA TENGAH", None, "Provinsi Jawa Tengah", "33"),
        ("Banten", None, "Provinsi Banten", "36"),
        ("Deliserdang", None, "Kabupaten Deli Serdang", "12.07"),
        ("Deli Serdang", None, "Kabupaten Deli Serdang", "12.07"),
        ("Kab.Kudus", None, "Kabupaten Kudus", "33.19"),
        ("Kep. Sula", None, "Kabupaten Kepulauan Sula", "82.05"),
        ("Kukar", None, "Kabupaten Kutai Kartanegara", "64.02"),
        ("Kota Pangkalpinang", None, "Kota Pangkal Pinang", "19.71"),
        ("Kalimatan Selatan", None, "Provinsi Kalimantan Selatan", "63"),
        ("kelurahan Antirogo", None, "Kelurahan Antirogo", "35.09.21.1007"),
        ("Kecamatan Sukorambi", None, "Kecamatan Sukorambi", "35.09.15"),
    ],
)
def test_resolve(gaz, mention, hint, name, code):
    area = gaz.resolve(mention, level_hint=hint).area
    assert area is not None and (area.name, area.code) == (name, code)


@pytest.mark.parametrize("name", ["Kupang", "Tegal", "Bogor", "Bekasi", "Serang"])
def test_shared_names_are_ambiguous_without_context(gaz, name):
    resolution = gaz.resolve(name)
    assert resolution.area is None and resolution.ambiguous
    assert {a.level for a in resolution.candidates} == {"kabupaten", "kota"}


def test_context_decides(gaz):
    kota = gaz.get("53.71")
    assert gaz.resolve("Kupang", context=[kota]).area == kota
    # a desa name shared across Indonesia is decided by the kabupaten in context
    many = gaz.resolve("Desa Sukamaju")
    assert many.area is None and len(many.candidates) > 10


def test_national_and_facilities(gaz):
    assert gaz.resolve("nasional").area == INDONESIA
    assert gaz.resolve("Indonesia").area == INDONESIA
    assert gaz.resolve("Puskesmas Oebobo").area is None
    assert gaz.facility_area("RSUD Kabupaten Kupang").code == "53.01"


def test_fast(gaz):
    start = time.perf_counter()
    for _ in range(1000):
        gaz.resolve("Kab. Kupang")
    assert time.perf_counter() - start < 1.0
