"""spaCy's Tok2Vec, run over long documents in overlapping windows.

A Tok2Vec holds all the activations of a predict call at once, about 15 KB per token for the
shipped model (four hash embeddings, four window layers): one 100,000-character chunk of a
long report (18,000 tokens) raised the peak memory by 255 MB. Its CNN encoder sees a fixed
number of tokens on each side (window size × depth: 4 for the shipped model, the `pad` that
spaCy gives the encoder's `with_array`), and the embeddings see one token each, so a token's
vector depends on no token further away. This class cuts documents longer than `WINDOW`
tokens into windows of `WINDOW` tokens, each run with that many tokens of context on either
side, and keeps each window's middle: the vectors of the whole document, computed
`WINDOW` tokens at a time. Models whose layers are not all known to be local (a transformer,
an LSTM, anything else) run on the whole document, as in spaCy.

`mchnlp.load` uses this class in place of `tok2vec` (`pipeline.LEAN_FACTORIES`); the
pipeline directory is not changed.
"""

from __future__ import annotations

from spacy.pipeline import Tok2Vec
from spacy.tokens import Doc
from thinc.api import Model

WINDOW = 2000
# thinc layers that compute each position from that position alone, or (expand_window) from
# a fixed window that the enclosing with_array pads for
_LOCAL_LAYERS = frozenset({
    "extract_features", "list2ragged", "ragged2list", "ints-getitem", "hashembed", "maxout",
    "mish", "layernorm", "dropout", "expand_window", "static_vectors", "remap_ids",
})


def receptive_field(model: Model) -> int | None:
    """Tokens on each side that a token's vector depends on, or None when unknown.

    Known: every leaf layer is in `_LOCAL_LAYERS`; the field is then the largest `pad` of a
    `with_array` layer (spaCy's window encoders set it to window size × depth)."""
    pads = [0]
    for node in model.walk():
        if node.layers:
            if node.name.startswith("with_array("):
                pads.append(int(node.attrs.get("pad", 0)))
            continue
        if node.name not in _LOCAL_LAYERS:
            return None
    return max(pads)


class WindowedTok2Vec(Tok2Vec):
    """A `Tok2Vec` that runs documents longer than `WINDOW` tokens window by window."""

    def predict(self, docs: list[Doc]) -> list:
        """The token vectors of each Doc, as `Tok2Vec.predict` computes them."""
        docs = list(docs)
        if all(len(doc) <= WINDOW for doc in docs):
            return super().predict(docs)
        context = receptive_field(self.model)
        if context is None:
            return super().predict(docs)
        short = [doc for doc in docs if len(doc) <= WINDOW]
        vectors = dict(zip(map(id, short), super().predict(short))) if short else {}
        return [vectors[id(doc)] if len(doc) <= WINDOW else self._predict_long(doc, context)
                for doc in docs]

    def _predict_long(self, doc: Doc, context: int):
        parts = []
        for start in range(0, len(doc), WINDOW):
            end = min(len(doc), start + WINDOW)
            first, last = max(0, start - context), min(len(doc), end + context)
            window = doc[first:last].as_doc()
            parts.append(super().predict([window])[0][start - first : end - first])
        return self.model.ops.xp.concatenate(parts)
