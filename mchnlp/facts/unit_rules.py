"""The unit and kind of a linked value, with the rate conventions of the guidelines
("AKB 15,69 persen" is a misprinted rate, "45 persen disebabkan BBLR" a share, not a fact)."""


from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..knowledge import resources
from ..knowledge.units import COUNT, PERCENT
from ..structure.layout import Sentences
from ..structure.tables import table_headers

MORTALITY = {"maternal_mortality", "infant_mortality", "neonatal_mortality", "under5_mortality",
             "child_mortality", "perinatal_mortality", "maternal_and_infant_mortality",
             "stillbirth"}
PLACE_REACH = 8  # words after a count read for where the deaths happened
PHASE_REACH = 5  # words around a count read for the phase the deaths happened in
# the words between a count and the phase its deaths happened in: "masa nifas (8 kasus)",
# "masa nifas sebanyak 8", "8 kasus terjadi pada masa nifas"
PHASE_FILLERS = {"(", ")", ":", ",", "sebanyak", "yaitu", "ada", "kasus", "orang", "jiwa",
                 "terjadi", "pada", "di", "yang"}
PLACE_VERBS = {"terjadi", "meninggal", "dunia", "wafat"}  # "... meninggal (dunia) di rumah"
# the cause verbs that open a list of causes ("karena" and "akibat" also explain a change)
LIST_CAUSE_VERBS = {"disebabkan", "diakibatkan"}


@dataclass(frozen=True)
class _Conventions:
    """What the fact rules read from the packaged tables, derived once per process."""

    rate_units: dict[str, str | None]  # indicator -> its rate's unit
    abbreviations: dict[str, set[str]]  # "akb", "imr": single-word names of non-% rates
    share_words: tuple[tuple[str, ...], ...]
    comparison_from: frozenset[str]
    comparison_to: frozenset[str]
    cause_words: frozenset[str]
    cause_heads: frozenset[str]
    death_places: tuple[tuple[str, ...], ...]
    death_phases: tuple[tuple[str, ...], ...]


@functools.cache
def _conventions() -> _Conventions:
    indicators = resources.indicator_table()["indicators"]
    lexicon = resources.value_rules()
    return _Conventions(
        rate_units={r["code"]: r.get("rate_unit") for r in indicators},
        abbreviations={r["code"]: {a for a in r["aliases"] if " " not in a and len(a) <= 6}
                       for r in indicators if r.get("rate_unit") not in (None, PERCENT)},
        share_words=tuple(tuple(w.split()) for w in lexicon.get("share_words_after", [])),
        comparison_from=frozenset(lexicon.get("comparison_from", [])),
        comparison_to=frozenset(lexicon.get("comparison_to", [])),
        cause_words=frozenset(lexicon.get("cause_words_after", [])),
        cause_heads=frozenset(lexicon.get("cause_heads", [])),
        death_places=tuple(tuple(w.split()) for w in lexicon.get("death_place_words", [])),
        death_phases=tuple(tuple(w.split()) for w in lexicon.get("death_phase_words", [])),
    )


