"""`mch_local_aliases`: a user's place and indicator aliases (`mchnlp.load(aliases=...)`),
kept inside the pipeline directory.

The aliases become patterns of the entity rulers (`rulers.RULER_OF_LABEL`), which save them
with their own patterns; this component keeps the alias file itself (`aliases.json` in its
folder) and, whenever it is created from it (`spacy.load`, `from_disk`), adds the place
aliases to the process's gazetteer so that the areas resolve. It does nothing to a Doc.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from ..knowledge.local_aliases import LocalAliases, parse_aliases
from .rulers import RULER_OF_LABEL

COMPONENT = "mch_local_aliases"
FILE = "aliases.json"


class LocalAliasesComponent:
    """Holds the pipeline's local aliases; see the module docstring."""

    def __init__(self, nlp: Language, name: str = COMPONENT):
        self.name = name
        self.aliases = LocalAliases()

    def __call__(self, doc: Doc) -> Doc:
        return doc

    def set_aliases(self, aliases: LocalAliases) -> None:
        """Keep `aliases` and register their places with the gazetteer."""
        from ..knowledge.places import Gazetteer

        Gazetteer.load().add_aliases((e["alias"], e["code"]) for e in aliases.places)
        self.aliases = aliases

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        serializers = {FILE: lambda p: srsly.write_json(p, self.aliases.to_json())}
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()
                  ) -> LocalAliasesComponent:
        def read(p: Path) -> None:
            self.set_aliases(parse_aliases(srsly.read_json(p), str(p)))

        util.from_disk(path, {FILE: read}, exclude)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.aliases.to_json()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()
                   ) -> LocalAliasesComponent:
        self.set_aliases(parse_aliases(srsly.json_loads(data), COMPONENT))
        return self


def apply_aliases(nlp: Language, aliases: LocalAliases, *, strict: bool = True) -> list[str]:
    """Add `aliases` to a loaded pipeline: patterns to its entity rulers (those not there
    yet), the gazetteer aliases, and the `mch_local_aliases` component that keeps them.

    Args:
        strict: raise when a ruler the aliases need is missing; otherwise skip its patterns
            (a statistical-NER pipeline still resolves the place aliases).
    Returns:
        The names of the missing rulers whose patterns were skipped.
    Raises:
        ValueError: `strict` and the pipeline has no ruler for INDICATOR or LOCATION.
    """
    if not aliases:
        return []
    new = LocalAliases().merged(aliases)
    labels = [label for label, entries in (("INDICATOR", new.indicators),
                                           ("LOCATION", new.places)) if entries]
    missing = [RULER_OF_LABEL[label] for label in labels
               if RULER_OF_LABEL[label] not in nlp.pipe_names]
    if missing and strict:
        raise ValueError(f"the pipeline has no {' or '.join(map(repr, missing))} for the "
                         f"aliases (components: {', '.join(nlp.pipe_names)})")
    if COMPONENT in nlp.pipe_names:
        component = nlp.get_pipe(COMPONENT)
    else:
        component = nlp.add_pipe(COMPONENT, last=True)
    known = component.aliases
    new = LocalAliases(tuple(e for e in new.places if e not in known.places),
                       tuple(e for e in new.indicators if e not in known.indicators))
    for label, patterns in (("INDICATOR", new.indicator_patterns()),
                            ("LOCATION", new.place_patterns())):
        ruler_name = RULER_OF_LABEL[label]
        if not patterns or ruler_name in missing:
            continue
        ruler = nlp.get_pipe(ruler_name)
        have = {(p["pattern"], p.get("id")) for p in ruler.patterns
                if isinstance(p["pattern"], str) and p["label"] == label}
        ruler.add_patterns([p for p in patterns if (p["pattern"], p["id"]) not in have])
    component.set_aliases(known.merged(new))
    return missing


def pipeline_aliases(nlp: Language) -> LocalAliases:
    """The local aliases a pipeline carries (empty when it has none)."""
    if COMPONENT in nlp.pipe_names:
        return nlp.get_pipe(COMPONENT).aliases
    return LocalAliases()
