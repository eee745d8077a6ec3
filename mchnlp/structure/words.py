"""A Doc's words and texts read from its token arrays, and phrase lists indexed by their edge
words.

Reading `t.lower_` token by token builds a Token object per token; the LOWER array gives the
same strings without them. `Span.text` builds a Token per token of the span each time it is
read; the text of the Doc read once and sliced at the tokens' offsets gives the same strings.
A phrase list is tried at many positions: indexed by its first and last word, a position
only tries the phrases that can match there."""


from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from spacy.attrs import IDX, LOWER, SPACY
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


class DocText:
    """The text of a Doc and of its token ranges, read once: `text(start, end)` is
    `doc[start:end].text`, `char_span(start, end)` its (start_char, end_char) and
    `words(start, end)` `[t.text for t in doc[start:end]]`."""

    def __init__(self, doc: Doc) -> None:
        self.doc_text = doc.text
        # one array per attribute: `tolist()` of a two-column array costs twenty times more
        self._idx = doc.to_array(IDX).tolist() if len(doc) else []
        self._space = doc.to_array(SPACY).tolist() if len(doc) else []

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens `start`..`end - 1`, without the last one's space."""
        if end <= start:
            offset = self._idx[start] if start < len(self._idx) else len(self.doc_text)
            return offset, offset
        after = self._idx[end] if end < len(self._idx) else len(self.doc_text)
        return self._idx[start], after - self._space[end - 1]

    def text(self, start: int, end: int) -> str:
        first, last = self.char_span(start, end)
        return self.doc_text[first:last]

    def words(self, start: int, end: int) -> list[str]:
        return [self.text(i, i + 1) for i in range(start, end)]