class _UnitRules:
    """The unit and kind of a linked value, with the rate conventions of the guidelines."""

    def __init__(self, doc: Doc, sents: Sentences) -> None:
        self.doc = doc
        self.sents = sents
        conventions = _conventions()
        self.rate_units = conventions.rate_units
        self.abbreviations = conventions.abbreviations
        self.share_words = conventions.share_words
        self.partitive = conventions.comparison_from
        self.cause_words, self.cause_heads = conventions.cause_words, conventions.cause_heads
        self.death_places, self.death_phases = conventions.death_places, conventions.death_phases
        self._headers: dict | None = None

    def decide(self, value: Span, number, unit: str | None, indicator: str,
               indicator_link: tuple[Span, float] | None, attrs: dict) -> tuple[str, str] | None:
        """(unit, kind), or None when the value is a share of deaths rather than a fact."""
        kind = attrs.get("kind", "observed")
        if unit is None:
            unit = (self.rate_units.get(indicator) if value.label_ == "RATE" else COUNT) or COUNT
            # "AKI Provinsi Riau mencapai 158", a table under "AKI per provinsi": a bare
            # figure of a named rate is the rate
            if unit == COUNT and self._figure_of_rate(value, indicator, indicator_link):
                unit = self.rate_units[indicator]
        if unit == COUNT and number.value != int(number.value) and self.rate_units.get(indicator):
            unit = self.rate_units[indicator]  # "28,61 kematian bayi": a fraction is a rate
        if unit == COUNT and indicator in MORTALITY and self._by_cause(value):
            return None
        if unit == COUNT and self._named_as_cause(value, indicator_link):
            return None
        if unit == PERCENT and indicator in MORTALITY and kind == "observed" and attrs.get(
                "change_cue"):
            kind = "change"  # "angka kematian bayi berkurang hingga 90 persen": not a level
        if unit == PERCENT and indicator in MORTALITY and kind != "change":
            # "AKB 15,69 persen": the rate with a misprinted unit; anything else is a share
            if not self._figure_of_rate(value, indicator, indicator_link) or self._share(
                    value, indicator_link[0]):
                return None
            unit = self.rate_units[indicator]
        return unit, kind

    def _figure_of_rate(self, value: Span, indicator: str,
                        indicator_link: tuple[Span, float] | None) -> bool:
        if indicator not in self.abbreviations or indicator_link is None:
            return False
        mention = indicator_link[0]
        if not _names_the_rate(mention, self.abbreviations[indicator]):
            return False
        return _governs(indicator_link, value, self.sents) or self._under_header(value, mention)

    def _under_header(self, value: Span, mention: Span) -> bool:
        """The value is a table row and the mention is in its header row."""
        if self._headers is None:
            self._headers = table_headers(self.doc, self.sents)
        row = self.sents.index(value.start)
        return self.sents.index(mention.start) in self._headers.get(row, ())

    def _by_cause(self, value: Span) -> bool:
        """A count of deaths by cause or place: "18 kasus disebabkan perdarahan", "Penyebab
        terbanyak adalah hipertensi 121 kasus, perdarahan 102 kasus", "8 kasus disebabkan
        perdarahan, 5 kasus hipertensi", "12 kasus terjadi di rumah sakit"."""
        doc = value.doc
        for token in doc[value.end:value.end + 2]:
            if token.ent_type_ == "INDICATOR":
                break  # "9 kasus kematian ibu akibat penyebab langsung": the total's own words
            if token.lower_ in self.cause_words:
                return True
        if self._at_place(value) or self._in_phase(value):
            return True
        if value.start > 0 and doc[value.start - 1].lower_ in self.partitive:
            return False  # "penyebab utama dari sebelas kematian neonatal": the total
        start = self.sents.starts[self.sents.index(value.start)]
        if any(t.lower_ in self.cause_heads for t in doc[start:value.start]):
            return True
        # the next items of a list of causes ("8 kasus disebabkan perdarahan, 5 kasus
        # hipertensi"): a cause verb right after an earlier count, no indicator since
        for k in range(value.start - 1, start + 1, -1):
            if doc[k].ent_type_ == "INDICATOR":
                return False
            if doc[k].lower_ in LIST_CAUSE_VERBS:
                return any(t.ent_type_ == "COUNT" for t in doc[k - 2:k])
        return False

    def _named_as_cause(self, value: Span, indicator_link: tuple[Span, float] | None) -> bool:
        """A count after an indicator named as a cause ("Penyebab terbanyak adalah BBLR 18
        kasus, asfiksia 15 kasus"): the deaths it caused, not a count of the indicator."""
        if indicator_link is None:
            return False
        mention = indicator_link[0]
        start = self.sents.starts[self.sents.index(value.start)]
        return start <= mention.start < value.start and any(
            t.lower_ in self.cause_heads for t in value.doc[start:mention.start])

    def _at_place(self, value: Span) -> bool:
        """ "12 kasus terjadi di rumah sakit", "Dua di antaranya meninggal di perjalanan",
        "Yang meninggal di rumah sakit ada 41" """
        doc = value.doc
        after = [t.lower_ for t in doc[value.end:value.end + PLACE_REACH]]
        start = max(self.sents.starts[self.sents.index(value.start)], value.start - PLACE_REACH)
        before = [t.lower_ for t in doc[start:value.start]]
        if any(t.ent_type_ in ("COUNT", "RATE") for t in doc[start:value.start]):
            before = []  # the place is another figure's
        return self._place_phrase(after) or self._place_phrase(before)

    def _place_phrase(self, words: list[str]) -> bool:
        """ "... meninggal di rumah sakit", "... terjadi di perjalanan" among `words` """
        for j in range(1, len(words) - 1):
            if words[j] == "di" and words[j - 1] in PLACE_VERBS and any(
                    tuple(words[j + 1:j + 1 + len(p)]) == p for p in self.death_places):
                return True
        return False

    def _in_phase(self, value: Span) -> bool:
        """ "masa nifas (8 kasus)", "6 kasus terjadi pada masa persalinan"; not the phases
        that define the deaths counted ("17 ibu meninggal saat hamil, bersalin, maupun
        nifas")."""
        doc = value.doc
        k = self.sents.index(value.start)
        start, end = self.sents.starts[k], self.sents.ends[k]
        before = [t.lower_ for t in doc[max(start, value.start - PHASE_REACH):value.start]
                  if t.lower_ not in PHASE_FILLERS]
        after = [t.lower_ for t in doc[value.end:min(end, value.end + PHASE_REACH)]
                 if t.lower_ not in PHASE_FILLERS]
        return any(tuple(before[len(before) - len(p):]) == p or tuple(after[:len(p)]) == p
                   for p in self.death_phases)

    def _share(self, value: Span, mention: Span) -> bool:
        """ "dari angka kematian bayi ..., 45 persen disebabkan BBLR" """
        doc = value.doc
        if mention.start > 0 and doc[mention.start - 1].lower_ in self.partitive:
            return True
        following = [t.lower_ for t in doc[value.end:value.end + 3]]
        return any(tuple(following[k:k + len(w)]) == w
                   for w in self.share_words for k in range(len(following)))


def _governs(indicator_link: tuple[Span, float] | None, value: Span, sents: Sentences) -> bool:
    """The indicator mention heads the value's clause: before it in its sentence, with no
    other figure in between ("AKB 15,69 persen"; not "... anemia 48 persen" two sentences
    after an "angka kematian ibu")."""
    if indicator_link is None:
        return False
    mention = indicator_link[0]
    if mention.end > value.start or sents.index(mention.start) != sents.index(value.start):
        return False
    return not any(e.label_ in ("COUNT", "RATE") and mention.end <= e.start < value.start
                   for e in value.doc.ents)


def _names_the_rate(mention: Span, abbreviations: set[str]) -> bool:
    """True when an indicator mention names the rate ("angka kematian bayi", "AKB") rather
    than the deaths ("kematian bayi"): a percentage printed after it is the rate misprinted,
    while a percentage of deaths is a breakdown by cause, place or phase."""
    words = mention.text.lower().split()
    return bool(words) and (words[0] == "angka" or words[-1] == "rate"
                            or (len(words) == 1 and words[0] in abbreviations))
