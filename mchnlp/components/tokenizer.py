"""Indonesian tokenizer with the fixes news text needs, and a fast load.

spaCy's `id` tokenizer glues "(AKI)/AKB" into one token, splits "Kab." into "Kab" + "."
(which then ends a sentence) and keeps "2021angka" (a missing space) as one token. It also
carries ~15,600 exceptions that exist only to keep reduplications ("anak-anak") whole after
its letter-hyphen-letter infix split them; loading them costs seconds. Here the infix only
splits a hyphen where a capital follows or precedes it ("Januari-Juni", "AKI-AKB"), so
lower-case reduplications stay whole without any exception.
"""

from __future__ import annotations

import re
from typing import Callable

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, HYPHENS
from spacy.lang.id.punctuation import TOKENIZER_INFIXES
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import (
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    registry,
    update_exc,
)

ABBREVIATIONS = (
    "Kab.", "Prov.", "Kec.", "Kel.", "Kep.", "Ds.", "Adm.", "Kabid.", "Kadis.", "Kadinkes.",
    "Jl.", "No.", "Dr.", "dr.", "drg.", "Sp.", "Hj.", "H.", "Ir.", "Prof.", "Ny.", "Tn.",
    "Sdr.", "Bpk.", "Kp.", "Dsn.", "Rp.", "dkk.", "dll.", "dsb.", "tsb.", "a.n.", "s.d.",
    "M.Kes.", "S.Kep.", "S.ST.", "Amd.", "SKM.", "Pj.", "Plt.",
)
# "di" glued to the next word is a frequent typo in news text ("Ditahun 2021", "dikota Serang")
GLUED_DI = ("tahun", "kabupaten", "kota", "provinsi", "kecamatan", "desa", "kelurahan", "wilayah")

# "KH." is Kyai Haji in spaCy's list, but in health statistics it is "kelahiran hidup" ending a
# sentence ("234,7 per 100 ribu KH.")
DROPPED_EXCEPTIONS = {"KH.", "Kh.", "kh."}

_LETTER_HYPHEN_LETTER = r"(?<=[{a}])(?:{h})(?=[{a}])".format(a=ALPHA, h=HYPHENS)
_ID_SLASH_HYPHEN = r"(?<=[{a}])[\/-](?=".format(a=ALPHA)
EXTRA_INFIXES = (
    r"(?<=[{l}])(?:{h})(?=[{u}])".format(l=ALPHA_LOWER, u=ALPHA_UPPER, h=HYPHENS),
    r"(?<=[{u}])(?:{h})(?=[{a}])".format(u=ALPHA_UPPER, a=ALPHA, h=HYPHENS),
    r"(?<=[0-9])(?:{h})(?=[{a}])".format(a=ALPHA, h=HYPHENS),
    r"(?<=[{a}\)])/(?=[{a}\(])".format(a=ALPHA),  # "(AKI)/AKB", "ibu/bayi"
    r"(?<=[{a}])\)(?=/)".format(a=ALPHA),  # ")" before such a slash
    r"(?<=[{a}])/(?=[0-9])".format(a=ALPHA),  # "per/1000"
    r"(?<=(?:Kab|Kec|Kel|Kep|KAB|KEC)\.)(?=[A-Z])",  # "Kab.Kudus" in tables
    r"(?<=(?:Prov|PROV)\.)(?=[A-Z])",
    r"(?<=[0-9])(?=[{l}]{{3,}})".format(l=ALPHA_LOWER),  # "2021angka": a missing space
    # lists typed without spaces: "Aceh Tenggara(48,7%),Rote Ndao(40.8%),… Buru(37,6%).Adapun"
    r"(?<=[{a}])\((?=[0-9{a}])".format(a=ALPHA),
    r"(?<=[0-9%])\)(?=[,.;:){a}])".format(a=ALPHA),
    r"(?<=[0-9])%(?=\))",  # "Tomohon(4,8%),Minahasa": the per cent sign before the bracket
    r"(?<=[A-Z]{{3}})\.(?=[A-Z]{{3}})",  # "SAMARINDA.NIAGA.ASIA"
    r"(?<=[)%])[,.;:](?=[{a}])".format(a=ALPHA),
    # a closing quote glued to the next sentence: "gizi buruk”.Foto"
    r"(?<=[{a}])[”’\"](?=[.,;:])".format(a=ALPHA),
    r"(?<=[”’\"])[.,;:](?=[{u}])".format(u=ALPHA_UPPER),
)


# "Oelamasi-InfoNTT.com,-", "SAMARINDA.NIAGA.ASIA –": a dateline glued to the site name is not one URL. A lookahead in
# front of spaCy's URL pattern (not a wrapper function), so it survives to_disk/from_disk.
_NOT_A_GLUED_DATELINE = r"(?![A-Z][a-z]+-[A-Z]|[A-Z]{3,}\.[A-Z]{3,}\.)"


