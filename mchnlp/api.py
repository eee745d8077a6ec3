"""The public entry points: `extract` and `extract_docs` over texts of any length."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .facts.fact import Fact
from .knowledge.dates import coerce_published
from .pipeline import component_batch_sizes, load_cached

logger = logging.getLogger(__name__)

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


def process_docs(nlp: Language, text: str, published: dt.date | str | None = None
                 ) -> Iterator[tuple[int, Doc]]:
    """Run `nlp` over one text of any length: (character offset, processed Doc) per chunk;
    later chunks inherit the first one's area. Nothing for a blank text."""
    text = _check_text(text)
    pub = coerce_published(published)
    if not text.strip():
        return
    context: dict | None = None
    for offset, chunk in split_chunks(text):
        doc = nlp.make_doc(chunk)
        doc._.published = pub.isoformat() if pub is not None else None  # msgpack-safe
        if context:
            doc._.inherited_context = context
        doc = nlp(doc)
        if context is None:
            context = _context_from(doc, [])
        yield offset, doc


def process(nlp: Language, text: str, published: dt.date | str | None = None) -> list[Fact]:
    """Run `nlp` over one text of any length and return its facts."""
    facts: list[Fact] = []
    for offset, doc in process_docs(nlp, text, published):
        chunk_facts = doc._.facts
        for fact in chunk_facts:
            fact.start += offset
            fact.end += offset
        facts.extend(chunk_facts)
    return facts


def filter_facts(facts: list[Fact], min_confidence: float | None = None,
                 drop_warned: bool = False) -> list[Fact]:
    """The facts whose `confidence` is at least `min_confidence` (None: all) and, with
    `drop_warned`, that carry no warning (ambiguous place, unit, implausible size)."""
    if min_confidence is None and not drop_warned:
        return facts
    return [f for f in facts
            if (min_confidence is None or f.confidence >= min_confidence)
            and not (drop_warned and f.warnings)]


def _check_min_confidence(min_confidence: float | None) -> None:
    if min_confidence is None:
        return
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)):
        raise TypeError(f"min_confidence must be a number, got {type(min_confidence).__name__}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence}")


def extract(text: str, published: dt.date | str | None = None, *,
            nlp: Language | None = None, min_confidence: float | None = None,
            drop_warned: bool = False) -> list[Fact]:
    """Extract MCH facts from one Indonesian text.

    Args:
        text: the article (any length; long texts are processed in chunks, never truncated).
        published: publication date (date, "YYYY-MM-DD", "YYYY-MM", "YYYY") to resolve
            "tahun ini"/"tahun lalu"; detected from a dateline when None.
        nlp: a loaded pipeline; the shipped one by default.
        min_confidence: keep only facts whose `confidence` is at least this (0 to 1).
        drop_warned: leave out facts that carry `warnings`.
    Returns:
        The facts, in text order.
    Raises:
        TypeError: `text` is not a str. ValueError: `published` is malformed, or
        `min_confidence` is outside 0 to 1.
    """
    _check_min_confidence(min_confidence)
    facts = process(nlp or load_cached(), text, published)
    return filter_facts(facts, min_confidence, drop_warned)


def _pairs(texts: Iterable[str], published: Iterable | dt.date | str | None
           ) -> Iterator[tuple[str, object]]:
    """(text, published) per item, checked, with the item's index in every error."""
    single = published is None or isinstance(published, (str, dt.date))
    pubs = None if single else iter(published)  # type: ignore[arg-type]
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"mchnlp.extract_many: item {index} is {type(text).__name__}, "
                            "not str")
        if pubs is None:
            pub = published
        else:
            pub = next(pubs, _MISSING)
            if pub is _MISSING:
                raise ValueError(f"mchnlp.extract_many: published has no date for item {index} "
                                 "(give one per text, None where unknown)")
        try:
            coerce_published(pub)  # type: ignore[arg-type]
        except ValueError as err:
            raise ValueError(f"mchnlp.extract_many: item {index}: {err}") from None
        yield text, pub


_MISSING = object()


