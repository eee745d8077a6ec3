"""Heuristic relation linker: the rule baseline every trained linker is compared with.

For each value (COUNT/RATE) it links an INDICATOR, a LOCATION, a DATE and, for a bare
number ("nasional di angka 16"), the value whose unit it borrows. Links go into the store
`doc._.rel[(value.start, target.start)] = {label: score}`; `doc._.facts` derives the facts.
The scores are fixed by the rule that fired (same sentence > previous sentence > document
default), not calibrated probabilities.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .context import Sentences, document_area, is_dateline, title_date
from .extensions import ensure_doc_stores, register_extensions

VALUE_LABELS = ("COUNT", "RATE")
CONNECTIVES = {"sementara", "sedangkan", "adapun", "sementara itu", "begitu", "demikian",
               "lalu", "kemudian", "selanjutnya", "jumlahnya", "angka", "sebagai"}
ANAPHORA = {"jumlahnya", "jumlah", "angka", "angkanya", "totalnya", "itu", "tersebut"}
DATE_INTRODUCERS = {"pada", "tahun", "hingga", "sampai", "per", "selama", "sepanjang", "di",
                    "sejak", "dalam", "periode", "s/d", "(", "menurut", "berdasarkan", "data",
                    "hasil"}
WEAK_WINDOW = 6


class RuleLinker:
    """Links values to indicator, location and date spans with ordered heuristics."""

    def __init__(self, nlp: Language, name: str = "mch_rule_linker") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ensure_doc_stores(doc)
        values = [e for e in doc.ents if e.label_ in VALUE_LABELS]
        if not values:
            return doc
        sents = Sentences(doc)
        by_sent: dict[int, list[Span]] = {}
        for ent in doc.ents:
            by_sent.setdefault(sents.start(ent.start), []).append(ent)
        default_area = document_area(doc)
        default_date = title_date(doc)
        last_links: dict[str, tuple[int, int]] = {}  # label -> (sentence index, target start)
        for value in values:
            sent = sents.span(value.start)
            s_idx = sents.index(value.start)
            ents = by_sent.get(sent.start, [])
            links = {}
            ind = self._indicator(doc, value, ents)
            if ind is None and not any(e.label_ == "INDICATOR" for e in ents):
                ind = self._indicator_from_context(doc, value, sents, s_idx, by_sent)
            if ind is not None:
                links["indicator"] = ind
            loc = self._location(value, ents)
            if loc is None:
                carried = self._carried(doc, value, last_links, "location", s_idx, sent,
                                        require_cue=False)
                if carried is not None:
                    loc = carried
                elif default_area is not None:
                    loc = (default_area, 0.5)
            if loc is not None:
                links["location"] = loc
            date = self._date(doc, value, ents)
            if date is None:
                date = self._carried(doc, value, last_links, "date", s_idx, sent,
                                     max_back=1)
            if date is None and default_date is not None:
                date = (default_date, 0.5)
            if date is not None:
                links["date"] = date
            unit = self._unit_source(value, ents, by_sent.get(
                sents.start(sent.start - 1), []) if sent.start > 0 else [])
            if unit is not None:
                links["unit"] = unit
            for label, (target, score) in links.items():
                key = (value.start, target.start)
                doc._.rel.setdefault(key, {})[label] = round(float(score), 4)
                if label != "unit" and sents.start(target.start) == sent.start:
                    last_links[label] = (s_idx, target.start)
        return doc

    # -- per relation ---------------------------------------------------------------
    @staticmethod
    def _between_values(value: Span, other: Span, ents: list[Span]) -> bool:
        lo, hi = sorted((value.start, other.start))
        return any(e.label_ in VALUE_LABELS and lo < e.start < hi and e is not value
                   and e.start != value.start for e in ents)

    def _indicator(self, doc: Doc, value: Span, ents: list[Span]):
        attrs = doc._.value_attrs.get(value.start, {})
        hint = attrs.get("indicator")
        indicators = [e for e in ents if e.label_ == "INDICATOR"]
        if hint:
            same = [e for e in indicators if e.ent_id_ == hint]
            if same:
                return min(same, key=lambda e: abs(e.start - value.start)), 0.9
        after = [e for e in indicators if e.start == value.end]
        if after:
            return after[0], 0.9
        window = WEAK_WINDOW if attrs.get("weak_unit") else 10_000
        before = [e for e in indicators if e.end <= value.start
                  and value.start - e.end <= window]
        if before:
            return before[-1], 0.85
        following = [e for e in indicators if e.start >= value.end
                     and e.start - value.end <= window
                     and not self._between_values(value, e, ents)]
        if following:
            return following[0], 0.7
        return None

    @staticmethod
    def _indicator_from_context(doc: Doc, value: Span, sents: Sentences, s_idx: int,
                                by_sent: dict[int, list[Span]]):
        """A sentence that names no indicator continues the previous ones ("Jumlahnya turun
        ke 73 kasus"): take the last indicator mentioned one or two sentences back. Values
        counted in persons ("6 orang") need their indicator close by and never inherit one."""
        if doc._.value_attrs.get(value.start, {}).get("weak_unit"):
            return None
        sent_start = sents.starts[s_idx]
        words = {t.lower_ for t in doc[sent_start : value.start]} | {
            t.lower_ for t in doc[sent_start : sent_start + 2]}
        cue = bool(words & (ANAPHORA | CONNECTIVES))
        for back in (1, 2):
            if s_idx - back < 0:
                break
            mentioned = [e for e in by_sent.get(sents.starts[s_idx - back], [])
                         if e.label_ == "INDICATOR"]
            if mentioned:
                return mentioned[-1], 0.7 if cue else 0.55
        return None

    def _location(self, value: Span, ents: list[Span]):
        candidates = [e for e in ents if e.label_ == "LOCATION" and not is_dateline(e)
                      and e.ent_id_ != "facility"]
        best, best_cost = None, None
        for loc in candidates:
            if loc.end <= value.start:
                cost = value.start - loc.end
            else:
                if self._between_values(value, loc, ents):
                    continue
                cost = loc.start - value.end + 3
            if best_cost is None or cost < best_cost:
                best, best_cost = loc, cost
        return (best, 0.85) if best is not None else None

    def _date(self, doc: Doc, value: Span, ents: list[Span]):
        dates = [e for e in ents if e.label_ == "DATE"]
        if not dates:
            return None
        values = [e for e in ents if e.label_ in VALUE_LABELS]
        next_value = min((v.start for v in values if v.start > value.start), default=None)
        # a date right after the value, introduced by "pada"/"hingga"/..., is its own
        for d in dates:
            if value.end <= d.start <= value.end + 4 and (next_value is None or
                                                        d.start < next_value):
                gap = [t.lower_ for t in doc[value.end : d.start]]
                if not gap or gap[-1] in DATE_INTRODUCERS or (gap and gap[0] in DATE_INTRODUCERS):
                    return d, 0.9
        owned = set()
        for v in values:
            for d in dates:
                if v.end <= d.start <= v.end + 3 and v.start != value.start:
                    gap = [t.lower_ for t in doc[v.end : d.start]]
                    if gap and gap[-1] in DATE_INTRODUCERS:
                        owned.add(d.start)
        before = [d for d in dates if d.end <= value.start and d.start not in owned]
        if before:
            return before[-1], 0.85
        after = [d for d in dates if d.start >= value.end]
        if after:
            return after[0], 0.7
        return None

    def _carried(self, doc: Doc, value: Span, last_links: dict, label: str, s_idx: int,
                 sent: Span, *, require_cue: bool = True, max_back: int = 2):
        if label not in last_links:
            return None
        prev_idx, target_start = last_links[label]
        if not 0 < s_idx - prev_idx <= max_back:
            return None
        if require_cue or label == "date":
            first_words = {t.lower_ for t in sent[:3]} | {sent[:2].text.lower()}
            anaphora = {t.lower_ for t in doc[sent.start : value.start]} & ANAPHORA
            if not (first_words & CONNECTIVES or anaphora):
                return None
        target = next((e for e in doc.ents if e.start == target_start), None)
        return (target, 0.6) if target is not None else None

    @staticmethod
    def _unit_source(value: Span, ents: list[Span], previous_sentence: list[Span]):
        """A bare number borrows the unit of the last value with a unit before it, in its
        sentence or else in the previous one."""
        if len(value) > 1 or not value.doc[value.start]._.mch_num:
            return None
        for pool, score in ((ents, 0.8), (previous_sentence, 0.6)):
            prior = [e for e in pool if e.label_ in VALUE_LABELS and e.end <= value.start
                     and len(e) > 1]
            if prior:
                return prior[-1], score
        return None
