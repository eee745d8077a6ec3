"""training/probe_eval.py: per-article counts on a probe file, a paired comparison, and a clear
error for a broken line."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def probe_eval():
    spec = importlib.util.spec_from_file_location("probe_eval", ROOT / "training" / "probe_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ARTICLE = {"id": "a1", "published": "2024-03-01",
           "text": "Pada 2023 kematian ibu di Kabupaten Sikka tercatat 17 kasus.",
           "facts": [{"indicator": "maternal_mortality", "value": 17.0, "unit": "count",
                      "location": "Kabupaten Sikka", "year": 2023, "kind": "observed"},
                     {"indicator": "infant_mortality", "value": 5.0, "unit": "count",
                      "location": "Kabupaten Sikka", "year": 2023, "kind": "observed"}]}


def test_counts_per_article_and_a_paired_comparison(probe_eval, tmp_path, capsys):
    probes = tmp_path / "probes.jsonl"
    probes.write_text(json.dumps(ARTICLE) + "\n")
    run = tmp_path / "run.json"
    probe_eval.main([str(probes), "--out", str(run)])
    counts = json.loads(run.read_text())
    assert counts["strict"]["a1"] == [1, 0, 1] and counts["core"]["a1"] == [1, 0, 1]
    probe_eval.main([str(probes), "--against", str(run)])
    assert "difference +0.000" in capsys.readouterr().out


def test_a_broken_line_names_its_file_and_line(probe_eval, tmp_path):
    probes = tmp_path / "probes.jsonl"
    probes.write_text(json.dumps(ARTICLE) + "\n{not json\n")
    with pytest.raises(SystemExit, match=r"probes.jsonl:2: not JSON"):
        probe_eval.main([str(probes)])
