"""Rule component that finds indicator values (COUNT, RATE) and their unit, kind and qualifier.

Which words make a number a count or a rate is data (`data/value_rules.json`), passed in
through `initialize()` and saved with the pipeline. The component runs after the entity
ruler (INDICATOR, LOCATION, DATE) and may replace a DATE that is really a value
("2000 kasus").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable

import srsly
from spacy.attrs import IS_ALPHA
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..facts.extensions import ensure_doc_stores, register_extensions
from ..knowledge import resources
from ..knowledge.dates import MONTHS
from ..knowledge.numbers import DECIMAL_POINT, FRACTIONS, is_number_token, parse_number
from ..knowledge.units import (
    MIN_UNIT_TYPO_LENGTH,
    PER_1000,
    PER_100000,
    PERCENT,
    TYPO_UNIT_WORDS,
    unit_word,
)
from ..structure.headings import is_section_number
from ..structure.layout import Sentences
from ..structure.tables import cell_contexts
from ..structure.words import Phrase, Phrases
from ..structure.words import lower_words as _lower_words
from .value_cells import TableCellValues
from .value_conditions import ValueConditions
from .value_kinds import ValueKinds

_YEAR = re.compile(r"^(19|20)\d\d$")
MONTH_REACH = 6  # words from a month's figure to the next or the one before in a month list
_DIGIT_GROUP = re.compile(r"^\d")
_YEAR_INTRO = {"pada", "tahun", "sejak", "hingga", "sampai", "selama", "sepanjang", "di", "thn",
               "per", "dari", "ke", "menjelang", "awal", "akhir", "pertengahan"}
_RANGE_WORDS = {"-", "–", "—", "hingga", "sampai", "s/d", "s.d.", "sd"}
# words that are never the edge of a value span ("70 pada 2024", "sebanyak 5 kasus")
_EDGE_WORDS = {"pada", "di", "dan", "yang", "hingga", "sampai", "serta", "atau", "dari", "ke",
               "tahun", "sebanyak", "sebesar", "mencapai", "yakni", "yaitu", "dengan", "itu"}
_COPULAS = {"adalah", "merupakan", "ialah"}
_WEAK_CUES = {"dan", "serta", "lalu", "kemudian", "sedangkan", "sementara", "dari", "ke",
              "menjadi", "jadi"}
PERIOD_REACH = 8  # words after a death verb read for the deaths' age period
SUBJECT_WORDS = 8  # words back from a figure to a subject that is no indicator ("angka kelahiran")
NEGATION_REACH = 6  # words from a figure to a negation of what it counts
DENIED_VERB_WORDS = 3  # words between that negation and the indicator it denies
CLAUSE_ENDS = {".", ",", ";", ":", ")", "|", "sedangkan", "sementara"}
_LIST_SEPARATORS = {",", ";", "dan", "serta"}
LISTED_NAME_TOKENS = 3
DEATH_PHRASE_REACH = 12  # tokens back from a count to a "bayi meninggal" naming its indicator
SHARED_UNIT_ITEMS = 8  # figures of a list that shares the unit written after its last one
PLACE_TOKENS = 4  # words of a place named between a counted noun and its death verb
_RATE_ABBREVIATIONS = re.compile(r"^(ak[a-z]{1,3}|imr|mmr)$", re.IGNORECASE)


def _phrases(words: Iterable[str]) -> Phrases:
    """The lexicon's phrases, longest first (two phrases of one length never both match at
    a position, so the order among them does not matter)."""
    out = {tuple(w.lower().split()) for w in words}
    return Phrases(sorted(out, key=len, reverse=True))


# the same words come back in every document: their test is remembered by their text
_is_number_word = lru_cache(maxsize=65_536)(is_number_token)


def _is_figure(word: str) -> bool:
    """A number that is not a year."""
    return _is_number_word(word) and not _YEAR.match(word)


def _number_tokens(words: list[str]) -> list[int]:
    """The positions of the lower-case `words` (`lower_words(doc)`) whose tokens are
    `_.mch_num` (a digit group or a number word), in order. The test reads the same on a
    token's lower-case form (lower-casing changes no digit, separator or number word)."""
    numeric = {word for word in set(words) if _is_number_word(word)}
    return [i for i, word in enumerate(words) if word in numeric]


def _recent_values(sents: Sentences, i: int, previous: list[tuple[Span, dict]]) -> list[Span]:
    """Values earlier in this sentence, or in the previous sentence when this one has none
    before `i` ("... 13,8 per 1000 kelahiran hidup. Sementara nasional di angka 16")."""
    start = sents.start(i)
    floor = start if (previous and previous[-1][0].start >= start) or start == 0 else (
        sents.start(start - 1))
    recent = []
    for v, _ in reversed(previous):
        if v.start < floor:
            break
        recent.append(v)
    return recent[::-1]


