"""What keeps the loaded pipeline small: the compact entity ruler, the batch sizes of the
components with a thinc model, and an extraction path that never needs torch. (Memory and
speed are measured in benchmarks/bench.py; these tests check behaviour.)"""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Span

import mchnlp
from mchnlp.components import compact_ruler
from mchnlp.components.compact_ruler import CompactEntityRuler, PhraseText
from mchnlp.pipeline import MODEL_BATCH_DOCS, component_batch_sizes

PATTERNS = [
    {"label": "LOCATION", "pattern": "Kabupaten Kupang", "id": "area"},
    {"label": "LOCATION", "pattern": [{"LOWER": "kab"}, {"ORTH": "."}, {"IS_TITLE": True}],
     "id": "area"},
    {"label": "INDICATOR", "pattern": "kematian ibu", "id": "maternal_mortality"},
    {"label": "LOCATION", "pattern": "Kupang", "id": "area"},
    {"label": "DATE", "pattern": [{"LOWER": "tahun"}, {"SHAPE": "dddd"}], "id": "date"},
    {"label": "LOCATION", "pattern": "Nusa Tenggara Timur"},
]
TEXTS = [
    "Kematian ibu di Kabupaten Kupang tahun 2021 sebanyak 14 kasus.",
    "Di Kab. Sikka dan Kupang, Nusa Tenggara Timur, kematian ibu turun.",
    "Tidak ada nama tempat di sini.",
]


def _rulers(slice_size: int, monkeypatch) -> tuple[EntityRuler, CompactEntityRuler]:
    monkeypatch.setattr(compact_ruler, "SLICE", slice_size)
    plain, compact = spacy.blank("id"), spacy.blank("id")
    plain.add_pipe("entity_ruler").add_patterns(PATTERNS)
    compact.add_pipe("mch_entity_ruler").add_patterns(PATTERNS)
    return plain.get_pipe("entity_ruler"), compact.get_pipe("mch_entity_ruler")


def _ents(ruler, text: str) -> list[tuple]:
    doc = ruler(ruler.nlp.make_doc(text))
    return [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]


@pytest.mark.parametrize("slice_size", [1, 2, 1000])
def test_compact_ruler_finds_what_the_entity_ruler_finds(slice_size, monkeypatch):
    plain, compact = _rulers(slice_size, monkeypatch)
    for text in TEXTS:
        assert _ents(compact, text) == _ents(plain, text), text
        doc = compact.nlp.make_doc(text)
        assert compact.match(doc) == plain.match(plain.nlp.make_doc(text))
    assert compact.patterns == plain.patterns
    assert len(compact) == len(plain) == len(PATTERNS)
    assert compact.labels == plain.labels and compact.ent_ids == plain.ent_ids
    stored = [p for phrases in compact.phrase_patterns.values() for p in phrases]
    assert len(stored) == 4 and all(isinstance(p, PhraseText) for p in stored)


