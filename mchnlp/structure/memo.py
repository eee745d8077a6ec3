"""Per-document readings computed once inside a block that leaves the document's tokens,
entities and sentence boundaries as they are.

The trained linker runs the rule linker (its picks are a feature), the pair generator and
its own link step over one Doc, and each asked the structure readers and `doc.ents` again
(`doc.ents` builds a Span per entity on every access: a dozen times per document). Inside
`remembered(doc)` a function decorated with `per_doc` computes its answer for that Doc once;
outside such a block it computes it on every call, as before, so a component that changes
the entities (the value rules) never reads a stale answer. The answers are shared: callers
must not change them. Nothing is stored on the Doc (`doc.user_data` is serialized with it
and cannot hold Spans).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

from spacy.tokens import Doc, Span

from .layout import Sentences

T = TypeVar("T")
# id(doc) -> {function: answer}, only for the Docs inside a `remembered` block (a Doc is
# alive while its block runs, so its id names it)
_ANSWERS: dict[int, dict[Callable, object]] = {}


@contextmanager
def remembered(doc: Doc) -> Iterator[None]:
    """Within the block, `per_doc` functions compute their answer for `doc` once. Nested
    blocks share the outer block's answers."""
    key = id(doc)
    if key in _ANSWERS:
        yield
        return
    _ANSWERS[key] = {}
    try:
        yield
    finally:
        del _ANSWERS[key]


def per_doc(function: Callable[[Doc], T]) -> Callable[[Doc], T]:
    """`function(doc)`, remembered inside a `remembered(doc)` block."""

    @wraps(function)
    def answer(doc: Doc) -> T:
        answers = _ANSWERS.get(id(doc))
        if answers is None:
            return function(doc)
        if function not in answers:
            answers[function] = function(doc)
        return answers[function]  # type: ignore[return-value]

    return answer


@per_doc
def entities(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, built once inside a `remembered` block."""
    return tuple(doc.ents)


@per_doc
def sentences(doc: Doc) -> Sentences:
    """`Sentences(doc)`, built once inside a `remembered` block."""
    return Sentences(doc)
