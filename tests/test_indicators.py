import pytest

import mchnlp
from mchnlp.indicators import IndicatorRegistry, IndicatorTableError


@pytest.fixture(scope="module")
def reg():
    return IndicatorRegistry.load()


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


@pytest.mark.parametrize(
    "phrase,code",
    [("AKI", "maternal_mortality"), ("angka kematian ibu melahirkan", "maternal_mortality"),
     ("AKB", "infant_mortality"), ("AKN", "neonatal_mortality"), ("AKABA", "under5_mortality"),
     ("kekerdilan", "stunting"), ("tengkes", "stunting"), ("gizi buruk", "severe_malnutrition"),
     ("BBLR", "low_birth_weight"), ("ASI eksklusif", "exclusive_breastfeeding"),
     ("imunisasi dasar lengkap", "complete_basic_immunization"), ("K4", "antenatal_care_k4"),
     ("anemia ibu hamil", "anemia_pregnant_women")],
)
def test_aliases_reach_the_pipeline(phrase, code):
    doc = mchnlp.load()(f"Data {phrase} di daerah ini.")
    assert [(e.text, e.ent_id_) for e in doc.ents if e.label_ == "INDICATOR"] == [(phrase, code)]


@pytest.mark.parametrize(
    "code,value,unit,warns",
    [("maternal_mortality", 189, "per_100000_live_births", False),
     ("maternal_mortality", 5000, "per_100000_live_births", True),
     ("maternal_mortality", 12, "percent", True),
     ("stunting", 21.6, "percent", False),
     ("stunting", 121.6, "percent", True),
     ("infant_mortality", 13.8, "per_1000_live_births", False)],
)
def test_check(reg, code, value, unit, warns):
    assert (reg.check(code, value, unit) is not None) == warns


def test_contradicting_value_is_flagged_on_the_fact():
    facts = mchnlp.extract("AKI Provinsi Banten mencapai 5.000 per 100 ribu kelahiran hidup.")
    assert len(facts) == 1 and any("implausible" in w for w in facts[0].warnings)


def test_malformed_table_names_record_and_field():
    with pytest.raises(IndicatorTableError, match="x.json: indicator #0 .*'definition'"):
        IndicatorRegistry({"indicators": [{"code": "a", "aliases": [], "expected_units": [],
                                           "standard": {}}]}, "x.json")
