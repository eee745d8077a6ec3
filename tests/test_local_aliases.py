"""Local knowledge without editing the package: place and indicator aliases from a JSON file
(`mchnlp.load(aliases=...)`, `--aliases`), validated, and kept in a saved pipeline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mchnlp
from mchnlp.cli import main
from mchnlp.components.local_aliases import COMPONENT, pipeline_aliases
from mchnlp.components.rulers import RULER_OF_LABEL
from mchnlp.knowledge.local_aliases import AliasFileError, parse_aliases, read_aliases

ALIASES = {
    "places": [{"alias": "Bumi Flobamora", "code": "53", "note": "julukan Provinsi NTT"},
               {"alias": "Kota Karang", "code": "53.71"}],
    "indicators": [{"alias": "angka kematian bunda", "code": "maternal_mortality"}],
}
TEXT = ("Angka kematian bunda di Kota Karang mencapai 14 kasus pada 2021, sedangkan di "
        "Bumi Flobamora 150 kasus pada 2022.")
EXPECTED = [("maternal_mortality", 14.0, "53.71", 2021), ("maternal_mortality", 150.0, "53", 2022)]
DATA = Path(__file__).parent / "data" / "corpus"


def _facts(facts) -> list[tuple]:
    return [(f.indicator, f.value, f.location_code, f.year) for f in facts]


@pytest.fixture(scope="module")
def alias_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("aliases") / "aliases.json"
    path.write_text(json.dumps(ALIASES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def alias_nlp(alias_file):
    return mchnlp.load(aliases=alias_file)


def test_without_aliases_nothing_is_found(nlp):
    assert mchnlp.extract(TEXT, nlp=nlp) == []


def test_aliases_add_indicators_and_places(alias_nlp):
    assert _facts(mchnlp.extract(TEXT, nlp=alias_nlp)) == EXPECTED
    doc = alias_nlp(TEXT)
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Angka kematian bunda", "INDICATOR", "maternal_mortality") in ents
    assert ("Kota Karang", "LOCATION", "area") in ents
    # upper case, as in headlines, too
    assert _facts(mchnlp.extract(TEXT.replace("Kota Karang", "KOTA KARANG"),
                                 nlp=alias_nlp))[0] == EXPECTED[0]


def test_aliases_go_to_the_named_rulers(alias_nlp, nlp):
    for label, count in (("INDICATOR", 2), ("LOCATION", 4)):
        ruler = RULER_OF_LABEL[label]
        added = len(alias_nlp.get_pipe(ruler).patterns) - len(nlp.get_pipe(ruler).patterns)
        assert added == count  # the alias and its -nya form; as written (= title), capitals
    assert alias_nlp.pipe_names[-1] == COMPONENT


def test_saved_pipeline_keeps_the_aliases(alias_nlp, alias_file, tmp_path):
    from mchnlp.pipeline import save_pipeline

    save_pipeline(alias_nlp, tmp_path / "model")
    assert json.loads((tmp_path / "model" / COMPONENT / "aliases.json").read_text()) == ALIASES
    # a fresh interpreter with only spaCy: the entry points find the component
    code = ("import json, spacy, sys\n"
            f"nlp = spacy.load({str(tmp_path / 'model')!r})\n"
            f"doc = nlp({TEXT!r})\n"
            "print(json.dumps([(f.indicator, f.value, f.location_code, f.year)"
            " for f in doc._.facts]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert [tuple(f) for f in json.loads(out.stdout)] == EXPECTED
    # loading it again with the same file adds nothing twice
    again = mchnlp.load(tmp_path / "model", aliases=alias_file)
    assert len(again.get_pipe(RULER_OF_LABEL["INDICATOR"]).patterns) == len(
        alias_nlp.get_pipe(RULER_OF_LABEL["INDICATOR"]).patterns)
    assert pipeline_aliases(again) == pipeline_aliases(alias_nlp)


@pytest.mark.parametrize("data, message", [
    ([], "the top level must be an object"),
    ({"place": []}, "unknown key 'place'"),
    ({"places": {"alias": "x"}}, "places: must be a list"),
    ({"places": ["Kota Karang"]}, r"places\[0\]: must be an object"),
    ({"places": [{"alias": "", "code": "53"}]}, r"places\[0\]: field 'alias' must be"),
    ({"places": [{"alias": "A", "code": "53"}, {"alias": "B", "code": "99.99"}]},
     r"places\[1\]: alias 'B': code '99.99' is not a Kemendagri code"),
    ({"indicators": [{"alias": "akb", "code": "baby_deaths"}]},
     r"indicators\[0\]: alias 'akb': code 'baby_deaths' is not an indicator code \(known: "),
    ({"indicators": [{"alias": "x", "code": "stunting", "kode": 1}]},
     r"indicators\[0\]: unknown field 'kode'"),
    ({"places": [{"alias": "Kota Karang", "code": "53.71"},
                 {"alias": "kota karang", "code": "53.01"}]},
     r"places\[1\]: alias 'kota karang' is already given code '53.71'"),
])
def test_bad_alias_data_names_the_entry(data, message):
    with pytest.raises(AliasFileError, match=r"^my\.json: " + message):
        parse_aliases(data, "my.json")


def test_bad_alias_files(tmp_path):
    with pytest.raises(AliasFileError, match="no such alias file"):
        read_aliases(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"places": [', encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"broken\.json: not valid JSON .* line 1"):
        mchnlp.load(aliases=broken)


def test_aliases_on_the_command_line(alias_file, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main(["extract", str(article), "--format", "jsonl", "--aliases", str(alias_file)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["indicator"], r["value"], r["location_code"], r["year"]) for r in rows] == EXPECTED
    assert main(["show", str(article), "-o", str(tmp_path / "v.html"),
                 "--aliases", str(alias_file)]) == 0
    assert "Kota Karang" in (tmp_path / "v.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"places": [{"alias": "X", "code": "00"}]}), encoding="utf-8")
    assert main(["extract", str(article), "--aliases", str(bad)]) == 2
    assert f"error: {bad}: places[0]: alias 'X': code '00'" in capsys.readouterr().err


def test_train_saves_the_aliases(alias_file, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "mini_corpus.jsonl", corpus / "mch_corpus.jsonl")
    shutil.copy(DATA / "splits.json", corpus / "splits.json")
    out = tmp_path / "model"
    assert main(["train", "--corpus", str(corpus), "--output", str(out), "--epochs", "1",
                 "--aliases", str(alias_file)]) == 0
    capsys.readouterr()
    assert json.loads((out / COMPONENT / "aliases.json").read_text()) == ALIASES
    retrained = mchnlp.load(out)
    assert {(e.text, e.label_) for e in retrained(TEXT).ents} >= {
        ("Angka kematian bunda", "INDICATOR"), ("Kota Karang", "LOCATION"),
        ("Bumi Flobamora", "LOCATION")}
    report = tmp_path / "report"
    assert main(["evaluate", "--model", str(out), "--corpus", str(corpus / "mch_corpus.jsonl"),
                 "--split", "test", "--report", str(report), "--bootstrap", "20",
                 "--aliases", str(alias_file)]) == 0
    assert "--aliases" in (report / "report.md").read_text(encoding="utf-8")


def test_the_documented_examples_are_valid():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Local aliases", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    assert parse_aliases(json.loads(block), "README").places
    example = read_aliases(root / "docs" / "aliases.example.json")
    pairs = [(e["alias"], e["code"]) for e in example.places + example.indicators]
    assert sorted(pairs) == sorted((e["alias"], e["code"])
                                   for e in ALIASES["places"] + ALIASES["indicators"])
