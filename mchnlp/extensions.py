"""Every custom attribute mchnlp sets on spaCy objects, declared in one table.

Registration is idempotent and refuses to overwrite an attribute of the same name that
another library registered (no `force=True`).
"""

from __future__ import annotations

from typing import Any, Callable

from spacy.tokens import Doc, Span, Token

from .numbers import is_number_token


def _facts_getter(doc: Doc) -> list:
    from .facts import doc_facts

    return doc_facts(doc)


def _is_num(token: Token) -> bool:
    return is_number_token(token.text)


# (object, name, kind, value): kind is "default" or "getter"
EXTENSIONS: tuple[tuple[type, str, str, Any], ...] = (
    # store: (value.start, target.start) -> {label: score}; labels indicator/location/date/unit
    (Doc, "rel", "default", None),
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
            ours = existing[2] is value if kind == "getter" else existing[0] is value
            if not ours:
                raise RuntimeError(
                    f"{obj.__name__}._.{name} is already registered by another package; "
                    "mchnlp needs this attribute name"
                )
        elif kind == "getter":
            obj.set_extension(name, getter=value)
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
