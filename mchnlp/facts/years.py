"""The year and period of a value from its linked DATE: relative years, years counted from
the one named before, and the sides of a "dari X menjadi Y" comparison."""


from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Span

from ..knowledge.dates import TimeReading, anaphoric_year_offset, is_present, read_date
from ..structure.layout import Sentences
from ..structure.periods import figure_dated_by
from ..structure.scope import introduced_by_comparison
from .unit_rules import _conventions

COMPARISON_REACH = 8  # tokens from "dari X" to its "menjadi Y"
SAME_PERIOD_REACH = 6  # tokens between a figure and "pada periode yang sama"
FRONTING_WORDS = {"pada", "di", "dalam", "selama"}  # "Pada periode yang sama, ..." opens a sentence
# "periode yang sama" beside a figure is the story's period, opening a sentence the period of
# the figure just before; "tahun yang sama" is mostly the year just named
PERIOD_NOUNS = {"periode", "kurun"}
COMPARED_FIGURE_REACH = 3  # tokens from a compared period to its figure ("... sebanyak 71")
HABITUAL_REACH = 6  # tokens between a figure and its "setiap tahun"
EVERY_WORDS = {"setiap", "tiap", "per", "tiap-tiap"}
YEAR_WORDS = {"tahun", "tahunnya"}
HABITUAL_WORDS = {"pertahun", "setahunnya"}


def _year_before(date: Span, sents: Sentences, published) -> int | None:
    """The year of the last dated expression before `date`, in its sentence or the one before."""
    floor = sents.starts[max(0, sents.index(date.start) - 1)]
    for ent in reversed(date.doc.ents):
        if ent.label_ != "DATE" or ent.end > date.start:
            continue
        if ent.start < floor:
            return None
        text = ent.text
        if anaphoric_year_offset(text) is None:
            year = read_date(text, published).year
            if year is not None:
                return year
    return None


def _year_of(value: Span, date: Span, sents: Sentences, published
             ) -> tuple[int | None, tuple | None, bool]:
    """(year, period, read directly) of a value linked to a DATE span. Not read directly: a
    year counted from the one named before ("tahun sebelumnya"), a side of a comparison
    under a two-year period, or the present ("saat ini"); such years are not carried to
    later undated figures."""
    text = date.text  # `Span.text` is built anew at each access
    reading = read_date(text, published)
    offset = anaphoric_year_offset(text)
    if offset:
        before = date.doc[date.start - 1] if date.start > 0 else None
        if before is not None and (before.like_num or before._.mch_num):
            return None, None, False  # "dua tahun sebelumnya" is not "tahun sebelumnya"
        anchor = _year_before(date, sents, published)
        if anchor is not None:  # "24,1 persen pada 2023, dari 29,8 persen tahun sebelumnya"
            year = anchor + offset
            return year, (str(year), str(year)), False
        return reading.year, _period(reading), False
    period = _period(reading)
    if reading.year is None and period is not None:
        return _comparison_year(value, period, sents), period, False
    return reading.year, period, reading.year is not None and not is_present(text)


def _period(reading: TimeReading) -> tuple | None:
    if reading.period_start or reading.period_end:
        return reading.period_start, reading.period_end
    return None


def _comparison_year(value: Span, period: tuple, sents: Sentences) -> int | None:
    """The year of one side of "dari 30% menjadi 24,6%" under a two-year period ("2021-2022"):
    the start year for the figure it changed from, the end year for the one it changed to."""
    start, end = (p[:4] if p else "" for p in period)
    if not (start.isdigit() and end.isdigit()) or int(end) - int(start) != 1:
        return None
    conventions = _conventions()
    from_words, to_words = conventions.comparison_from, conventions.comparison_to
    doc = value.doc
    before = [t.lower_ for t in doc[max(0, value.start - 3):value.start] if not t.is_punct]
    after = doc[value.end].lower_ if value.end < len(doc) else ""
    if before and before[-1] in to_words:
        return int(end)
    # "dari 30% menjadi 24,6%", "(29,5% menjadi 34,6%)"; not the partitive "dari 30 kasus
    # kematian bayi, 12 kasus disebabkan asfiksia"
    sent_end = sents.ends[sents.index(value.start)]
    ahead = {t.lower_ for t in doc[value.end:min(sent_end, value.end + COMPARISON_REACH)]}
    if (before and before[-1] in from_words and ahead & to_words) or after in to_words:
        return int(start)
    return None