def url_match_without_datelines(url_match: Callable | None) -> Callable | None:
    if url_match is None:
        return None
    pattern = url_match.__self__.pattern
    flags = re.match(r"(?:\(\?[a-zA-Z]+\))*", pattern).end()  # inline flags stay first
    return re.compile(pattern[:flags] + _NOT_A_GLUED_DATELINE + pattern[flags:]).match


EXTRA_SUFFIXES = [r"(?<=[{a}])/".format(a=ALPHA)]  # "Kabupaten/ Kota"


def infixes() -> list[str]:
    kept = [p for p in TOKENIZER_INFIXES
            if p != _LETTER_HYPHEN_LETTER and not p.startswith(_ID_SLASH_HYPHEN)]
    return kept + list(EXTRA_INFIXES)


def special_cases(defaults_exceptions: dict) -> dict:
    """spaCy's exceptions without the hyphenated reduplications and the emoticons with a
    digit ("8)", "0.0": figures in news text, "Bantul (8)"), plus ours."""
    rules = {k: v for k, v in defaults_exceptions.items()
             if "-" not in k and k not in DROPPED_EXCEPTIONS
             and not any(c.isdigit() for c in k)}
    ours = {}
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr.upper(), abbr.lower(), abbr.capitalize()}:
            ours[form] = [{ORTH: form}]
    for word in GLUED_DI:
        for di in ("di", "Di", "DI"):
            glued = di + (word.upper() if di == "DI" else word)
            ours[glued] = [{ORTH: di}, {ORTH: glued[len(di):]}]
    return update_exc(rules, ours)


# spaCy strips affixes one at a time and searches the whole rest of a space-free chunk for a
# suffix each time, so a chunk that splits into many tokens ("((((", "----") costs the
# square of its length: 4,000 dashes took 20 s. No chunk in news text (train and dev) is
# longer than 64 characters; longer ones are cut into pieces of at most this many.
CHUNK_LIMIT = 64
_LONG_CHUNK = re.compile(r"\S{%d,}" % (CHUNK_LIMIT + 1))
_NEXT_CHUNK = re.compile(r"\s*")
_CLASS_CHANGE = re.compile(r"(?<=\w)(?=\W)|(?<=\W)(?=\w)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"


def replace_lone_surrogates(text: str) -> str:
    """`text` with every surrogate code point (U+D800-U+DFFF, as `errors="surrogateescape"`
    decoding leaves them; they cannot be encoded) replaced by U+FFFD, one for one, so that
    character offsets are unchanged."""
    return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, text)


def bounded_segments(text: str, limit: int = CHUNK_LIMIT) -> list[str]:
    """`text` cut into consecutive segments (joined, they are `text`) in which no space-free
    chunk is longer than `limit`. Text without such a chunk stays one segment; a long chunk
    is cut into pieces of at most `limit`, at a change between word and non-word characters
    where there is one ("((((kematian" keeps "kematian" whole). Segments start at a chunk's
    start, so that the tokens of ordinary text around a long chunk are the ones it would get
    alone."""
    segments: list[str] = []
    start = 0
    for match in _LONG_CHUNK.finditer(text):
        if match.start() > start:
            segments.append(text[start : match.start()])
        piece_start, chunk_end = match.start(), match.end()
        while chunk_end - piece_start > limit:
            window = text[piece_start : piece_start + limit]
            changes = [m.start() for m in _CLASS_CHANGE.finditer(window, 1)]
            cut = piece_start + (changes[-1] if changes else limit)
            segments.append(text[piece_start:cut])
            piece_start = cut
        # the spaces after the chunk stay with it, as the tokenizer would attach them
        start = _NEXT_CHUNK.match(text, chunk_end).end()
        segments.append(text[piece_start:start])
    if start < len(text) or not segments:
        segments.append(text[start:])
    return segments


class BoundedTokenizer(Tokenizer):
    """spaCy's tokenizer with its cost bounded: linear in the text's length whatever the
    text holds. Lone surrogates become U+FFFD (`replace_lone_surrogates`); a space-free
    chunk longer than `CHUNK_LIMIT` is tokenized in pieces (`bounded_segments`). Offsets
    are those of the text given."""

    def __call__(self, text: str) -> Doc:
        text = replace_lone_surrogates(text)
        segments = bounded_segments(text)
        if len(segments) == 1:
            return super().__call__(text)
        docs = [super(BoundedTokenizer, self).__call__(s) for s in segments]
        return Doc.from_docs(docs, ensure_whitespace=False)


@registry.tokenizers("mchnlp.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered tokenizer factory: spaCy's `id` rules with the news-text fixes above."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return BoundedTokenizer(
            nlp.vocab,
            rules=special_cases(defaults.tokenizer_exceptions),
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(list(defaults.suffixes) + EXTRA_SUFFIXES).search,
            infix_finditer=compile_infix_regex(infixes()).finditer,
            token_match=defaults.token_match,
            url_match=url_match_without_datelines(defaults.url_match),
        )

    return make_tokenizer


__all__ = ["BoundedTokenizer", "bounded_segments", "create_tokenizer",
           "replace_lone_surrogates"]
