"""spaCy's EntityRuler, keeping its phrase patterns as text instead of as Docs, and writing
its matches in linear time.

The EntityRuler keeps every phrase pattern as a Doc, only to give its text back in
`patterns` (and so in `to_disk`). A Doc takes about 5 KB whatever its length: the shipped
pipeline's 18,000 place, date and indicator phrases held about 100 MB of a process's memory.
This subclass matches with the same Matcher and PhraseMatcher, fed the same patterns in the
same order, and keeps each phrase's text; it adds patterns in slices so that no more than
`SLICE` pattern Docs exist at once.

`EntityRuler.add_patterns` runs the components before the ruler over each phrase pattern, so
that patterns can match on their annotations; when the ruler matches on ORTH or LOWER (as the
shipped rulers do) the tokens alone decide, and this class leaves those components out: at
load time the place/date ruler no longer runs the indicator ruler over 16,000 phrases.
Nor does it tokenize a phrase whose words the tokenizer would keep whole (a special case that
gives the word back, or no prefix, suffix or infix): its key for the PhraseMatcher is read
from its words, which leaves a Doc to be made for under 1% of the shipped phrases.

Its Matcher runs each token pattern with the text predicates (`{"LOWER": {"IN": [...]}}`,
`{"TEXT": {"REGEX": ...}}`) answered by lexeme flags (`lexeme_flags`): the same matches
without a Python call per token and predicate. `token_patterns`, `patterns` and `to_disk`
keep the patterns as written. A Doc of another Vocab (the ruler sourced into another
pipeline) first gets the ruler's flags (`share_flags`); where that Vocab uses a bit for
something else, the ruler matches with the written patterns.

`EntityRuler.set_annotations` compares each accepted match with every entity already in the
Doc: on a long text (the place/date ruler runs after the indicator ruler) the time grows with
the square of the length. `set_annotations` here gives the same entities from a map of which
entity covers each token.

`mchnlp.load` uses this class in place of `entity_ruler` (`pipeline.LEAN_FACTORIES`);
the pipeline directory is not changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import ENT_TYPE, ORTH
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher
from spacy.pipeline import EntityRuler
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span

from .lexeme_flags import LexemePredicate, flag_pattern, share_flags

SLICE = 1000
# phrase-matcher attributes that the tokenizer alone sets
TOKEN_ONLY_ATTRS = (None, "ORTH", "TEXT", "LOWER")


class PhraseText:
    """What the ruler keeps of a phrase pattern: its text (all that `patterns` reads)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"PhraseText({self.text!r})"


def _is_one_token(tokenizer, word: str) -> bool:
    """Whether the tokenizer keeps `word` (no space in it) whole: a special case that gives
    the word back as one token, or no special case, prefix, suffix or infix at all."""
    special = tokenizer.rules.get(word)
    if special is not None:
        return len(special) == 1 and special[0].get(ORTH) == word
    return not (tokenizer.prefix_search and tokenizer.prefix_search(word)
                or tokenizer.suffix_search and tokenizer.suffix_search(word)
                or tokenizer.infix_finditer and next(tokenizer.infix_finditer(word), None))


