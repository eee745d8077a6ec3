"""Stanza as the syntax layer: tokenize, mwt, pos, lemma and depparse, aligned to our tokens.

spacy-stanza replaces the tokenizer and pins stanza < 1.7; the NER rules, the value parser
and the linker are written against mchnlp's tokenizer, so this adapter keeps the pipeline's
tokens and sentence boundaries and copies Stanza's analysis onto them:

- each Stanza word is mapped to the spaCy token holding its first character;
- a token that holds several words ("bukunya" = buku + nya, or Stanza splitting a token we
  keep whole) takes POS, lemma, features and head from its word nearest the root, so that
  heads can only climb and the result stays a tree;
- the sentences stay the pipeline's: arcs that would cross a boundary are cut, and extra
  roots inside one sentence hang on its main root as `parataxis`;
- tokens Stanza has no word for (whitespace) hang on their neighbour with `dep`.

Use it through `mchnlp.load(syntax="stanza", stanza_dir=...)`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc

# file names `training/stanza/train_stanza.py` writes; `mwt.pt` is optional
FLAT_MODELS = {"tokenize": "tokenizer.pt", "mwt": "mwt.pt", "pos": "pos.pt",
               "lemma": "lemma.pt", "depparse": "depparse.pt"}
NO_WORD_DEP = "dep"


class StanzaNotAvailable(ImportError):
    """The `stanza` package (the `mchnlp[stanza]` extra) is not installed."""


def stanza_pipeline(model_dir: str | os.PathLike, *, use_gpu: bool = False,
                    partial: bool = False):
    """A Stanza pipeline from `model_dir`: either a `stanza_resources` directory (with
    `resources.json`, as `stanza.download("id", dir=...)` writes it) or a directory of the
    flat model files that `training/stanza/train_stanza.py` trains. `partial=True` loads
    whichever of the flat models exist (tokenize at least), for scoring what was trained."""
    try:
        import stanza
    except ImportError as err:
        raise StanzaNotAvailable(
            "syntax='stanza' needs the stanza package: pip install 'mchnlp[stanza]' "
            "(with torch==2.13.0+cpu)") from err
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(f"Stanza model directory {model_dir} does not exist")
    common = {"lang": "id", "download_method": None, "use_gpu": use_gpu, "logging_level": "WARN"}
    if (model_dir / "resources.json").exists():
        return stanza.Pipeline(dir=str(model_dir),
                               processors="tokenize,mwt,pos,lemma,depparse", **common)
    required = ("tokenize",) if partial else tuple(p for p in FLAT_MODELS if p != "mwt")
    missing = [FLAT_MODELS[p] for p in required if not (model_dir / FLAT_MODELS[p]).exists()]
    if missing:
        raise FileNotFoundError(
            f"{model_dir} has neither resources.json nor the model files {', '.join(missing)}")
    processors = [p for p in FLAT_MODELS if (model_dir / FLAT_MODELS[p]).exists()]
    if "pos" not in processors:  # lemma and depparse read the tags
        processors = [p for p in processors if p in ("tokenize", "mwt")]
    paths = {f"{p}_model_path": str(model_dir / FLAT_MODELS[p]) for p in processors}
    # Stanza insists on a resources.json even when every model path is given; an empty one
    # (with allow_unknown_language) makes it load exactly the files named here
    with tempfile.TemporaryDirectory(prefix="mchnlp-stanza-") as resources_dir:
        Path(resources_dir, "resources.json").write_text("{}", encoding="utf8")
        return stanza.Pipeline(processors=",".join(processors), dir=resources_dir,
                               allow_unknown_language=True, pos_pretrain_path=None,
                               depparse_pretrain_path=None, **paths, **common)


class StanzaSyntax:
    """Pipeline component: Stanza's POS, lemmas, features and dependencies on our tokens."""

    def __init__(self, nlp: Language, name: str, model_dir: str, batch_size: int = 32) -> None:
        self.name = name
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.stanza = stanza_pipeline(model_dir)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        import stanza

        size = batch_size or self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._process(batch, stanza)
                batch = []
        if batch:
            yield from self._process(batch, stanza)

    def _process(self, docs: list[Doc], stanza) -> list[Doc]:
        todo = [doc for doc in docs if doc.text.strip()]
        if todo:
            analysed = self.stanza.bulk_process([stanza.Document([], text=d.text) for d in todo])
            for doc, sdoc in zip(todo, analysed):
                align(doc, sdoc)
        return docs