def dates_an_observed_figure(value: Span, date: Span, sents: Sentences) -> bool:
    """True when `date` is the period of another, observed figure right before it in the
    sentence of `value` ("AKB sebesar 18 per 1.000 KH pada 2023, masih di atas target
    nasional 16 per 1.000 KH"): a target beside that figure is not of its year. A year
    carried from earlier sentences still frames a target ("... pada tahun 2022. Berikut
    rinciannya: Sitaro capaiannya 14,4 persen dari target 17,98 persen")."""
    if sents.index(date.start) != sents.index(value.start):
        return False
    owner = figure_dated_by(date)
    if owner is None or owner == value.start:
        return False
    return (value.doc._.value_attrs or {}).get(owner, {}).get("kind", "observed") != "target"


def starts_a_change(value: Span, sents: Sentences) -> bool:
    """`value` is what a change starts from: "dari 24,8 persen menjadi 19,2 persen",
    "semula 30 persen turun ke 24,6 persen", "Kabupaten Kupang 24,6 persen turun ke 24,1"."""
    conventions = _conventions()
    doc = value.doc
    sent_end = sents.ends[sents.index(value.start)]
    ahead = doc[value.end:min(sent_end, value.end + 3)]
    words = [t.lower_ for t in ahead]
    to_at = next((n for n, w in enumerate(words) if w in conventions.comparison_to), None)
    if to_at is None:
        return False
    if (doc._.value_attrs or {}).get(value.start, {}).get("kind") == "change":
        return False  # the amount of a change: "turun 6,4 persen menjadi 19,7 persen"
    after = value.end + to_at + 1
    # the change goes to a figure ("menjadi 19,2 persen", "ke 24,1"), not a place or a time
    if after >= sent_end or not (doc[after].ent_type_ in ("COUNT", "RATE") or doc[after].like_num):
        return False
    # at most two plain words between ("turun ke"): no entity
    return not any(doc[value.end + n].ent_type_ for n in range(to_at))


def named_years(doc: Doc, published) -> list[tuple[int, int]]:
    """(token start, year) of the document's DATE entities that name a year themselves (not
    "tahun sebelumnya"), in text order: read once per document."""
    named = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        text = ent.text
        if anaphoric_year_offset(text) is None:
            year = read_date(text, published).year
            if year is not None:
                named.append((ent.start, year))
    return named


def change_start_year(value: Span, date: Span, year: int | None, sents: Sentences,
                      named: Callable[[], list[tuple[int, int]]]) -> int | None:
    """The year of a figure a change starts from, when its linked period is the period the
    change ends in ("Prevalensi stunting 2022 ... dibandingkan 2021: Jawa Timur dari 24,8 persen
    menjadi 19,2 persen"): the nearest earlier year the text named before it (a list of changes
    may run for many lines under the sentence that names both years; `named` gives
    `named_years`, read only when a figure starts a change). None when the text names none,
    or when the period is the figure's own ("dari 24,4% pada 2021 menjadi 21,6%")."""
    # the rarer answer first: few figures start a change, most are not what their period dates
    if year is None or not starts_a_change(value, sents) or figure_dated_by(date) == value.start:
        return None
    years = named()
    for k in range(bisect_left(years, (value.start, -1)) - 1, -1, -1):
        if years[k][1] < year:
            return years[k][1]
    return None


