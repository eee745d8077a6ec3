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
    ],
)
def test_tokenizer_fixes(tok, text, tokens):
    assert [t.text for t in tok(text)] == tokens


def test_kab_does_not_end_sentence(tok):
    tok.add_pipe("sentencizer")
    doc = tok("Data Dinkes Kab. Kupang mencatat 9 kasus.")
    assert len(list(doc.sents)) == 1
