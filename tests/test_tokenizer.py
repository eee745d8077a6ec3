import pytest
import spacy


@pytest.fixture(scope="module")
def tok():
    import mchnlp.components.tokenizer  # noqa: F401

    return spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})


@pytest.mark.parametrize(
    "text,tokens",
    [
        ("(AKI)/AKB", ["(", "AKI", ")", "/", "AKB"]),
        ("Kab. Kupang", ["Kab.", "Kupang"]),
        ("Prov. NTT", ["Prov.", "NTT"]),
        ("2021angka kematian", ["2021", "angka", "kematian"]),
        ("Ditahun 2021", ["Di", "tahun", "2021"]),
        ("13,8 per 1.000 KH", ["13,8", "per", "1.000", "KH"]),
        ("28/3/2023", ["28", "/", "3", "/", "2023"]),
        ("SP2020", ["SP2020"]),
        ("Sabu(5,1%),Alor(6,3%).", ["Sabu", "(", "5,1", "%", ")", ",", "Alor", "(", "6,3", "%",
                                    ")", "."]),
        ("naik 20%, lalu", ["naik", "20", "%", ",", "lalu"]),
    ],
)
def test_tokenizer_fixes(tok, text, tokens):
    assert [t.text for t in tok(text)] == tokens


def test_kab_does_not_end_sentence(tok):
    tok.add_pipe("sentencizer")
    doc = tok("Data Dinkes Kab. Kupang mencatat 9 kasus.")
    assert len(list(doc.sents)) == 1


# -- the cost of a long space-free chunk is bounded ---------------------------------------------
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from spacy.tokenizer import Tokenizer  # noqa: E402

from mchnlp.components.tokenizer import CHUNK_LIMIT, bounded_segments  # noqa: E402


def tokenizer_work(segments: list[str]) -> int:
    """What spaCy's tokenizer costs on these segments: it is quadratic in the length of each
    space-free chunk it is given (it searches the rest of the chunk for every affix)."""
    return sum(len(m.group()) ** 2 for s in segments for m in re.finditer(r"\S+", s))


HOSTILE = st.lists(st.sampled_from(["(", ")", "-", "–", "#", "a", "7", " ", "\n", "Kab.",
                                    "kematian", "(" * 300, "-" * 200, ")" * 100]),
                   max_size=80).map("".join)


@settings(max_examples=200, deadline=None)
@given(HOSTILE)
def test_segments_cover_the_text_with_bounded_work(text):
    segments = bounded_segments(text)
    assert "".join(segments) == text
    assert all(len(m.group()) <= CHUNK_LIMIT for s in segments for m in re.finditer(r"\S+", s))
    assert tokenizer_work(segments) <= CHUNK_LIMIT * len(text)


@settings(max_examples=100, deadline=None)
@given(HOSTILE)
def test_tokens_keep_the_text_and_ordinary_text_is_untouched(tok, text):
    doc = tok.tokenizer(text)
    assert doc.text == text
    if len(bounded_segments(text)) == 1:  # no long chunk: spaCy's own tokens
        plain = Tokenizer.__call__(tok.tokenizer, text)
        assert [t.text for t in doc] == [t.text for t in plain]


def test_text_around_a_long_run_gets_its_usual_tokens(tok):
    before, after = "Kematian ibu (AKI)/AKB  ", "  di Kab. Kupang 2021angka."
    doc = tok.tokenizer(before + "(" * 10_000 + "kasus" + after)
    expected = [t.text for t in tok.tokenizer(before)] + ["("] * 10_000 + \
        [t.text for t in tok.tokenizer("kasus" + after)]
    assert [t.text for t in doc] == expected


def test_a_megabyte_run_of_dashes_is_tokenized_in_linear_work(tok):
    text = "-" * 1_000_000
    assert tokenizer_work(bounded_segments(text)) == (1_000_000 // CHUNK_LIMIT) * CHUNK_LIMIT**2
    assert len(tok.tokenizer(text)) == 1_000_000


def test_the_shipped_tokenizer_is_the_one_the_code_builds(tok):
    """The pipeline directories keep their tokenizer's rules: they must be today's."""
    from pathlib import Path

    import srsly

    root = Path(__file__).resolve().parents[1] / "models"
    built = srsly.msgpack_loads(tok.tokenizer.to_bytes(exclude=["vocab"]))
    for model in ("mchnlp_id", "mchnlp_id_syntax"):
        shipped = srsly.msgpack_loads((root / model / "tokenizer").read_bytes())
        assert shipped == built, model


def test_a_digit_in_brackets_is_a_figure_not_an_emoticon(tok):
    assert [t.text for t in tok("disusul Bantul (8) dan Gunungkidul (6).")] == [
        "disusul", "Bantul", "(", "8", ")", "dan", "Gunungkidul", "(", "6", ")", "."]
