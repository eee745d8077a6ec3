"""Token-pattern predicates on a token's own text, answered by lexeme flags.

spaCy's Matcher evaluates `{"LOWER": {"IN": [...]}}` and `{"TEXT": {"REGEX": ...}}` with a
Python call per token and predicate: the place/date ruler's 28 date and level-word patterns
spent most of their time there. Both depend only on the token's text, i.e. on its lexeme,
and a lexeme carries up to 63 boolean flags that the Matcher checks in compiled code. So
`flag_pattern` gives the same pattern with each such predicate replaced by a flag computed
once per lexeme (`Vocab.add_flag`); the pattern as written stays the rule (it is what the
ruler keeps and saves), the flagged copy is only what its Matcher runs. A predicate no flag
can hold (another attribute or operator, or no free flag left) is kept as written.

A flag lives in a Vocab, and a Doc's tokens read the flags of the Doc's vocab, which is not
the ruler's when a pipeline sources the ruler from another one. So each predicate has one
bit in the whole process (`_BIT_OF`), and `share_flags` gives a Vocab the predicates of a
ruler's flags on those bits before it matches a Doc of that Vocab.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import FLAG19, LOWER
from spacy.vocab import Vocab

# the text attributes a lexeme fixes: the token's text and its lower-case form
TEXT_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER"}
OPERATORS = ("IN", "REGEX")
LAST_FLAG = 63
# predicate -> its bit, the same in every Vocab of the process
_BIT_OF: dict["LexemePredicate", int] = {}


class LexemePredicate:
    """`attr` `operator` `value` of one token (`LOWER IN [...]`, `TEXT REGEX ...`) as a
    function of the token's text: the getter of a lexeme flag. Equal predicates compare
    equal, so that one flag serves every pattern that uses the predicate."""

    def __init__(self, attr: str, operator: str, value, lower: Callable[[str], str]) -> None:
        self.attr = attr
        self.operator = operator
        self.key = (attr, operator, value if operator == "REGEX" else frozenset(value))
        self._lower = lower if attr == "LOWER" else None
        # as the Matcher: set membership of the attribute's string, `re.search` on it
        self._test = (re.compile(value).search if operator == "REGEX"
                      else frozenset(value).__contains__)

    def __call__(self, text: str) -> bool:
        return bool(self._test(self._lower(text) if self._lower is not None else text))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LexemePredicate) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"LexemePredicate{self.key!r}"


def _predicate(vocab: Vocab, attr: object, value: object) -> LexemePredicate | None:
    """The predicate of a spec entry when a lexeme flag can hold it, else None."""
    if not isinstance(attr, str) or attr.upper() not in TEXT_ATTRS:
        return None
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (operator, operand), = value.items()
    if operator not in OPERATORS:
        return None
    if operator == "IN" and not (isinstance(operand, list)
                                 and all(isinstance(v, str) for v in operand)):
        return None
    if operator == "REGEX" and not isinstance(operand, str):
        return None
    attr = TEXT_ATTRS[attr.upper()]
    lower = vocab.lex_attr_getters.get(LOWER)
    if attr == "LOWER" and lower is None:
        return None  # no getter: the lexemes' lower forms are not the text's
    return LexemePredicate(attr, operator, operand, lower)


def _bit(predicate: LexemePredicate) -> int | None:
    """The process-wide bit of `predicate` (highest free first, above spaCy's own flags);
    None when every bit is taken."""
    if predicate not in _BIT_OF:
        taken = set(_BIT_OF.values())
        free = [b for b in range(LAST_FLAG, FLAG19 - 1, -1) if b not in taken]
        if not free:
            return None
        _BIT_OF[predicate] = free[0]
    return _BIT_OF[predicate]


def _has_flag(vocab: Vocab, flag_id: int, predicate: LexemePredicate) -> bool:
    """Whether `vocab` answers `predicate` on bit `flag_id`, adding the flag when the bit is
    free there (False when the Vocab uses the bit for something else)."""
    getter = vocab.lex_attr_getters.get(flag_id)
    if getter is None:
        vocab.add_flag(predicate, flag_id)
        return True
    return getter == predicate


def share_flags(vocab: Vocab, flags: dict[int, LexemePredicate]) -> bool:
    """Give `vocab` the flags (bit -> predicate) a flagged pattern reads; False when one of
    the bits holds another flag there (the written patterns must then be used)."""
    return all(_has_flag(vocab, flag_id, predicate) for flag_id, predicate in flags.items())


def flag_pattern(vocab: Vocab, pattern: list[dict],
                 used: dict[int, LexemePredicate] | None = None) -> list[dict]:
    """`pattern` with every text predicate a lexeme flag of `vocab` can answer replaced by
    that flag (`{flag_id: True}`); the Matcher gives the same matches for both. The flags
    used are added to `used` (bit -> predicate). The result is for a Matcher built with
    `validate=False` (flag ids are no attribute names)."""
    out = []
    for spec in pattern:
        flagged: dict = {}
        for attr, value in spec.items():
            predicate = _predicate(vocab, attr, value)
            flag_id = _bit(predicate) if predicate is not None else None
            if flag_id is None or not _has_flag(vocab, flag_id, predicate):
                flagged[attr] = value
                continue
            flagged[flag_id] = True
            if used is not None:
                used[flag_id] = predicate
        out.append(flagged)
    return out
