"""Broken model files fail at load with what is wrong (ModelNotFoundError from `mchnlp.load`),
never later on every document nor silently with no facts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import srsly
from hypothesis import given, settings
from hypothesis import strategies as st

import mchnlp
from mchnlp.components.entity_arbiter import EntityArbiter
from mchnlp.components.indicator_codes import IndicatorCodes
from mchnlp.components.linker import TrainedLinker
from mchnlp.pipeline import ModelNotFoundError, validate_pipeline_dir

SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus."
SHIPPED = mchnlp.find_pipeline()
GOOD_CFG = srsly.read_json(SHIPPED / "mchnlp_linker" / "cfg.json")
GOOD_MODEL = srsly.read_json(SHIPPED / "mchnlp_linker" / "model.json")


def component_dir(tmp_path: Path, cfg, model) -> Path:
    folder = tmp_path / "component"
    folder.mkdir(exist_ok=True)
    for name, content in (("cfg.json", cfg), ("model.json", model)):
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    return folder


BROKEN_LINKER = {
    "model.json is a list": (GOOD_CFG, [1, 2], r"model\.json must be an object, got a list"),
    "no weights": (GOOD_CFG, {"weights": {}}, r"model\.json: 'version' missing"),
    "empty weights": (GOOD_CFG, {"version": 1, "weights": {}},
                      r"model\.json\.weights is empty"),
    "string weights": (GOOD_CFG, {"version": 1, "weights": {"indicator": {
        "coef": {"bias": "0.3"}, "intercept": 0.1}}},
        r"model\.json\.weights\.indicator\.coef\.bias must be a number, got a string"),
    "empty cfg": ({}, GOOD_MODEL, r"cfg\.json: 'thresholds' missing"),
    "cfg is a list": ([], GOOD_MODEL, r"cfg\.json must be an object"),
    "future version": (GOOD_CFG, {"version": 2, "weights": GOOD_MODEL["weights"]},
                       r"unsupported value 2"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_LINKER))
def test_broken_linker_files_say_what_is_wrong(tmp_path, case):
    cfg, model, message = BROKEN_LINKER[case]
    with pytest.raises(ValueError, match=message):
        TrainedLinker(None).from_disk(component_dir(tmp_path, cfg, model))


def test_the_shipped_linker_files_load_and_round_trip():
    linker = TrainedLinker(None).from_disk(SHIPPED / "mchnlp_linker")
    assert sorted(linker.model.weights) == ["date", "indicator", "location"]
    again = TrainedLinker(None).from_bytes(linker.to_bytes())
    assert again.model.weights == linker.model.weights and again.cfg == linker.cfg


JSON = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=5)
                    | st.integers(), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["version", "weights", "indicator",
                                                       "coef", "intercept", "x"]), inner,
                                      max_size=3), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_any_json_in_model_json_loads_into_a_working_linker_or_is_a_value_error(tmp_path_factory,
                                                                                 data):
    folder = component_dir(tmp_path_factory.mktemp("m"), GOOD_CFG, data)
    try:
        linker = TrainedLinker(None).from_disk(folder)
    except ValueError:
        return
    for relation in linker.model.weights:
        assert 0.0 <= linker.model.probability(relation, {"bias": 1.0}) <= 1.0


@pytest.mark.parametrize("component, model, message", [
    (EntityArbiter, {"version": 1, "weights": {"a": "x"}, "intercept": 0.0},
     r"weights\.a must be a number"),
    (EntityArbiter, {"version": 1, "weights": {}}, r"'intercept' missing"),
    (IndicatorCodes, {"version": 1, "weights": [], "intercepts": {}, "lexicon": {},
                      "learned": {}}, r"weights must be an object, got a list"),
    (IndicatorCodes, {"version": 1, "weights": {}, "intercepts": {}, "lexicon": {"aki": 3},
                      "learned": {}}, r"lexicon\.aki must be a string"),
])
def test_broken_files_of_the_other_trained_components(tmp_path, component, model, message):
    cfg = component(None).cfg
    with pytest.raises(ValueError, match=message):
        component(None).from_disk(component_dir(tmp_path, cfg, model))
    with pytest.raises(ValueError, match=r"cfg\.json: 'threshold' missing"):
        component(None).from_disk(component_dir(tmp_path, {}, model))


@pytest.mark.parametrize("meta, message", [
    ([], "a JSON object expected, found list"),
    ({"lang": "id", "spacy_version": 3.8}, "spacy_version must be a string"),
])
def test_a_meta_json_of_the_wrong_type_is_a_clear_error(tmp_path, meta, message):
    (tmp_path / "config.cfg").write_text("", encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=message):
        validate_pipeline_dir(tmp_path)


def test_load_turns_a_broken_component_file_into_model_not_found(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(SHIPPED, model)
    (model / "mchnlp_linker" / "model.json").write_text('{"weights": {}}', encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=r"mchnlp_linker.model\.json: 'version' missing"):
        mchnlp.load(model)


def test_the_shipped_pipeline_holds_the_packaged_rules():
    """The rule data in `models/mchnlp_id` is the package's (`make model` writes it): an edit
    to `mchnlp/knowledge/data` that the shipped pipeline lacks fails here."""
    import srsly

    from mchnlp.knowledge.patterns import indicator_patterns, place_date_patterns
    from mchnlp.knowledge.resources import value_rules
    from mchnlp.pipeline import find_pipeline

    shipped = find_pipeline("mchnlp_id")
    assert srsly.read_json(shipped / "mch_values" / "lexicon.json") == value_rules()
    for ruler, patterns in (("indicator_ruler", indicator_patterns()),
                            ("place_date_ruler", place_date_patterns())):
        written = sorted(srsly.json_dumps(p) for p in srsly.read_jsonl(
            shipped / ruler / "patterns.jsonl"))
        assert written == sorted(srsly.json_dumps(p) for p in patterns), ruler
