"""Convert the UD Indonesian CoNLL-U files into spaCy DocBins for the syntax layer.

Multi-word tokens (MWT). Both treebanks split clitics off their host word: "bukunya" is the
range line ``3-4 bukunya`` over the words ``buku`` + ``nya``; likewise -lah, -kah, -pun, -mu,
and the proclitics ku-/kau-. spaCy's `id` tokenizer (and our `mchnlp.Tokenizer.v1`) keeps
"bukunya" as one token, and spaCy has no MWT expansion step, so we train on the *surface*
tokens: one token per MWT range, never the split words. For each range we keep

- UPOS, FEATS, XPOS and LEMMA of the *host* word: the first word of the range whose form is
  not a clitic ("buku" in "bukunya", "baca" in "kubaca"). The lemma of "bukunya" is thus
  "buku", which is what a lemma is wanted for downstream (matching "kasus" in "kasusnya").
- HEAD and DEPREL of the word that is attached *outside* the range: the host when the host
  attaches outside (824 of 945 ranges), otherwise the first part that does (36 ranges like
  "Menurutnya", where "Menurut" is `case` of "nya" and "nya" is the `obl`). The arc between
  host and clitic, and a second outside arc of the clitic (85 ranges, e.g. "ujarnya" whose
  "nya" is the `nsubj`), are dropped: one token has one head.
- Every arc that pointed at any word of the range now points at the range's token.

If that contraction would create a cycle, the other outside-attached part is tried; a
sentence for which no choice gives a tree keeps its tokens, tags and lemmas but no arcs
(the count is printed; 0 with the current files).

Documents. Consecutive sentences of one file are grouped into documents of ``--n-sents``
sentences (default 10, like ``spacy convert -n 10``) so that sentence splitting is learned
and evaluated on running text, not on one sentence per doc.

Line breaks (training documents only). UD text has no line breaks, but news articles are
paragraphs and headline/caption lines, and a parser that never saw a "\n\n" token neither
splits there nor copes when a line break is preset as a boundary. So in the training
documents a ``--para-prob`` share (0.3) of the sentence boundaries becomes "\n" or "\n\n"
(a whitespace token attached to the last token of the sentence, as spaCy attaches it at run
time), and before a ``--headline-prob`` share (0.3) of those the final punctuation mark is
dropped when nothing depends on it. Dev and test documents stay plain UD text.

Splits (deterministic for a given ``--seed``):

- ``train.spacy`` / ``dev.spacy``: GSD dev + CSUI train; a ``--dev-frac`` share of each
  file's documents, drawn with ``random.Random(seed)``, is the dev set.
- ``gsd_test.spacy`` and ``csui_test.spacy``: the two test splits, evaluated separately.

Usage::

    python training/syntax/convert.py --ud training/ud --output training/syntax/corpus
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

CLITICS = frozenset({"nya", "lah", "kah", "pun", "tah", "ku", "mu", "kau", "dong"})

TRAIN_FILES = ("GSD_id_gsd-ud-dev.conllu", "CSUI_id_csui-ud-train.conllu")
TEST_FILES = {
    "gsd_test": "GSD_id_gsd-ud-test.conllu",
    "csui_test": "CSUI_id_csui-ud-test.conllu",
}


@dataclass
class Word:
    """One syntactic word (a CoNLL-U line with an integer id)."""

    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    misc: str


@dataclass
class Token:
    """One surface token: a plain word, or an MWT range collapsed to its host word."""

    orth: str
    space: bool
    words: list[Word]
    host: Word
    attach: Word | None = None
    head: int = 0  # index of the head token in the sentence (self for the root)


@dataclass
class Sentence:
    sent_id: str
    text: str
    tokens: list[Token] = field(default_factory=list)
    has_arcs: bool = True


def _space_after(misc: str) -> bool:
    return "SpaceAfter=No" not in misc.split("|")


def _feats(value: str) -> str:
    return "" if value == "_" else value


def read_conllu(path: Path) -> list[Sentence]:
    """Read a CoNLL-U file into sentences of surface tokens (see the module docstring).

    Args:
        path: the CoNLL-U file.

    Returns:
        The sentences in file order; each token carries the words it covers.
    """
    sentences: list[Sentence] = []
    for block in path.read_text(encoding="utf8").strip().split("\n\n"):
        meta: dict[str, str] = {}
        words: dict[int, Word] = {}
        ranges: list[tuple[int, int, str, str]] = []
        order: list[tuple[str, int]] = []
        for line in block.splitlines():
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                meta[key.strip()] = value.strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}: malformed line {line!r}")
            if "." in cols[0]:  # empty nodes (enhanced UD): not part of the basic tree
                continue
            if "-" in cols[0]:
                start, end = (int(x) for x in cols[0].split("-"))
                ranges.append((start, end, cols[1], cols[9]))
                order.append(("range", len(ranges) - 1))
                continue
            word = Word(
                int(cols[0]),
                cols[1],
                cols[2],
                cols[3],
                cols[4],
                _feats(cols[5]),
                int(cols[6]),
                cols[7],
                cols[9],
            )
            words[word.id] = word
            order.append(("word", word.id))
        sentence = Sentence(
            meta.get("sent_id", f"{path.stem}-{len(sentences) + 1}"), meta.get("text", "")
        )
        covered: set[int] = set()
        for kind, key in order:
            if kind == "range":
                start, end, form, misc = ranges[key]
                parts = [words[i] for i in range(start, end + 1)]
                covered.update(range(start, end + 1))
                host = next((w for w in parts if w.form.lower() not in CLITICS), parts[0])
                sentence.tokens.append(Token(form, _space_after(misc), parts, host))
            elif key not in covered:
                word = words[key]
                sentence.tokens.append(Token(word.form, _space_after(word.misc), [word], word))
        _attach(sentence)
        sentences.append(sentence)
    return sentences


def _attach(sentence: Sentence) -> None:
    """Set each token's head from the arcs of its words; pick MWT attachments without cycles."""
    token_of = {w.id: i for i, tok in enumerate(sentence.tokens) for w in tok.words}
    options: list[list[Word]] = []
    for tok in sentence.tokens:
        ids = {w.id for w in tok.words}
        outside = [w for w in tok.words if w.head not in ids]
        if not outside:  # cannot happen in a well-formed tree
            outside = [tok.host]
        # the host first when it attaches outside, then the other parts in order
        outside.sort(key=lambda w: w is not tok.host)
        options.append(outside)
    choice = [0] * len(sentence.tokens)
    for _ in range(len(sentence.tokens) + 1):
        heads = []
        for i, tok in enumerate(sentence.tokens):
            tok.attach = options[i][choice[i]]
            heads.append(i if tok.attach.head == 0 else token_of[tok.attach.head])
        cyclic = _cyclic_tokens(heads)
        if not cyclic:
            for tok, head in zip(sentence.tokens, heads):
                tok.head = head
            return
        movable = [i for i in cyclic if choice[i] + 1 < len(options[i])]
        if not movable:
            break
        choice[movable[0]] += 1
    sentence.has_arcs = False
    for i, tok in enumerate(sentence.tokens):
        tok.head = i


