"""The public entry points: `extract` and `extract_docs` over texts of any length."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .facts.fact import Fact
from .knowledge.dates import coerce_published
from .pipeline import component_batch_sizes, load_cached

CHUNK_CHARS = 100_000
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"),
           re.compile(r"\s+"))


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut a long text into pieces of at most `limit` characters at the strongest available
    boundary (paragraph, line, sentence, space; a hard cut only inside a giant token), so
    that every character is processed and no fact is cut in two."""
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = None
        for pattern in _BREAKS:
            matches = list(pattern.finditer(window, limit // 2))
            if matches:
                cut = matches[-1].end()
                break
        cut = cut or limit
        chunks.append((start, text[start : start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"mchnlp.extract expects text as str, got {type(text).__name__}")
    return text


def _context_from(doc: Doc, facts: list[Fact]) -> dict:
    """What a later chunk inherits from the first: the document's main area and year."""
    from .facts.areas import _resolve_area
    from .structure.areas import document_area

    area = document_area(doc)
    context: dict = {}
    if area is not None:
        name, code, _, _ = _resolve_area(area, [])
        context.update(area=name, area_code=code)
    return context


def process(nlp: Language, text: str, published: dt.date | str | None = None) -> list[Fact]:
    """Run `nlp` over one text of any length and return its facts."""
    text = _check_text(text)
    pub = coerce_published(published)
    if not text.strip():
        return []
    facts: list[Fact] = []
    context: dict | None = None
    for offset, chunk in split_chunks(text):
        doc = nlp.make_doc(chunk)
        doc._.published = pub.isoformat() if pub is not None else None  # msgpack-safe
        if context:
            doc._.inherited_context = context
        doc = nlp(doc)
        chunk_facts = doc._.facts
        if context is None:
            context = _context_from(doc, chunk_facts)
        for fact in chunk_facts:
            fact.start += offset
            fact.end += offset
        facts.extend(chunk_facts)
    return facts


def extract(text: str, published: dt.date | str | None = None, *,
            nlp: Language | None = None) -> list[Fact]:
    """Extract MCH facts from one Indonesian text.

    Args:
        text: the article (any length; long texts are processed in chunks, never truncated).
        published: publication date (date, "YYYY-MM-DD", "YYYY-MM", "YYYY") to resolve
            "tahun ini"/"tahun lalu"; detected from a dateline when None.
        nlp: a loaded pipeline; the shipped one by default.
    Returns:
        The facts, in text order.
    Raises:
        TypeError: `text` is not a str. ValueError: `published` is malformed.
    """
    return process(nlp or load_cached(), text, published)


def extract_many(texts: Iterable[str], published: Iterable | None = None, *,
                 nlp: Language | None = None, batch_size: int = 32) -> Iterator[list[Fact]]:
    """Extract facts from many texts, batched with `nlp.pipe` (one list of facts per text)."""
    nlp = nlp or load_cached()
    pubs = iter(published) if published is not None else None
    batch: list[tuple[str, object]] = []

    def flush():
        short = [(t, p) for t, p in batch if len(t) <= CHUNK_CHARS]
        docs = []
        for text, pub in short:
            doc = nlp.make_doc(text)
            doc._.published = coerce_published(pub)
            docs.append(doc)
        processed = iter(nlp.pipe(docs, batch_size=batch_size,
                                  component_cfg=component_batch_sizes(nlp, batch_size)))
        for text, pub in batch:
            if len(text) <= CHUNK_CHARS:
                facts = next(processed)._.facts
                yield facts if text.strip() else []
            else:
                yield process(nlp, text, pub)

    for text in texts:
        _check_text(text)
        batch.append((text, next(pubs) if pubs is not None else None))
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
