"""A Doc's words read from its token arrays, and phrase lists indexed by their edge words.

Reading `t.lower_` token by token builds a Token object per token; the LOWER array gives the
same strings without them. A phrase list is tried at many positions: indexed by its first
and last word, a position only tries the phrases that can match there."""


from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc

Phrase = tuple[str, ...]


class Phrases:
    """Phrases in the order they are tried, indexed by their first and their last word: a
    match at a position only tries the phrases that start (or end) with the word there."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = list(phrases)
        self.by_first: dict[str, list[Phrase]] = {}
        self.by_last: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            if phrase:  # an empty phrase matches nothing (length 0)
                self.by_first.setdefault(phrase[0], []).append(phrase)
                self.by_last.setdefault(phrase[-1], []).append(phrase)

    def __iter__(self):
        return iter(self.phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def longest_ending(self, words: list[str]) -> int:
        """The length of the longest phrase `words` ends with, 0 when none does."""
        if not words:
            return 0
        n = len(words)
        return max((len(p) for p in self.by_last.get(words[-1], ())
                    if len(p) <= n and tuple(words[n - len(p):]) == p), default=0)


@lru_cache(maxsize=64)
def word_hashes(words: frozenset[str]) -> frozenset[int]:
    """The string hashes of `words` (the same in every Vocab)."""
    return frozenset(hash_string(word) for word in words)


def positions_of(lower: list[int], words: frozenset[str]) -> list[int]:
    """The positions of the LOWER hashes `lower` (`doc.to_array(LOWER).tolist()`) that are
    one of `words` (lower-case): a set test per token, cheaper than `numpy.isin` on the
    arrays of a news article."""
    hashes = word_hashes(words)
    return [i for i, h in enumerate(lower) if h in hashes]


def lower_words(doc: Doc) -> list[str]:
    """`[t.lower_ for t in doc]` from the LOWER array (no Token object per token)."""
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(LOWER).tolist()]