def _cyclic_tokens(heads: list[int]) -> list[int]:
    """Return the tokens that lie on a cycle of `heads` (roots point at themselves)."""
    on_cycle: set[int] = set()
    for start in range(len(heads)):
        seen: list[int] = []
        node = start
        while heads[node] != node and node not in seen:
            seen.append(node)
            node = heads[node]
        if heads[node] != node:
            on_cycle.update(seen[seen.index(node) :])
    return sorted(on_cycle)


def to_doc(
    vocab,
    sentences: list[Sentence],
    breaks: list[str] | None = None,
    drop_final: list[bool] | None = None,
) -> Doc:
    """Build one spaCy Doc with gold annotation from consecutive sentences.

    Args:
        vocab: the vocab of the Doc.
        sentences: the sentences, in order.
        breaks: for each sentence but the last, the separator after it: " " (default), or a
            line break ("\n", "\n\n") that becomes a whitespace token attached to the last
            token of the sentence, as spaCy's tokenizer and parser treat it at run time.
        drop_final: for each sentence, drop its final punctuation mark (headline style)
            when nothing depends on it.

    Returns:
        The Doc with words, spaces, POS, morphs, lemmas, heads, deps and sentence starts.
    """
    breaks = breaks or [" "] * len(sentences)
    drop_final = drop_final or [False] * len(sentences)
    words, spaces, tags, pos, morphs, lemmas, heads, deps, starts = ([] for _ in range(9))
    for s_idx, sentence in enumerate(sentences):
        tokens = list(sentence.tokens)
        if drop_final[s_idx] and len(tokens) > 1 and tokens[-1].host.upos == "PUNCT":
            last = len(tokens) - 1
            if tokens[last].head != last and all(t.head != last for t in tokens[:-1]):
                tokens = tokens[:-1]
        offset = len(words)
        for i, tok in enumerate(tokens):
            last_in_sent = i == len(tokens) - 1
            last_in_doc = s_idx == len(sentences) - 1 and last_in_sent
            words.append(tok.orth)
            if last_in_doc:
                spaces.append(False)
            elif last_in_sent:
                spaces.append(breaks[s_idx] == " ")
            else:
                spaces.append(tok.space)
            tags.append(tok.host.xpos if tok.host.xpos != "_" else "")
            pos.append(tok.host.upos)
            morphs.append(tok.host.feats)
            lemmas.append(tok.host.lemma)
            heads.append(offset + tok.head)
            deps.append(tok.attach.deprel if sentence.has_arcs else "dep")
            starts.append(i == 0)
        if s_idx < len(sentences) - 1 and breaks[s_idx] != " ":
            words.append(breaks[s_idx])
            spaces.append(False)
            tags.append("_SP")
            pos.append("SPACE")
            morphs.append("")
            lemmas.append(breaks[s_idx])
            heads.append(len(words) - 2)
            deps.append("dep")
            starts.append(False)
    if not all(s.has_arcs for s in sentences):
        # no partial trees: the sentence boundaries alone are still gold
        return Doc(
            vocab,
            words=words,
            spaces=spaces,
            tags=tags,
            pos=pos,
            morphs=morphs,
            lemmas=lemmas,
            sent_starts=starts,
        )
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        sent_starts=starts,
    )


