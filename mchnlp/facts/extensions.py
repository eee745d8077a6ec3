"""Every custom attribute mchnlp sets on spaCy objects, declared in one table.

Registration is idempotent and refuses to overwrite an attribute of the same name that
another library registered (no `force=True`).
"""

from __future__ import annotations

from collections import UserDict
from typing import Any, Callable

import srsly
from spacy.tokens import Doc, Token

from ..knowledge.numbers import is_number_token

_REL_KEY = "mchnlp.rel"
_REL_MARK = "__mchnlp_rel__"


class RelationStore(UserDict):
    """`doc._.rel`: (value token start, target token start) -> {label: score}.

    A mapping, not a dict, so that msgpack hands it to the encoder below: its tuple keys would
    otherwise come back as lists, which a dict cannot take, and `Doc.to_bytes`, `DocBin` and
    `nlp.pipe(n_process=2)` would fail."""


def _encode_relations(obj: Any, chain: Callable | None = None) -> Any:
    if isinstance(obj, RelationStore):
        return {_REL_MARK: [[head, tail, labels] for (head, tail), labels in obj.items()]}
    return obj if chain is None else chain(obj)


def _decode_relations(obj: Any, chain: Callable | None = None) -> Any:
    if isinstance(obj, dict) and _REL_MARK in obj:
        return RelationStore({(head, tail): labels for head, tail, labels in obj[_REL_MARK]})
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("mchnlp_relations", func=_encode_relations)
srsly.msgpack_decoders.register("mchnlp_relations", func=_decode_relations)


def _get_rel(doc: Doc) -> RelationStore | None:
    return doc.user_data.get(_REL_KEY)


def _set_rel(doc: Doc, value) -> None:
    doc.user_data[_REL_KEY] = None if value is None else (
        value if isinstance(value, RelationStore) else RelationStore(value))


def _facts_getter(doc: Doc) -> list:
    from ..structure.memo import remembered
    from .view import doc_facts

    with remembered(doc):  # the view changes no entity: each reader answers once
        return doc_facts(doc)


def _is_num(token: Token) -> bool:
    return is_number_token(token.text)


# (object, name, kind, value): kind is "default", "getter" or "property" (getter, setter)
EXTENSIONS: tuple[tuple[type, str, str, Any], ...] = (
    # store: (value.start, target.start) -> {label: score}; labels indicator/location/date/unit
    (Doc, "rel", "property", (_get_rel, _set_rel)),
    # per value span start: {"kind": ..., "indicator": code (from a counting noun), ...}
    (Doc, "value_attrs", "default", None),
    (Doc, "published", "default", None),
    # document context carried into a chunk of a long text: {"area": str, "year": int}
    (Doc, "inherited_context", "default", None),
    (Doc, "facts", "getter", _facts_getter),
    (Token, "mch_num", "getter", _is_num),
)

_OWNED: set[tuple[type, str]] = set()


def register_extensions() -> None:
    """Register the attributes above once; raise if another package owns one of the names."""
    for obj, name, kind, value in EXTENSIONS:
        if (obj, name) in _OWNED:
            continue
        if obj.has_extension(name):
            existing = obj.get_extension(name)
            if kind == "getter":
                ours = existing[2] is value
            elif kind == "property":
                ours = existing[2] is value[0] and existing[3] is value[1]
            else:
                ours = existing[0] is value
            if not ours:
                raise RuntimeError(
                    f"{obj.__name__}._.{name} is already registered by another package; "
                    "mchnlp needs this attribute name"
                )
        elif kind == "getter":
            obj.set_extension(name, getter=value)
        elif kind == "property":
            obj.set_extension(name, getter=value[0], setter=value[1])
        else:
            obj.set_extension(name, default=value)
        _OWNED.add((obj, name))


def ensure_doc_stores(doc: Doc) -> None:
    """Give a Doc its own mutable stores (extension defaults are shared objects)."""
    if doc._.rel is None:
        doc._.rel = {}
    if doc._.value_attrs is None:
        doc._.value_attrs = {}


Getter = Callable[[Any], Any]