def _name_before(doc: Doc, k: int) -> int:
    """The first token of the capitalised name of a few words right before token `k`
    ("Sangowo 1", "Puskesmas Daruba 1 kasus", "Posi-posi 1"); `k` when there is none."""
    j = k
    while j > 0 and k - j < LISTED_NAME_TOKENS and (doc[j - 1].text == "-" or (
            doc[j - 1].text[:1].isupper() and doc[j - 1].text.replace("-", "").isalpha())):
        j -= 1
    while j < k and doc[j].text == "-":  # "Oepoi-Baru" is split at its hyphen
        j += 1
    return j


_TYPO_FIRST_LETTERS = frozenset(word[0] for word in TYPO_UNIT_WORDS)
_TYPO_LENGTHS = range(MIN_UNIT_TYPO_LENGTH, max(map(len, TYPO_UNIT_WORDS)) + 2)


def _said_to_be(words: list[str], end: int, ent_at: dict[int, Span]) -> Span | None:
    """The INDICATOR a copula or a partitive after a figure ending at `end` names ("24 adalah
    kematian neonatal", "45 di antaranya (66,1%) merupakan kematian neonatal"), if any."""
    k = end
    if words[k:k + 2] == ["di", "antaranya"] or words[k:k + 1] == ["diantaranya"]:
        k += 2 if words[k] == "di" else 1
        if k < len(words) and words[k] == "(" and ")" in words[k:k + 6]:  # "(66,1%)"
            k = words.index(")", k) + 1
    if k < len(words) and words[k] in _COPULAS:
        k += 1
    if k == end:
        return None
    named = ent_at.get(k)
    return named if named is not None and named.label_ == "INDICATOR" else None


def _unit_typos_read(words: list[str]) -> list[str]:
    """`words` with a unit word misspelled right after a number read as that unit ("9 kasuss",
    "48,6 prsen"): the value rules match the words, not the text."""
    for i in range(1, len(words)):
        word = words[i]
        if (word[0] in _TYPO_FIRST_LETTERS and len(word) in _TYPO_LENGTHS
                and is_number_token(words[i - 1])):
            words[i] = unit_word(word)
    return words