@pytest.mark.parametrize("overwrite", [False, True])
def test_compact_ruler_writes_entities_like_the_entity_ruler(overwrite):
    """Over entities already in the Doc (as the place/date ruler meets the indicator
    ruler's), with and without overwrite_ents, on a long text."""
    texts = TEXTS + [" ".join(TEXTS) * 30]
    results = []
    for factory in ("entity_ruler", "mch_entity_ruler"):
        nlp = spacy.blank("id")
        ruler = nlp.add_pipe(factory, config={"overwrite_ents": overwrite})
        ruler.add_patterns(PATTERNS)
        found = []
        for text in texts:
            doc = nlp.make_doc(text)
            # earlier entities: "Kupang" alone and every "ibu", as another component might
            doc.ents = [Span(doc, t.i, t.i + 1, label="EARLIER") for t in doc
                        if t.text in ("Kupang", "ibu")]
            doc = ruler(doc)
            found.append([(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents])
        results.append(found)
    assert results[0] == results[1]
    assert any(label == "EARLIER" for _, _, label, _ in results[1][0])


CALLS: list[str] = []


@Language.component("test_counting_component")
def _counting_component(doc):
    CALLS.append(doc.text)
    return doc


@pytest.mark.parametrize("attr,runs_before", [("LOWER", False), (None, False), ("NORM", True)])
def test_phrase_patterns_run_the_earlier_components_only_when_their_attr_needs_them(
        attr, runs_before):
    """Patterns on ORTH or LOWER need only tokens; on another attribute the components
    before the ruler may set it, as in spaCy's EntityRuler."""
    CALLS.clear()
    nlp = spacy.blank("id")
    nlp.add_pipe("test_counting_component")
    ruler = nlp.add_pipe("mch_entity_ruler", config={"phrase_matcher_attr": attr})
    ruler.add_patterns(PATTERNS)
    assert bool(CALLS) is runs_before
    assert nlp.pipe_names == ["test_counting_component", "mch_entity_ruler"]
    assert nlp.disabled == []


TRICKY_PHRASES = [
    {"label": "LOCATION", "pattern": "Kab. Sikka", "id": "area"},  # a tokenizer special case
    {"label": "LOCATION", "pattern": "Kota Bau-Bau", "id": "area"},  # split at the hyphen
    {"label": "LOCATION", "pattern": "Kota  Batu", "id": "area"},  # two spaces: a space token
    {"label": "LOCATION", "pattern": "Kecamatan Hu'u", "id": "area"},
    {"label": "LOCATION", "pattern": "(Kupang)", "id": "area"},  # prefix and suffix
    {"label": "DATE", "pattern": "Triwulan III 2021", "id": "date"},
]


def test_phrases_read_without_the_tokenizer_match_as_tokenized_ones():
    """A phrase whose words the tokenizer keeps whole gets its key without a Doc; the others
    still go through the tokenizer: the same matches as spaCy's EntityRuler either way."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}}
    plain, compact = spacy.blank("id", config=config), spacy.blank("id", config=config)
    plain.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"}).add_patterns(
        PATTERNS + TRICKY_PHRASES)
    ruler = compact.add_pipe("mch_entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(PATTERNS + TRICKY_PHRASES)
    text = ("Di Kab. Sikka, Kota Bau-Bau, Kota  Batu, Kecamatan Hu'u (Kupang) pada triwulan "
            "III 2021 kematian ibu di kabupaten kupang turun.")
    found = [(e.text, e.label_) for e in ruler(compact.make_doc(text)).ents]
    assert found == [(e.text, e.label_) for e in plain(text).ents]
    assert ("Kota  Batu", "LOCATION") in found and ("(Kupang)", "LOCATION") in found
    read = {p["pattern"]: ruler._plain_keyword(p["pattern"], {}) is not None
            for p in TRICKY_PHRASES}
    assert read == {"Kab. Sikka": True, "Kota Bau-Bau": False, "Kota  Batu": False,
                    "Kecamatan Hu'u": True, "(Kupang)": False, "Triwulan III 2021": True}


def test_shipped_phrases_read_without_the_tokenizer_get_the_tokenizers_keys(nlp):
    for name in ("indicator_ruler", "place_date_ruler"):
        ruler = nlp.get_pipe(name)
        attr = ruler.phrase_matcher_attr or "ORTH"
        phrases = [p["pattern"] for p in ruler.patterns if isinstance(p["pattern"], str)]
        whole_words: dict[str, bool] = {}
        keys = {text: ruler._plain_keyword(text, whole_words) for text in phrases}
        for text, key in keys.items():
            if key is not None:
                assert key == tuple(nlp.make_doc(text).to_array(attr).tolist()), text
        assert sum(key is not None for key in keys.values()) > 0.9 * len(phrases)


def test_compact_ruler_round_trips_and_removes(tmp_path, monkeypatch):
    _, compact = _rulers(2, monkeypatch)
    compact.to_disk(tmp_path / "ruler")
    fresh = spacy.blank("id").add_pipe("mch_entity_ruler")
    fresh.from_disk(tmp_path / "ruler")
    assert fresh.patterns == compact.patterns
    assert _ents(fresh, TEXTS[0]) == _ents(compact, TEXTS[0])
    assert CompactEntityRuler(spacy.blank("id"), "r").from_bytes(compact.to_bytes()).patterns \
        == compact.patterns
    compact.remove("maternal_mortality")
    assert [e[2] for e in _ents(compact, TEXTS[0])] == ["LOCATION", "DATE"]


def test_load_builds_the_rulers_compact_and_saves_a_loadable_pipeline(nlp, tmp_path):
    for name in ("indicator_ruler", "place_date_ruler"):
        ruler = nlp.get_pipe(name)
        assert isinstance(ruler, CompactEntityRuler)
        assert nlp.config["components"][name]["factory"] == "mch_entity_ruler"
        assert len(ruler) > 1000
    nlp.to_disk(tmp_path / "saved")
    text = "Kematian ibu di Kabupaten Kupang sebanyak 14 kasus pada 2021."
    again = spacy.load(tmp_path / "saved")
    assert [e.text for e in again(text).ents] == [e.text for e in nlp(text).ents]


def test_load_keeps_other_config_overrides():
    loaded = mchnlp.load(syntax="none", config={"components": {"place_date_ruler": {
        "validate": False}}})
    assert isinstance(loaded.get_pipe("place_date_ruler"), CompactEntityRuler)
    assert loaded.config["components"]["place_date_ruler"]["validate"] is False
    assert loaded.config["components"]["indicator_ruler"]["validate"] is True


def test_components_with_a_model_take_small_batches(syntax_nlp):
    sizes = component_batch_sizes(syntax_nlp, 64)
    assert set(sizes) == {"tok2vec", "morphologizer", "trainable_lemmatizer", "parser"}
    assert all(cfg == {"batch_size": MODEL_BATCH_DOCS} for cfg in sizes.values())
    assert component_batch_sizes(syntax_nlp, 2)["tok2vec"] == {"batch_size": 2}
    assert component_batch_sizes(mchnlp.load(syntax="none"), 64) == {}


BLOCK_TORCH = """
import importlib.abc, sys
class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch is not installed (blocked by the test)")
sys.meta_path.insert(0, NoTorch())
import mchnlp
for syntax in ("spacy", "none"):
    nlp = mchnlp.load(syntax=syntax)
    texts = ["Kematian ibu di Kabupaten Kupang sebanyak 14 kasus pada 2021.", "Desa Oelnasi."]
    facts = [f for fs in mchnlp.extract_many(texts, nlp=nlp) for f in fs]
    print(syntax, len(facts), facts[0].location_code, "torch" in sys.modules)
"""


def test_extraction_needs_no_torch(tmp_path):
    """The core install has no torch: load and extraction must not import it (thinc imports
    it only when it is installed)."""
    done = subprocess.run([sys.executable, "-c", BLOCK_TORCH], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["spacy 1 53.01 False", "none 1 53.01 False"]


def test_reports_still_call_the_compact_rulers_rules():
    from mchnlp.evaluation.runner import describe_pipeline

    rulers_only = mchnlp.load(syntax="none", exclude=["mch_values"])
    assert describe_pipeline(rulers_only) == "rules + trained linker"


LONG_TEXT = (
    "Angka kematian ibu di Kabupaten Kupang turun menjadi 14 kasus pada tahun 2022, "
    "sedangkan kematian bayi tercatat 56 kasus.\n"
) * 40


def test_windowed_tok2vec_gives_the_vectors_of_the_whole_document(syntax_nlp, monkeypatch):
    from mchnlp.components import windowed_tok2vec
    from mchnlp.components.windowed_tok2vec import WindowedTok2Vec, receptive_field

    tok2vec = syntax_nlp.get_pipe("tok2vec")
    assert isinstance(tok2vec, WindowedTok2Vec)
    assert syntax_nlp.config["components"]["tok2vec"]["factory"] == "mch_tok2vec"
    assert receptive_field(tok2vec.model) == 4
    docs = [syntax_nlp.make_doc(LONG_TEXT), syntax_nlp.make_doc("Stunting 21,6 persen."),
            syntax_nlp.make_doc("")]
    whole = tok2vec.model.predict(docs[:2])
    for window in (7, 50, 100_000):
        monkeypatch.setattr(windowed_tok2vec, "WINDOW", window)
        vectors = tok2vec.predict(docs)
        assert len(vectors) == 3 and vectors[2].shape[0] == 0
        for got, expected in zip(vectors, whole):
            assert got.shape == expected.shape
            assert (got == expected).all()


def test_windowed_tok2vec_runs_unknown_models_whole(syntax_nlp, monkeypatch):
    from spacy.pipeline import Tok2Vec
    from thinc.api import Model

    from mchnlp.components import windowed_tok2vec
    from mchnlp.components.windowed_tok2vec import receptive_field

    tok2vec = syntax_nlp.get_pipe("tok2vec")
    assert receptive_field(Model("some_lstm", lambda model, X, is_train: (X, None))) is None
    monkeypatch.setattr(windowed_tok2vec, "WINDOW", 7)
    monkeypatch.setattr(windowed_tok2vec, "receptive_field", lambda model: None)
    doc = syntax_nlp.make_doc(LONG_TEXT)
    calls = []
    original = Tok2Vec.predict

    def counting_predict(self, docs):
        calls.append([len(d) for d in docs])
        return original(self, docs)

    monkeypatch.setattr(Tok2Vec, "predict", counting_predict)
    tok2vec.predict([doc])
    assert calls == [[len(doc)]]
    monkeypatch.setattr(windowed_tok2vec, "receptive_field", lambda model: 2)
    calls.clear()
    tok2vec.predict([doc])
    assert len(calls) == -(-len(doc) // 7) and max(n for c in calls for n in c) == 7 + 2 * 2


def test_long_text_keeps_its_syntax_and_facts_with_windows(syntax_nlp, monkeypatch):
    from mchnlp.components import windowed_tok2vec

    expected = [f.to_dict() for f in mchnlp.extract(LONG_TEXT, nlp=syntax_nlp)]
    doc = syntax_nlp(LONG_TEXT)
    monkeypatch.setattr(windowed_tok2vec, "WINDOW", 25)
    windowed = syntax_nlp(LONG_TEXT)
    assert [t.dep_ for t in windowed] == [t.dep_ for t in doc]
    assert [t.pos_ for t in windowed] == [t.pos_ for t in doc]
    assert [f.to_dict() for f in mchnlp.extract(LONG_TEXT, nlp=syntax_nlp)] == expected
    assert len(expected) == 80