class CompactEntityRuler(EntityRuler):
    """An `EntityRuler` whose phrase patterns are stored as `PhraseText`."""

    def add_patterns(self, patterns: Iterable[dict]) -> None:  # type: ignore[override]
        """Add token and phrase patterns, as `EntityRuler.add_patterns` does.

        Args:
            patterns: dicts with "label", "pattern" (a str or a list of token dicts) and
                optionally "id"; each matcher receives them in the given order.
        """
        patterns = list(patterns)
        whole_words: dict[str, bool] = {}  # word -> kept whole by the tokenizer: few distinct
        with self.nlp.select_pipes(disable=self._components_before()):
            for start in range(0, len(patterns), SLICE):
                self._add_slice(patterns[start : start + SLICE], whole_words)

    def _components_before(self) -> list[str]:
        """The enabled components before this one, when phrase patterns need only tokens."""
        attr = self.phrase_matcher_attr
        if not (attr is None or isinstance(attr, str) and attr.upper() in TOKEN_ONLY_ATTRS):
            return []
        names = [name for name, component in self.nlp.pipeline]
        position = next((i for i, (_, c) in enumerate(self.nlp.pipeline) if c is self), None)
        return names[:position] if position is not None else []

    def _add_slice(self, patterns: list[dict], whole_words: dict[str, bool]) -> None:
        phrases = [p for p in patterns if not isinstance(p["pattern"], list)]
        keywords = [self._plain_keyword(p["pattern"], whole_words) for p in phrases]
        super().add_patterns([p for p, keyword in zip(phrases, keywords) if keyword is None])
        for entry, keyword in zip(phrases, keywords):
            if keyword is not None:
                self._add_phrase_keyword(entry, keyword)
        for entry in patterns:
            if isinstance(entry["pattern"], list):
                self._add_token_pattern(entry)
        for phrases in self.phrase_patterns.values():
            # the Docs of this slice are the ones at the end of each list
            for i in range(len(phrases) - 1, -1, -1):
                if not isinstance(phrases[i], Doc):
                    break
                phrases[i] = PhraseText(phrases[i].text)

    def _plain_keyword(self, text: str, whole_words: dict[str, bool]) -> tuple[int, ...] | None:
        """The phrase matcher's key of a phrase whose words, between single spaces, the
        tokenizer keeps whole, read without the tokenizer (a Doc per phrase was most of the
        load time); None for any other phrase, which the tokenizer reads."""
        attr = self.phrase_matcher_attr
        if not (attr is None or isinstance(attr, str) and attr.upper() in TOKEN_ONLY_ATTRS):
            return None
        words = text.split(" ")
        tokenizer = self.nlp.tokenizer
        if len(text.split()) != len(words):
            return None
        for word in words:
            if word not in whole_words:
                whole_words[word] = _is_one_token(tokenizer, word)
            if not whole_words[word]:
                return None
        lower = isinstance(attr, str) and attr.upper() == "LOWER"
        strings = self.nlp.vocab.strings
        return tuple(strings.add(word.lower() if lower else word) for word in words)

    def _add_phrase_keyword(self, entry: dict, keyword: tuple[int, ...]) -> None:
        """What `EntityRuler.add_patterns` does with a phrase pattern, given its key."""
        label = entry["label"]
        if entry.get("id"):
            label = self._create_label(entry["label"], entry["id"])
            self._ent_ids[self.matcher._normalize_key(label)] = (entry["label"], entry["id"])
        self.phrase_patterns[label].append(PhraseText(entry["pattern"]))
        self.phrase_matcher.add(label, [keyword])

    def _add_token_pattern(self, entry: dict) -> None:
        """What `EntityRuler.add_patterns` does with a token pattern, its Matcher receiving
        the flagged copy (validated as written when the ruler validates)."""
        label = entry["label"]
        if "id" in entry:
            label = self._create_label(entry["label"], entry["id"])
            self._ent_ids[self.matcher._normalize_key(label)] = (entry["label"], entry["id"])
        pattern = entry["pattern"]
        if self._validate:
            errors = validate_token_pattern(pattern)
            if errors:
                raise MatchPatternError(label, {0: errors})
        self.token_patterns[label].append(pattern)
        self.matcher.validate = False
        self.matcher.add(label, [flag_pattern(self.nlp.vocab, pattern, self._flags)])

    @property
    def _flags(self) -> dict[int, LexemePredicate]:
        """bit -> predicate of the flags the Matcher's patterns read."""
        if "_flag_predicates" not in self.__dict__:
            self._flag_predicates: dict[int, LexemePredicate] = {}
            self._flagged_vocabs: list = [self.nlp.vocab]
        return self._flag_predicates

    def match(self, doc: Doc):
        """`EntityRuler.match`, with the written token patterns for a Doc whose Vocab cannot
        hold the ruler's flags."""
        vocab = doc.vocab
        if not self._flags or any(v is vocab for v in self._flagged_vocabs):
            return super().match(doc)
        if share_flags(vocab, self._flags):
            self._flagged_vocabs.append(vocab)
            return super().match(doc)
        flagged, self.matcher = self.matcher, self._written_matcher()
        try:
            return super().match(doc)
        finally:
            self.matcher = flagged

    def _written_matcher(self) -> Matcher:
        matcher = Matcher(self.nlp.vocab, validate=False)
        for label, patterns in self.token_patterns.items():
            matcher.add(label, patterns)
        return matcher

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        """Write the matches (longest first, as `match` sorts them) as entities, exactly as
        `EntityRuler.set_annotations` does: a match on a token that already has an entity is
        skipped unless `overwrite_ents`; a match that starts or ends on a token taken by an
        earlier match is skipped; the entities a kept match overlaps are dropped."""
        entities = list(doc.ents)
        owner: dict[int, int] = {}  # token -> position in entities of the entity covering it
        for position, entity in enumerate(entities):
            for i in range(entity.start, entity.end):
                owner[i] = position
        # a list, not the array: `any` over a match's few tokens costs less than a NumPy slice
        has_entity = doc.to_array(ENT_TYPE).tolist() if len(doc) else None
        dropped: set[int] = set()
        new_entities = []
        seen_tokens: set[int] = set()
        for match_id, start, end in matches:
            if not self.overwrite and has_entity is not None and any(has_entity[start:end]):
                continue
            if start in seen_tokens or end - 1 in seen_tokens:
                continue
            if match_id in self._ent_ids:
                label, ent_id = self._ent_ids[match_id]
                new_entities.append(Span(doc, start, end, label=label, span_id=ent_id))
            else:
                new_entities.append(Span(doc, start, end, label=match_id))
            dropped.update(owner[i] for i in range(start, end) if i in owner)
            seen_tokens.update(range(start, end))
        kept = [entity for position, entity in enumerate(entities) if position not in dropped]
        doc.ents = kept + new_entities