def to_docs(
    vocab,
    sentences: list[Sentence],
    n_sents: int,
    rng: random.Random | None = None,
    para_prob: float = 0.0,
    headline_prob: float = 0.0,
) -> list[Doc]:
    """Group consecutive sentences into documents of `n_sents` sentences.

    With `rng`, a `para_prob` share of the sentence boundaries become line breaks ("\n" or
    "\n\n", as in news articles), and a `headline_prob` share of the sentences before such
    a break lose their final punctuation (headlines, captions, "Baca juga" lines).
    """
    docs = []
    for i in range(0, len(sentences), n_sents):
        group = sentences[i : i + n_sents]
        breaks = [" "] * len(group)
        drop = [False] * len(group)
        if rng is not None:
            for j in range(len(group) - 1):
                if rng.random() < para_prob:
                    breaks[j] = rng.choice(("\n", "\n\n"))
                    drop[j] = rng.random() < headline_prob
        docs.append(to_doc(vocab, group, breaks, drop))
    return docs


def check_text(sentences: list[Sentence]) -> int:
    """Count sentences whose tokens + spaces do not reproduce their `# text` comment."""
    bad = 0
    for s in sentences:
        rebuilt = "".join(t.orth + (" " if t.space else "") for t in s.tokens).strip()
        if s.text and rebuilt != s.text.strip():
            bad += 1
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--ud", type=Path, default=root / "ud")
    parser.add_argument("--output", type=Path, default=root / "syntax" / "corpus")
    parser.add_argument("--n-sents", type=int, default=10)
    parser.add_argument("--dev-frac", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--para-prob",
        type=float,
        default=0.3,
        help="share of sentence boundaries in train docs made line breaks",
    )
    parser.add_argument(
        "--headline-prob",
        type=float,
        default=0.3,
        help="share of sentences before such a break without final punct",
    )
    args = parser.parse_args()

    nlp = spacy.blank("id")
    args.output.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    stats: dict[str, dict[str, int]] = {}
    train_docs: list[Doc] = []
    dev_docs: list[Doc] = []
    dev_ids: list[str] = []

    def note(name: str, sentences: list[Sentence], docs: list[Doc]) -> None:
        stats[name] = {
            "sentences": len(sentences),
            "tokens": sum(len(s.tokens) for s in sentences),
            "mwt": sum(len(t.words) > 1 for s in sentences for t in s.tokens),
            "no_arcs": sum(not s.has_arcs for s in sentences),
            "text_mismatch": check_text(sentences),
            "docs": len(docs),
        }

    for name in TRAIN_FILES:
        sentences = read_conllu(args.ud / name)
        docs = to_docs(nlp.vocab, sentences, args.n_sents)
        dev_idx = set(rng.sample(range(len(docs)), max(1, round(len(docs) * args.dev_frac))))
        # train docs get line-break augmentation; dev stays plain UD, like the test sets
        augmented = to_docs(
            nlp.vocab, sentences, args.n_sents, rng, args.para_prob, args.headline_prob
        )
        train_docs += [d for i, d in enumerate(augmented) if i not in dev_idx]
        dev_docs += [d for i, d in enumerate(docs) if i in dev_idx]
        n = args.n_sents
        dev_ids += [s.sent_id for i in sorted(dev_idx) for s in sentences[i * n : (i + 1) * n]]
        note(name, sentences, docs)
    DocBin(docs=train_docs, store_user_data=False).to_disk(args.output / "train.spacy")
    DocBin(docs=dev_docs, store_user_data=False).to_disk(args.output / "dev.spacy")
    stats["train"] = {
        "docs": len(train_docs),
        "sentences": sum(len(list(d.sents)) for d in train_docs),
        "tokens": sum(len(d) for d in train_docs),
    }
    stats["dev"] = {
        "docs": len(dev_docs),
        "sentences": sum(len(list(d.sents)) for d in dev_docs),
        "tokens": sum(len(d) for d in dev_docs),
    }
    for split, name in TEST_FILES.items():
        sentences = read_conllu(args.ud / name)
        docs = to_docs(nlp.vocab, sentences, args.n_sents)
        DocBin(docs=docs, store_user_data=False).to_disk(args.output / f"{split}.spacy")
        note(split, sentences, docs)
    (args.output / "stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    # the carved dev set by sentence id, so that other trainers (training/stanza) use it too
    split = {"seed": args.seed, "train_files": TRAIN_FILES, "dev_sent_ids": dev_ids}
    (args.output / "split.json").write_text(json.dumps(split, indent=1) + "\n")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