def extract_many(texts: Iterable[str], published: Iterable | dt.date | str | None = None, *,
                 nlp: Language | None = None, batch_size: int = 32,
                 min_confidence: float | None = None, drop_warned: bool = False,
                 errors: list[str] | None = None) -> Iterator[list[Fact]]:
    """Extract facts from many texts, batched with `nlp.pipe`.

    A text whose extraction fails does not fail the others: it gets an empty list, and the
    failure is logged (logger `mchnlp.api`, level WARNING) and added to `errors`.

    Args:
        texts: the texts (a list or any iterable of str; read lazily).
        published: one publication date per text (an iterable, None where unknown), or one
            date for all (a date or a string).
        nlp: a loaded pipeline; the shipped one by default.
        batch_size: texts per `nlp.pipe` batch.
        min_confidence, drop_warned: as in `extract`.
        errors: receives "item <index>: <error>" for each text whose extraction failed.
    Yields:
        One list of facts per text, in order.
    Raises:
        TypeError: `texts` is a single string, or an item is not a str. ValueError: a
        malformed date, too few dates, or `min_confidence` outside 0 to 1; the message names
        the item's index.
    """
    _check_min_confidence(min_confidence)
    if isinstance(texts, (str, bytes)):
        raise TypeError("mchnlp.extract_many expects a list (or iterable) of texts, got a "
                        f"single {type(texts).__name__}; use mchnlp.extract(text) or "
                        "extract_many([text])")
    pairs = _pairs(texts, published)
    return _extract_many(pairs, nlp or load_cached(), batch_size, min_confidence, drop_warned,
                         [] if errors is None else errors)


def _pipe_facts(nlp: Language, batch: list[tuple[str, object]], batch_size: int
                ) -> list[list[Fact]]:
    """The facts of each text of a batch: the short ones through one `nlp.pipe` pass, the
    long ones chunk by chunk."""
    docs = []
    for text, pub in batch:
        if len(text) <= CHUNK_CHARS:
            doc = nlp.make_doc(text)
            doc._.published = coerce_published(pub)
            docs.append(doc)
    processed = iter(list(nlp.pipe(docs, batch_size=batch_size,
                                   component_cfg=component_batch_sizes(nlp, batch_size))))
    results = []
    for text, pub in batch:
        if len(text) <= CHUNK_CHARS:
            facts = next(processed)._.facts
            results.append(facts if text.strip() else [])
        else:
            results.append(process(nlp, text, pub))
    return results


def extract_batch(nlp: Language, batch: list[tuple[str, object]], batch_size: int = 32
                  ) -> list[list[Fact] | Exception]:
    """The facts of each (text, published) pair of a batch, in one `nlp.pipe` pass; if that
    fails, each text on its own, so that a text that fails gets its exception in place of
    its facts and the others are still extracted."""
    try:
        return _pipe_facts(nlp, batch, batch_size)  # type: ignore[return-value]
    except Exception:  # find the culprit: the rest of the batch is still extracted
        logger.debug("batch of %d failed, extracting one by one", len(batch), exc_info=True)
    results: list[list[Fact] | Exception] = []
    for text, pub in batch:
        try:
            results.append(process(nlp, text, pub))
        except Exception as err:  # noqa: BLE001 - returned to the caller, who names the text
            results.append(err)
    return results


def _extract_many(pairs: Iterator[tuple[str, object]], nlp: Language, batch_size: int,
                  min_confidence: float | None, drop_warned: bool, errors: list[str]
                  ) -> Iterator[list[Fact]]:
    batch: list[tuple[str, object]] = []
    first_index = 0

    def flush():
        for index, facts in enumerate(extract_batch(nlp, batch, batch_size), first_index):
            if isinstance(facts, Exception):
                message = f"item {index}: extraction failed ({type(facts).__name__}: {facts})"
                logger.warning("mchnlp.extract_many: %s", message)
                errors.append(message)
                facts = []
            yield filter_facts(facts, min_confidence, drop_warned)

    for pair in pairs:
        batch.append(pair)
        if len(batch) >= batch_size:
            yield from flush()
            first_index += len(batch)
            batch = []
    if batch:
        yield from flush()