def dates_a_compared_figure(value: Span, date: Span) -> bool:
    """`date` stands after `value`, a comparison word introduces it, and the figure compared
    follows it ("58 kematian bayi, lebih rendah dibanding periode yang sama tahun lalu
    sebanyak 71 kasus"): it is that figure's period, not `value`'s."""
    doc = value.doc
    if date.start < value.end or not introduced_by_comparison(date):
        return False
    for token in doc[date.end:date.end + COMPARED_FIGURE_REACH]:
        if token.is_punct or token.ent_type_:
            return token.ent_type_ in ("COUNT", "RATE")
    return False


def said_of_every_year(value: Span, sents: Sentences) -> bool:
    """`value` is said of every year ("kematian bayi di Indonesia setiap tahun mencapai
    34.000 kasus", "bertambah 20 persen setiap tahunnya"): no one year is its period."""
    doc = value.doc
    k = sents.index(value.start)
    start = max(sents.starts[k], value.start - HABITUAL_REACH)
    end = min(sents.ends[k], value.end + HABITUAL_REACH)
    words = [t.lower_ for t in doc[start:end]]
    return any(w in HABITUAL_WORDS or (w in EVERY_WORDS and nxt in YEAR_WORDS)
               for w, nxt in zip(words, words[1:] + [""]))


def in_the_same_period(value: Span, sents: Sentences) -> bool:
    """`value` is said to be of "the same period" ("52 kasus pada periode yang sama", "Kematian
    ibu pada periode yang sama tercatat tujuh kasus") with no period after it ("periode yang
    sama tahun lalu" names its own): the story's period, not the one named last."""
    doc = value.doc
    k = sents.index(value.start)
    start = max(sents.starts[k], value.start - SAME_PERIOD_REACH)
    end = min(sents.ends[k], value.end + SAME_PERIOD_REACH)
    for i in range(start + 2, end - 1):
        if doc[i].lower_ == "yang" and doc[i + 1].lower_ == "sama" and (
                doc[i - 1].lower_ in PERIOD_NOUNS):
            after = i + 2
            if after < len(doc) and doc[after].ent_type_ == "DATE":
                return False
            lo, hi = (after, value.start) if after <= value.start else (value.end, i - 1)
            return not any(t.text in (",", ";", ":") for t in doc[lo:hi])
    return False


def opens_with_the_same_period(value: Span, sents: Sentences) -> bool:
    """`value`'s sentence opens with "Pada periode yang sama," and names no period before it:
    the period of the figure stated just before ("... menjadi 4 kasus hingga Oktober 2023.
    Pada periode yang sama, cakupan K4 mencapai 82,6 persen")."""
    doc = value.doc
    s = sents.starts[sents.index(value.start)]
    return (s + 4 < value.start and doc[s].lower_ in FRONTING_WORDS
            and doc[s + 1].lower_ in PERIOD_NOUNS and doc[s + 2].lower_ == "yang"
            and doc[s + 3].lower_ == "sama"
            and not any(t.ent_type_ == "DATE" for t in doc[s + 4:value.start]))


def reached_by_comparison(value: Span) -> bool:
    """A word that ends a comparison stands right before `value` ("..., menjadi 172 kasus")."""
    doc = value.doc
    before = [t.lower_ for t in doc[max(0, value.start - 2):value.start] if not t.is_punct]
    return bool(before) and before[-1] in _conventions().comparison_to


def own_period_before(value: Span, sents: Sentences, published) -> int | None:
    """The year of the last period before `value` in its sentence that is no side of a
    comparison and no year counted from another ("Pada 2023, ... dibanding tahun
    sebelumnya")."""
    start = sents.starts[sents.index(value.start)]
    for ent in reversed(value.doc.ents):
        if ent.end > value.start or ent.label_ != "DATE":
            continue
        if ent.start < start:
            return None
        text = ent.text
        if introduced_by_comparison(ent) or anaphoric_year_offset(text) is not None:
            continue
        year = read_date(text, published).year
        if year is not None:
            return year
    return None