class ValueRules(TableCellValues, ValueKinds, ValueConditions):
    """Finds COUNT and RATE values with rules from a reviewable lexicon."""

    def __init__(self, nlp: Language, name: str = "mch_values", *, detect: bool = True) -> None:
        register_extensions()
        self.name = name
        # detect=False: only describe values another component found (after a trained NER)
        self.detect = detect
        self.lexicon: dict = {}
        self._compile()

    # -- data -------------------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   lexicon: dict | None = None) -> None:
        """Load the lexicon (defaults to the packaged `value_rules.json`)."""
        self.lexicon = lexicon if lexicon is not None else resources.value_rules()
        self._compile()

    def _compile(self) -> None:
        lex = self.lexicon
        get = lambda key: _phrases(lex.get(key, []))  # noqa: E731
        self.count_nouns = get("count_nouns")
        self.weak_nouns_phrases = get("weak_count_nouns")
        self.weak_nouns = set(self.weak_nouns_phrases)
        self.percent_words = get("percent_words")
        self.per_words = get("rate_per_words")
        self.rate_prefix = get("rate_prefix_nouns")
        self.denominators = get("rate_denominators")
        self.bare_cues = get("bare_value_cues")
        self.excluded_following = get("excluded_following")
        self.excluded_preceding = get("excluded_preceding")
        self.target_cues = {w.lower() for w in lex.get("target_cues", [])}
        self.present_level_words = {w.lower() for w in lex.get("present_level_words", [])}
        self.present_to_target = {w.lower() for w in lex.get("present_to_target_links", [])}
        self.cause_heads = {w.lower() for w in lex.get("cause_heads", [])}
        self.aim_words = {w.lower() for w in lex.get("aim_words", [])}
        self.reached_words = {w.lower() for w in lex.get("comparison_to", [])}
        self.change_cues = {w.lower() for w in lex.get("change_cues", [])}
        self.change_blockers = get("change_blockers")
        self.change_nouns = {w.lower() for w in lex.get("change_nouns", [])}
        self.point_words = {w.lower() for w in lex.get("percentage_point_words", [])}
        self.budget_shares = {w.lower() for w in lex.get("budget_shares", [])}
        self.counted_words = {w.lower() for w in lex.get("counted_words", [])}
        self.negations = {w.lower() for w in lex.get("negations", [])}
        self.disowning_cues = get("disowning_cues")
        self.disowning_starts = set(self.disowning_cues.by_first)
        self.change_links = {w.lower() for w in lex.get("change_links", [])}
        self.level_markers = {w.lower() for key in ("comparison_from", "comparison_to")
                              for w in lex.get(key, [])}
        self.death_verbs = get("death_verbs")
        # base indicator -> (phrase -> the indicator of the deaths of that period)
        self.period_codes = {base: {tuple(phrase.split()): code for code, phrases in
                                    periods.items() for phrase in phrases}
                             for base, periods in lex.get("death_period_words", {}).items()}
        self.period_phrases = {base: Phrases(codes) for base, codes in self.period_codes.items()}
        self.qualifiers = {tuple(k.split()): v for k, v in lex.get("qualifiers", {}).items()}
        self.qualifier_phrases = Phrases(self.qualifiers)  # in the lexicon's order
        self.noun_indicators = dict(lex.get("noun_indicators", {}))
        self.explanation_cues = {w.lower() for w in lex.get("explanation_cues", [])}
        self.other_subjects = get("non_indicator_subjects")
        self.superlatives = frozenset(
            w for w in resources.attribution_cues()["ranking_words"] if " " not in w)
        self.other_rows = get("non_fact_rows")
        self.measured_groups = get("measured_group_words")

    def to_disk(self, path, *, exclude=tuple()) -> None:
        from spacy import util

        util.to_disk(path, {"lexicon.json": lambda p: srsly.write_json(p, self.lexicon)}, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "ValueRules":
        from spacy import util

        def load(p):
            self.lexicon = srsly.read_json(p)

        util.from_disk(path, {"lexicon.json": load}, exclude)
        self._compile()
        return self

    # -- matching helpers -------------------------------------------------------------
    @staticmethod
    def _match_at(words: list[str], k: int, phrases: Phrases) -> int:
        """Length of the first phrase at `words[k:]` (k >= 0), 0 when none is."""
        for phrase in phrases.by_first.get(words[k], ()) if 0 <= k < len(words) else ():
            if tuple(words[k : k + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    @staticmethod
    def _match_before(words: list[str], k: int, phrases: Phrases) -> int:
        """Length of the first phrase that ends just before `words[k]`, 0 when none does."""
        for phrase in phrases.by_last.get(words[k - 1], ()) if 0 < k <= len(words) else ():
            n = len(phrase)
            if k - n >= 0 and tuple(words[k - n : k]) == phrase:
                return n
        return 0

    @staticmethod
    def _number_run(words: list[str], k: int) -> int:
        """Tokens of the number starting at `k`: digit groups and number words ("dua ratus
        tiga belas", "1,2 juta"). Two digit groups side by side are two numbers ("tahun 2021
        5,2 per 1.000", "2019 2020"), never one."""
        end = k
        while end < len(words) and _is_number_word(words[end]):
            if end > k and _DIGIT_GROUP.match(words[end - 1]) and _DIGIT_GROUP.match(words[end]):
                break
            end += 1
        while end > k and words[end - 1] == DECIMAL_POINT:
            end -= 1  # "koma" ends no number ("... lima, koma ...")
        return 0 if k < len(words) and words[k] == DECIMAL_POINT else end - k

    def _number_gloss(self, words: list[str], k: int) -> int:
        """Tokens of a bracketed number in words at `k` ("(dua belas)"), else 0."""
        if k >= len(words) or words[k] != "(":
            return 0
        run = self._number_run(words, k + 1)
        if not run or any(_DIGIT_GROUP.match(w) for w in words[k + 1:k + 1 + run]):
            return 0
        close = k + 1 + run
        return run + 2 if close < len(words) and words[close] == ")" else 0

    # -- component --------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ensure_doc_stores(doc)
        if not len(doc):
            return doc
        if not self.detect:
            return self.annotate_existing(doc)
        words = _unit_typos_read(_lower_words(doc))
        ents = doc.ents  # built anew at each access: read once
        ent_at: dict[int, Span] = {}
        for ent in ents:
            for i in range(ent.start, ent.end):
                ent_at[i] = ent
        values: list[tuple[Span, dict]] = []
        self._read_doc(doc, words, ent_at)
        i = 0  # the first token not yet read
        for number in _number_tokens(words):
            if number < i:
                continue
            i = number
            found = self._read_value(doc, words, i, ent_at, values)
            if found is None:
                i += self._number_run(words, i) or 1
                continue
            span, attrs = found
            values.append((span, attrs))
            i = span.end
        if values:
            keep = []
            value_at = {i: v for v, _ in values for i in range(v.start, v.end)}
            dropped: set[int] = set()
            for ent in ents:
                clashing = {value_at[i].start for i in range(ent.start, ent.end) if i in value_at}
                if not clashing:
                    keep.append(ent)
                elif ent.label_ != "DATE":
                    # an INDICATOR/LOCATION wins over a number glued to it
                    dropped |= clashing
                    keep.append(ent)
            accepted = [(v, a) for v, a in values if v.start not in dropped]
            doc.ents = filter_spans(keep + [v for v, _ in accepted])
            for span, attrs in accepted:
                doc._.value_attrs[span.start] = attrs
        return doc

    def annotate_existing(self, doc: Doc) -> Doc:
        """Fill `doc._.value_attrs` for COUNT/RATE entities set by someone else (gold spans,
        a statistical NER): kind, qualifier, counting noun, as the rules would. A value whose
        edge is a function word or punctuation ("70 pada", "sebanyak 5 kasus") is trimmed to
        its number and unit first."""
        ensure_doc_stores(doc)
        self._trim_values(doc)
        words = _unit_typos_read(_lower_words(doc))
        ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self._read_doc(doc, words, ent_at)
        previous: list[tuple[Span, dict]] = []
        for ent in doc.ents:
            if ent.label_ not in ("COUNT", "RATE") or ent.start in doc._.value_attrs:
                continue
            attrs = self._kind_attrs(doc, words, ent.start, previous)
            attrs.update(self._cell_attrs(doc, ent.start))
            q = self._qualifier(words, ent.start)
            if q:
                attrs["qualifier"] = q
            run = self._number_run(words, ent.start)
            m = self._match_at(words, ent.start + run, self.count_nouns)
            if m:
                attrs.update(self._noun_attrs(doc, words, tuple(
                    words[ent.start + run : ent.start + run + m]), ent.start + run + m))
            self._add_death_period(attrs, words, ent.start + run + m)
            doc._.value_attrs[ent.start] = attrs
            previous.append((ent, attrs))
        return doc

    def _read_doc(self, doc: Doc, words: list[str], ent_at: dict[int, Span]) -> None:
        """What the rules read of the Doc being annotated, once per call."""
        self._sents = Sentences(doc)
        self._ent_at = ent_at
        self._cells = cell_contexts(doc)
        self._words = words
        self._alpha: list[int] | None = None  # the IS_ALPHA array, read for table cells
        # where "artinya", "misalnya" ... stand: a figure after one in its sentence explains
        self._explanations = [k for k, w in enumerate(words) if w in self.explanation_cues]
        self._disowning = [k for k, w in enumerate(words) if w in self.disowning_starts
                           and self._match_at(words, k, self.disowning_cues)]

    def _explained(self, i: int) -> bool:
        """An explanation cue stands before token `i` in its sentence (`words[start:i]`
        holds one), found by bisection instead of reading the words before `i`."""
        k = bisect_left(self._explanations, i)
        return k > 0 and self._explanations[k - 1] >= self._sents.start(i)

    def _is_alpha(self, doc: Doc) -> list[int]:
        if self._alpha is None:
            self._alpha = doc.to_array(IS_ALPHA).tolist()
        return self._alpha

    @staticmethod
    def _trim_values(doc: Doc) -> None:
        ents, changed = [], False
        for ent in doc.ents:
            start, end = ent.start, ent.end
            if ent.label_ in ("COUNT", "RATE"):
                while start < end and not doc[start]._.mch_num and (
                        doc[start].is_punct or doc[start].lower_ in _EDGE_WORDS):
                    start += 1
                while end > start and (doc[end - 1].is_punct and doc[end - 1].text != "%"
                                       or doc[end - 1].lower_ in _EDGE_WORDS):
                    end -= 1
            if (start, end) != (ent.start, ent.end):
                changed = True
                if start < end:
                    ents.append(Span(doc, start, end, label=ent.label_, span_id=ent.id))
                continue
            ents.append(ent)
        if changed:
            doc.ents = ents

    def _read_value(self, doc: Doc, words: list[str], i: int, ent_at: dict[int, Span],
                    previous: list[tuple[Span, dict]]) -> tuple[Span, dict] | None:
        n = len(words)
        run = self._number_run(words, i)
        end = i + run
        text = doc[i:end].text
        if self._match_before(words, i, self.excluded_preceding):
            return None
        if self._explained(i):
            return None
        if self._other_subject(words, i, ent_at, previous) or is_section_number(doc, i):
            return None
        year_like = run == 1 and bool(_YEAR.match(text))
        qualifier = None
        gloss = self._number_gloss(words, end)
        if gloss and not year_like:
            end += gloss  # "12 (dua belas) kasus": the number spelled out in brackets
        # "800-an"
        if end + 1 < n and words[end] == "-" and words[end + 1] == "an":
            end += 2
            qualifier = "approx"
        # ranges "10-12", "10 hingga 12"
        elif end + 1 < n and words[end] in _RANGE_WORDS:
            run2 = self._number_run(words, end + 1)
            if run2 and not (year_like or _YEAR.match(doc[end + 1 : end + 1 + run2].text)):
                end = end + 1 + run2
        label = None
        unit_end = end
        # ratio "1 dari 4 (anak)"
        if end < n and words[end] == "dari":
            k = end + 1
            if k < n and words[k] in ("setiap", "tiap"):
                k += 1
            run2 = self._number_run(words, k)
            if run2 and not year_like:
                after = k + run2
                if not self._match_at(words, after, self.excluded_following):
                    label, unit_end = "RATE", after
        if label is None:
            rate_end = self._rate_unit_end(words, end)
            if rate_end:
                label, unit_end = "RATE", rate_end
        # day/month dates "27/9", "1/12/2022" (but "187/100 ribu kelahiran hidup" is a rate,
        # and "2016/112, 2017/98" a series of values under their years)
        series = self._series_value(doc, words, i, end)
        if label != "RATE" and not series and ((i > 0 and words[i - 1] == "/") or (
                end < n - 1 and words[end] == "/" and is_number_token(words[end + 1]))):
            return None
        noun = ()
        if label is None:
            m = self._match_at(words, end, self.count_nouns)
            if m and year_like and (end in ent_at or (i > 0 and words[i - 1] in _YEAR_INTRO)):
                return None  # "Pada 2021 kematian ibu ...": a year before an indicator
            if m:
                noun = tuple(words[end : end + m])
                # the noun may start an INDICATOR ("200 kematian bayi"): keep the number alone
                unit_end = end if end in ent_at else end + m
                label = "COUNT"
        points = label is None and end < n and words[end] in self.point_words and not year_like
        if points:
            label = "RATE"
        shared = None
        if label is None:
            if year_like or self._match_at(words, end, self.excluded_following) or (
                    end < n and words[end] in self.counted_words and not self._is_indicator(end)):
                return None
            if i not in self._cells:
                shared = self._shared_unit(words, end, series)
            if not (series or shared) and not self._bare_is_value(doc, words, i, end, ent_at,
                                                                  previous):
                return None
            label = shared[0] if shared else "COUNT"
            prior = _recent_values(self._sents, i, previous)
            before = self._entity_before(words, i, ent_at)
            decimal = re.search(r"\d[,.]\d{1,2}$", text)
            if i in self._cells:
                # a cell's unit comes from its table ("AKB/1000 KH", "(Persen)"), not from the
                # figures of the rows above it
                hint = self._cell_attrs(doc, i).get("unit_hint")
                label = "RATE" if hint in (PERCENT, PER_1000, PER_100000) or decimal else "COUNT"
            elif shared:
                pass
            elif prior and prior[-1].label_ == "RATE" or decimal:
                # a decimal ("38,17") is never a head count
                label = "RATE"
            elif before is not None and before.label_ == "INDICATOR" and (
                before.text.lower().startswith("angka")
                or _RATE_ABBREVIATIONS.match(before.text)
            ):
                label = "RATE"
        elif year_like and label != "COUNT":
            return None
        if any(k in ent_at and ent_at[k].label_ != "DATE" for k in range(i, end)):
            return None
        if unit_end <= end and all(w in FRACTIONS for w in words[i:end]):
            return None  # "separuh kematian ibu ...": a share of something, not a figure
        if (label == "RATE" and self._budget_share(words, unit_end)) or self._threshold(
                words, i, max(unit_end, end)):
            return None
        if self._negated(words, i, max(unit_end, end), ent_at) or self._disowned(i):
            return None
        span = Span(doc, i, max(unit_end, end), label=label)
        attrs = self._kind_attrs(doc, words, i, previous)
        attrs.update(self._cell_attrs(doc, i))
        if points:
            attrs["kind"] = "change"
            if end + 1 < n and unit_word(words[end + 1]) in ("persen", "%"):
                attrs["unit_hint"] = PERCENT
        q = self._qualifier(words, i) or qualifier
        if q:
            attrs["qualifier"] = q
        if shared:
            attrs["unit_of"] = shared[1]
        if self._match_at(words, end + len(noun), self.measured_groups) and label == "COUNT":
            # "dari 5.158 sasaran bayi": the group measured, still a value ("100 di antaranya")
            attrs["measured_group"] = True
        if noun:
            attrs.update(self._noun_attrs(doc, words, noun, end + len(noun)))
        named = _said_to_be(words, span.end, ent_at)
        if named is not None and named.ent_id_:
            # "15 adalah kematian neonatal": what the figure is said to be, whatever else the
            # sentence names
            attrs.update(indicator=named.ent_id_, own_indicator=True)
        if label == "COUNT" and "indicator" not in attrs:  # "12 kasus", "48 orang", "82 bayi"
            hint = self._death_phrase_before(doc, words, i)
            if hint:
                attrs["indicator"] = hint
        self._add_death_period(attrs, words, span.end)
        return span, attrs

    def _negated(self, words: list[str], i: int, end: int, ent_at: dict[int, Span]) -> bool:
        """The figure counts what is not: a negation before it, or one after it that denies the
        indicator it names (the lexicon's `negations`)."""
        if i > 0 and words[i - 1] in self.negations:
            return True
        for k in range(end, min(len(words), end + NEGATION_REACH)):
            named = ent_at.get(k)
            if named is not None:
                return False
            if words[k] in CLAUSE_ENDS or "\n" in words[k]:  # a table row ends its line
                return False
            if words[k] in self.negations:
                # "yang tidak mendapat ASI eksklusif", not "tidak tertolong dan kematian bayi"
                for j in range(k + 1, min(len(words), k + 1 + DENIED_VERB_WORDS + 1)):
                    if (e := ent_at.get(j)) is not None:
                        return e.label_ == "INDICATOR"
                    if words[j] in _LIST_SEPARATORS or words[j] in CLAUSE_ENDS or (
                            "\n" in words[j]):
                        return False
                return False
        return False

    def _disowned(self, i: int) -> bool:
        """A retracted or checked claim: a `disowning_cues` phrase before it in its sentence."""
        k = bisect_left(self._disowning, i)
        return k > 0 and self._disowning[k - 1] >= self._sents.start(i)

    def _budget_share(self, words: list[str], unit_end: int) -> bool:
        k = unit_end + (unit_end < len(words) and words[unit_end] == "dari")
        return k < len(words) and words[k] in self.budget_shares

    def _rate_unit_end(self, words: list[str], end: int) -> int:
        """The end of a rate's unit right after a number that ends at `end` ("persen", "per
        1.000 kelahiran hidup", "/100 ribu KH"; not the "/1" of a date "27/1"); 0 if none."""
        m = self._match_at(words, end, self.percent_words)
        if m:
            return end + m
        k = end + self._match_at(words, end, self.rate_prefix)
        m = self._match_at(words, k, self.per_words)
        run = self._number_run(words, k + m) if m else 0
        if not run:
            return 0
        after = k + m + run
        noun = self._match_at(words, after, self.denominators)
        base = parse_number(" ".join(words[k + m : after]))
        if noun or (base is not None and base.value in (100, 1000, 10_000, 100_000)):
            return after + noun
        return 0

    def _shared_unit(self, words: list[str], end: int, series: bool = False
                     ) -> tuple[str, int] | None:
        """The label and start of the figure ending the list of a bare figure that shares
        its unit: "12 dan 5 kasus", "45, 38, dan 21 kasus", "18,2 dan 21,5 persen", and for
        a value of a `series`, "2019/12, 2020/9 dan 2021/15 kasus"; None otherwise."""
        k = end
        for _ in range(SHARED_UNIT_ITEMS):
            j = k
            while j < len(words) and words[j] in _LIST_SEPARATORS:
                j += 1
            if series and j > k and j + 1 < len(words) and words[j + 1] == "/" and _YEAR.match(
                    words[j]):
                j += 2
            run = self._number_run(words, j) if j > k else 0
            if not run or (run == 1 and _YEAR.match(words[j])):
                return None
            k = j + run
            if self._rate_unit_end(words, k):
                return "RATE", j
            if self._match_at(words, k, self.count_nouns):
                return "COUNT", j
        return None

    def _death_phrase_before(self, doc: Doc, words: list[str], i: int) -> str | None:
        """The indicator of a "bayi (yang) meninggal" shortly before the count at `i`, with no
        other figure between ("jumlah bayi meninggal di Kota X sebanyak 123 orang")."""
        floor = max(self._sents.start(i), i - DEATH_PHRASE_REACH)
        for k in range(i - 1, floor - 1, -1):
            if _is_figure(words[k]) and not self._match_before(words, k, self.excluded_preceding):
                return None  # another figure between (not an age, "usia satu tahun"): the
                # phrase is not this count's
            code = self.noun_indicators.get(words[k])
            if code is not None:
                if any(_is_figure(w) for w in words[max(0, k - 2):k]):
                    return None  # "20 bayi meninggal", "5 orang balita meninggal": a figure
                    # of its own
                return self._noun_indicator(doc, words, (words[k],), k + 1)
        return None

    def _bare_is_value(self, doc: Doc, words: list[str], i: int, end: int,
                       ent_at: dict[int, Span], previous: list[tuple[Span, dict]]) -> bool:
        context = self._cells.get(i)
        if context is not None:
            return self._cell_holds_indicator(doc, context)
        sent_start = self._sents.start(i)
        has_prior = bool(previous) and previous[-1][0].start >= sent_start
        k = i
        q = self._match_before(words, k, self.qualifier_phrases)
        k -= q
        cue = self._match_before(words, k, self.bare_cues)
        if cue:
            cue_words = set(words[k - cue : k])
            if not cue_words <= _WEAK_CUES or has_prior:
                return True
            # a weak cue after a strong one: "AKI turun menjadi 156"
            cue2 = self._match_before(words, k - cue, self.bare_cues)
            if cue2 and not set(words[k - cue - cue2 : k - cue]) <= _WEAK_CUES:
                return True
        before = ent_at.get(k - 1)
        if before is not None and before.label_ in ("INDICATOR", "LOCATION"):
            return True
        # the next items of a list of named figures: "Puskesmas Daruba 1 kasus, Sangowo 1, Sopi
        # 3, dan Posi-posi 1" (names no gazetteer holds)
        if has_prior:
            name = _name_before(doc, k)
            prior = previous[-1][0].start
            if 0 < name < k and words[name - 1] in _LIST_SEPARATORS and (
                    _name_before(doc, prior) < prior):
                return True
        # a series by year: "6,5 per 1.000 pada 2019, tahun 2020 5,9 dan tahun 2021 5,2"
        if before is not None and before.label_ == "DATE" and (
                has_prior or self._elliptic_series(doc, before, end, previous)):
            return True
        # "24 adalah kematian neonatal": the figure an indicator is said to be
        if _said_to_be(words, end, ent_at) is not None:
            return True
        # table rows "Kab. Kudus: 119,5"
        if k > 1 and words[k - 1] in (":", "|", "=", "\t") and ent_at.get(k - 2) is not None and (
                ent_at[k - 2].label_ == "LOCATION"):
            return True
        # "Samarinda (6)": a count in brackets after a name
        if k > 1 and words[k - 1] == "(" and end < len(words) and words[end] == ")":
            prev = ent_at.get(k - 2)
            return prev is not None and prev.label_ == "LOCATION"
        # "lalu 83 pada 2023": a number followed by its year
        if end + 1 < len(words) and words[end] in ("pada", "tahun", "di"):
            nxt = ent_at.get(end + 1) or ent_at.get(end + 2)
            return nxt is not None and nxt.label_ == "DATE" and has_prior
        return False

    def _elliptic_series(self, doc: Doc, date: Span, end: int,
                         previous: list[tuple[Span, dict]]) -> bool:
        """A sentence of a period and a bare figure only, right after a sentence with a figure:
        "Tahun lalu kami mencatat lima kematian ibu. Tahun sebelumnya tujuh."""
        start = self._sents.start(date.start)
        if date.start != start or not previous or end >= len(doc) or not (
                doc[end].is_punct and doc[end].text in ".;"):
            return False
        prior = previous[-1][0]
        return prior.end <= start and self._sents.start(prior.start) == self._sents.start(
            start - 1)

    def _entity_before(self, words: list[str], i: int, ent_at: dict[int, Span]) -> Span | None:
        """The entity right before a bare figure, or the one before the cue words between
        them ("AKI turun menjadi 156": AKI)."""
        k = i
        for _ in range(2):
            cue = self._match_before(words, k, self.bare_cues)
            if not cue:
                break
            k -= cue
        return ent_at.get(k - 1) if k > self._sents.start(i) else None

    def _series_value(self, doc: Doc, words: list[str], i: int, end: int) -> bool:
        """A number written after its year with a slash or a colon ("2016/112, 2017/98",
        "2019: 14 kasus, 2020: 11"), or after its month in a list of months ("Januari 3,
        Februari 5, Maret 2"), in a sentence (or just after one) that names an indicator: one
        value of a series."""
        if _YEAR.match(words[i]) or (end < len(words) - 1 and words[end] == "/"):
            return False
        if not (i >= 2 and words[i - 1] in ("/", ":") and _YEAR.match(words[i - 2])) and not (
                _month_item(words, i) and any(
                    _month_item(words, k) for k in range(max(0, i - MONTH_REACH),
                                                         min(len(words), i + MONTH_REACH))
                    if k != i)):
            return False
        floor = self._sents.starts[max(0, self._sents.index(i) - 1)]
        return any(self._ent_at.get(k) is not None and self._ent_at[k].label_ == "INDICATOR"
                   for k in range(floor, i))

    def _other_subject(self, words: list[str], i: int, ent_at: dict[int, Span],
                       previous: list[tuple[Span, dict]]) -> bool:
        """True when a non-indicator subject ("angka kelahirannya") stands between the value
        and the last indicator or value before it, within a few words (the words of a value
        just read, "6,5 per 1.000 kelahiran hidup, tahun 2020 5,9", are no subject; nor is
        one ranked by a superlative, "kabupaten dengan penduduk terbesar di Sulbar, tercatat 9
        kematian ibu"). A name counts as one word ("Jumlah kelahiran hidup pada periode yang
        sama sebanyak 4.912 bayi")."""
        floor = max(self._sents.start(i), self._words_back(i, SUBJECT_WORDS),
                    previous[-1][0].end if previous else 0)
        for k in range(i - 1, floor - 1, -1):
            ent = ent_at.get(k)
            if ent is not None:
                if ent.label_ in ("INDICATOR", "COUNT", "RATE"):
                    return False
                continue  # words inside a date or place ("Sensus Penduduk 2010") are no subject
            n = self._match_at(words, k, self.other_subjects)
            # not "bayi meninggal", "sasaran penurunan" (an aim), "412 posyandu, tercatat ..."
            after = words[k + n] if k + n < len(words) else ""
            if n and after not in self.superlatives and after not in self.change_nouns and not (
                    self._match_at(words, k + n, self.death_verbs) or _is_figure(words[k - 1])):
                return True
        return False

    def _qualifier(self, words: list[str], i: int) -> str | None:
        n = self._match_before(words, i, self.qualifier_phrases)
        return self.qualifiers[tuple(words[i - n : i])] if n else None

    def _add_death_period(self, attrs: dict, words: list[str], after: int) -> None:
        if not attrs.get("own_indicator"):
            period = self._happened_in_period(words, after)
            if period:
                attrs["death_period"] = period

    def _happened_in_period(self, words: list[str], k: int) -> dict[str, str] | None:
        """{base indicator: period indicator} when the deaths a figure counts are said to have
        happened in an age period ("34 kasus terjadi pada usia 0-28 hari", "29 di antaranya
        terjadi pada masa neonatal", "49 kasus, terjadi pada masa neonatal"): whatever deaths
        the figure links to, they are that period's."""
        while k < len(words) and words[k] in (",", "di", "antaranya", "yang", "telah", "sudah"):
            k += 1
        if k >= len(words) or words[k] != "terjadi":
            return None
        for j in range(k + 1, min(len(words), k + 1 + PERIOD_REACH)):
            if words[j] in CLAUSE_ENDS:
                break
            for base, phrases in self.period_phrases.items():
                n = self._match_at(words, j, phrases)
                if n:
                    return {base: self.period_codes[base][tuple(words[j:j + n])]}
        return None

    def _noun_attrs(self, doc: Doc, words: list[str], noun: Phrase, after: int) -> dict:
        """What the counted noun of a figure, ending at `after`, says of it."""
        attrs: dict = {"noun": " ".join(noun)}
        hint = self._noun_indicator(doc, words, noun, after)
        if hint:
            attrs["indicator"] = attrs["deaths_of"] = hint
            if hint != self.noun_indicators.get(noun[-1]):
                # its own phrase names the deaths' period: no nearby indicator overrides it
                attrs["own_indicator"] = True
        elif condition := self._condition_indicator(words, noun, after):
            # "120 ibu hamil yang diperiksa mengalami anemia": a group in a condition
            attrs.update(indicator=condition, own_indicator=True, measured_group=False)
        if noun in self.weak_nouns:
            attrs["weak_unit"] = True
        return attrs

    def _noun_indicator(self, doc: Doc, words: list[str], noun: Phrase, after: int
                        ) -> str | None:
        code = self.noun_indicators.get(noun[-1])
        if code is None:
            return None
        k = after
        if k < len(words) and words[k] == "di":  # "606 bayi di Pulau Dewata meninggal"
            place = k + 1
            while place < len(words) and place - k <= PLACE_TOKENS and (
                    doc[place].text[:1].isupper()):
                place += 1
            if place > k + 1:
                k = place
        if k < len(words) and words[k] in ("yang", "telah", "sudah"):
            k += 1
        verb = self._match_at(words, k, self.death_verbs)
        if not verb:
            return None
        # "301 bayi meninggal pada masa neonatal": the phrase names the deaths' age period
        periods = self.period_phrases.get(code)
        for j in range(k + verb, min(len(words), k + verb + PERIOD_REACH) if periods else 0):
            if words[j] in CLAUSE_ENDS:
                break
            n = self._match_at(words, j, periods)
            if n:
                return self.period_codes[code][tuple(words[j:j + n])]
        return code


def _month_item(words: list[str], i: int) -> bool:
    """A number written after a month name, as an item of a list of months ("Januari 3",
    "Feb: 5"); not a year ("Januari 2024")."""
    k = i - 1 - (i >= 1 and words[i - 1] == ":")
    return (k >= 0 and words[k] in MONTHS and is_number_token(words[i])
            and not _YEAR.match(words[i]))
