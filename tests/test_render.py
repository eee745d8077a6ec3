"""`mchnlp.render` and `mchnlp show`: one self-contained HTML page per article, entities
highlighted and each fact's links drawn from its value."""

from __future__ import annotations

import re

import pytest

import mchnlp
from mchnlp.cli import main

ARTICLE = ("Kupang, Kamis, 31 Oktober 2024 - Angka kematian ibu di Kabupaten Kupang mencapai "
           "14 kasus pada 2021.\n\nPrevalensi stunting di Kabupaten Maluku Tengah tercatat "
           "950 persen pada 2022.")


def _facts_in(page: str) -> int:
    return len(re.findall(r'<div class="fact" id="fact-\d+">', page))


def test_render_a_text(nlp, tmp_path):
    out = tmp_path / "views" / "view.html"
    page = mchnlp.render(ARTICLE, nlp=nlp, output=out)
    assert out.read_text(encoding="utf-8") == page
    facts = mchnlp.extract(ARTICLE, nlp=nlp)
    assert _facts_in(page) == len(facts) == 2
    # entities highlighted by label, with the article's words
    for label in ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE"):
        assert label in page
    assert "Kabupaten Maluku Tengah" in page and "950 persen" in page
    # each fact's links drawn: one SVG per fact, an arc label per link with its score
    assert page.count("<svg") == 2
    assert re.search(r"indicator [01]\.\d\d", page) and re.search(r"location [01]\.\d\d", page)
    assert "implausible" in page  # the 950 percent warning is shown
    # self-contained: nothing fetched, no script
    assert not re.search(r"<script|<link |src=\"http|@import", page)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_render_a_doc_and_an_unlinked_fact(nlp):
    doc = nlp("Kematian bayi 23 kasus.")
    page = mchnlp.render(doc, title="Uji <tanpa> tempat")
    assert "<title>Uji &lt;tanpa&gt; tempat</title>" in page
    assert _facts_in(page) == len(doc._.facts) == 1
    assert "no location or date link" in page


def test_render_empty_and_bad_input(nlp):
    page = mchnlp.render("   ", nlp=nlp)
    assert "No facts found." in page and _facts_in(page) == 0
    with pytest.raises(TypeError):
        mchnlp.render(42, nlp=nlp)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        mchnlp.render(ARTICLE, nlp=nlp, published="31/10/2024")


def test_show_command(tmp_path, capsys):
    article = tmp_path / "artikel.txt"
    article.write_text(ARTICLE, encoding="utf-16")
    out = tmp_path / "view.html"
    assert main(["show", str(article), "-o", str(out), "--published", "2024-11-01"]) == 0
    page = out.read_text(encoding="utf-8")
    assert _facts_in(page) == 2 and "Kabupaten Kupang" in page
    assert main(["show", str(article)]) == 0
    assert _facts_in(capsys.readouterr().out) == 2
    empty = tmp_path / "kosong.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["show", str(empty), "-o", str(tmp_path / "none.html")]) == 1
    assert "empty file" in capsys.readouterr().err
    assert not (tmp_path / "none.html").exists()
