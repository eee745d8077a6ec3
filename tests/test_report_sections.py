"""The report's learning-curve section: one row per trained pipeline and training size, and the
rule baseline, from the JSON of training/learning_curve.py."""

from __future__ import annotations

from mchnlp.evaluation.report.blocks import Table
from mchnlp.evaluation.report.extra_sections import learning_curve_section
from mchnlp.evaluation.report.render import render_markdown


def _scores(ner: float, strict: float, core: float) -> dict:
    return {"ner_micro_f": ner, "fact_strict_f": strict, "fact_core_f": core}


CURVE = {
    "systems": ["rules+trained_linker", "ner+trained_linker"],
    "rules": {"dev": _scores(0.876, 0.673, 0.806), "test": _scores(0.875, 0.53, 0.772)},
    "points": [
        {"fraction": f, "seed": 0, "train_documents": n,
         "systems": {"rules+trained_linker": {"dev": _scores(0.876, 0.7 + f / 10, 0.85),
                                              "test": _scores(0.875, 0.58, 0.79)},
                     "ner+trained_linker": {"dev": _scores(0.8 + f / 20, 0.6, 0.7),
                                            "test": _scores(0.9, 0.5, 0.74)}}}
        for f, n in ((0.5, 56), (1.0, 112))],
    "command": "python training/learning_curve.py --json x.json",
}


def test_learning_curve_section_has_a_row_per_pipeline_and_size():
    section = learning_curve_section(CURVE, figures=False)
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert [row[:2] for row in table.rows] == [
        ["rules+trained_linker", 56], ["ner+trained_linker", 56],
        ["rules+trained_linker", 112], ["ner+trained_linker", 112], ["rules", ""]]
    ner_full = table.rows[3]
    assert ner_full[3:6] == ["0.850", "0.600", "0.700"]
    text = render_markdown("t", [section])
    assert "python training/learning_curve.py --json x.json" in text


def test_no_curve_no_section():
    assert learning_curve_section(None, figures=True) is None
    assert learning_curve_section({"points": []}, figures=True) is None