def align(doc: Doc, sdoc) -> Doc:
    """Copy a Stanza document's analysis of `doc.text` onto `doc`'s tokens."""
    n = len(doc)
    token_at = numpy.full(len(doc.text) + 1, -1, dtype="int64")
    for token in doc:
        token_at[token.idx : token.idx + len(token.text)] = token.i
    sent_of = numpy.cumsum([1 if t.is_sent_start else 0 for t in doc])
    # per token: (depth, word) of its word nearest the root, and that word's head token
    best_depth = numpy.full(n, numpy.iinfo("int64").max, dtype="int64")
    rep_word: list = [None] * n
    rep_head: list[int | None] = [None] * n
    for sent in sdoc.sentences:
        words = sent.words
        word_token = []
        for word in words:
            start, end = word.parent.start_char, word.parent.end_char
            hits = token_at[start:end]
            hits = hits[hits >= 0]
            word_token.append(int(hits[0]) if len(hits) else -1)
        depth = _depths([w.head for w in words])
        for k, word in enumerate(words):
            i = word_token[k]
            if i < 0 or depth[k] >= best_depth[i]:
                continue
            best_depth[i] = depth[k]
            rep_word[i] = word
            rep_head[i] = word_token[word.head - 1] if word.head > 0 else i
    heads = numpy.arange(n, dtype="int64")
    deps = [""] * n
    for i in range(n):
        word = rep_word[i]
        if word is None:
            continue
        head = rep_head[i]
        if head is None or head < 0 or head == i or sent_of[head] != sent_of[i]:
            heads[i], deps[i] = i, "ROOT"
        else:
            heads[i], deps[i] = head, word.deprel or NO_WORD_DEP
    for i in range(n):
        if rep_word[i] is not None:
            continue
        anchor = _neighbour_with_word(rep_word, sent_of, i)
        heads[i], deps[i] = (anchor, NO_WORD_DEP) if anchor is not None else (i, "ROOT")
    _one_root_per_sentence(heads, deps, sent_of, rep_word)
    strings = doc.vocab.strings
    array = numpy.zeros((n, 2), dtype="uint64")
    array[:, 0] = (heads - numpy.arange(n)).astype("uint64")
    array[:, 1] = [strings.add(d) for d in deps]
    doc.from_array([HEAD, DEP], array)
    for token, word in zip(doc, rep_word):
        if word is None:
            token.pos_ = "SPACE" if token.is_space else "X"
            continue
        token.pos_ = word.upos or "X"
        token.lemma_ = word.lemma or token.text
        if word.feats:
            token.set_morph(word.feats)
    return doc


def _one_root_per_sentence(heads, deps: list[str], sent_of, rep_word: list) -> None:
    """Hang every further root of a pipeline sentence on its main root (Stanza's own root if
    it is there), so the sentences stay the pipeline's and the facts do not depend on the
    syntax backend."""
    roots: dict[int, list[int]] = {}
    for i in range(len(heads)):
        if heads[i] == i:
            roots.setdefault(int(sent_of[i]), []).append(i)
    for members in roots.values():
        if len(members) < 2:
            continue
        main = next((i for i in members
                     if rep_word[i] is not None and rep_word[i].head == 0), members[0])
        for i in members:
            if i != main:
                heads[i], deps[i] = main, "parataxis"


def _depths(heads: list[int]) -> list[int]:
    """Depth of each word in a sentence, from Stanza's 1-based heads (0 = root)."""
    depth = [-1] * len(heads)
    for k in range(len(heads)):
        path = []
        j = k
        while j >= 0 and depth[j] < 0 and len(path) <= len(heads):
            path.append(j)
            j = heads[j] - 1
        base = depth[j] if j >= 0 and depth[j] >= 0 else -1
        for step, node in enumerate(reversed(path), 1):
            depth[node] = base + step
    return depth


def _neighbour_with_word(rep_word: list, sent_of, i: int) -> int | None:
    """The nearest token in i's sentence that has a Stanza word, preferring the left."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(rep_word) and sent_of[j] == sent_of[i]:
            if rep_word[j] is not None:
                return j
            j += step
    return None


def add_stanza_syntax(nlp: Language, model_dir: str | os.PathLike) -> None:
    """Put the Stanza component after the sentence boundaries, before the entity rules."""
    after = "mch_paragraph_breaks" if "mch_paragraph_breaks" in nlp.pipe_names else None
    nlp.add_pipe("mchnlp_stanza_syntax", after=after, config={"model_dir": str(model_dir)})
