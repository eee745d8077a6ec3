"""Lists that distribute figures over areas or years.

- "Kota Magelang dan Kota Solo, masing-masing satu kasus", "Paser serta Kutai Barat
  masing-masing (2)": one value for every member of a coordinated list ("distributed");
- "Sulawesi Tenggara, NTT dan Bengkulu ... masing-masing 72,44%, 72,35% dan 72,16%", "pada
  2020, 2021 dan 2022 berturut-turut 25, 31 dan 19 kasus": as many values as members, paired
  in order ("respective");
- "Samarinda (6), Kutai Timur (5)": a value in brackets right after the name it belongs to;
- "2016/112, 2017/98": a series of values, each after its year and a slash.

The readers work on entities and tokens, not on any one wording of a document; the linker
takes their pairings as candidates and features, and the fact view gives a distributed value
one fact per member.
"""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span

from .memo import entities, per_doc
from .words import positions_of

VALUE_LABELS = ("COUNT", "RATE")
MEMBER_LABELS = ("LOCATION", "DATE", "INDICATOR")  # "ASI eksklusif dan IDL masing-masing ..."
JOINERS = {",", "dan", "serta", "&", "maupun", "atau"}
LIST_OPENERS_AFTER = frozenset({"di", "yaitu", "yakni", ":"})  # "... satu kasus di A, B"
EACH = ("masing-masing", "masing", "tiap-tiap", "setiap")
# one-word "respectively": "masing-masing", "berturut-turut", "(secara) berurutan"
EACH_ONE_WORD = frozenset({"masing-masing", "masing2", "berturut-turut", "berurutan",
                           "sama-sama"})  # "Pidie dan Bireuen sama-sama mencatat 14 kasus"
EACH_WORDS = EACH_ONE_WORD | {"masing"}  # the words a "masing-masing" starts with
CLAUSE_REACH = 30  # tokens from the list to "masing-masing"
RANGE_AFTER = 2  # tokens from a run of values to the span of years it is given over


def _coordinated(ents: list[Span], end: int, doc: Doc, label: str) -> list[Span]:
    """The run of `label` entities ending last at or before token `end` whose members are
    joined only by commas and conjunctions ("A, B dan C"); [] for fewer than two."""
    before = [e for e in ents if e.end <= end and e.label_ == label]
    if not before:
        return []
    run = [before[-1]]
    for ent in reversed(before[:-1]):
        gap = doc[ent.end : run[0].start]
        if not len(gap) or not all(t.lower_ in JOINERS or t.is_space for t in gap):
            break
        run.insert(0, ent)
    return run if len(run) >= 2 else []


def _coordinated_after(ents: list[Span], start: int, doc: Doc, label: str) -> list[Span]:
    """The run of `label` entities joined by commas and conjunctions that opens at token
    `start`, past a "di" ("masing-masing satu kasus di A, B dan C"); [] for fewer than
    two."""
    if start < len(doc) and doc[start].lower_ in LIST_OPENERS_AFTER:
        start += 1
    run: list[Span] = []
    for ent in ents:
        if ent.start < start:
            continue
        gap = doc[run[-1].end if run else start : ent.start]
        if ent.label_ != label or (len(gap) and not all(
                t.lower_ in JOINERS or t.is_space for t in gap)):
            break
        run.append(ent)
    return run if len(run) >= 2 else []


def _each_at(doc: Doc, i: int) -> int:
    """Length of a "masing-masing" expression starting at token i (0 when there is none)."""
    text = doc[i].lower_
    if text in EACH_ONE_WORD:
        return 1
    if text == "masing" and i + 2 < len(doc) and doc[i + 1].text == "-" and (
            doc[i + 2].lower_ == "masing"):
        return 3
    return 0


def _each_words(doc: Doc) -> list[int]:
    """The tokens that may start a "masing-masing" expression, from the LOWER array (a
    Token object per token costs more than the whole rest of the reader)."""
    return positions_of(doc.to_array(LOWER).tolist(), EACH_WORDS)


@per_doc
def distributions(doc: Doc) -> dict[int, dict]:
    """value token start -> {"members": [member spans], "mode": "distributed" | "respective"}
    for the values a "masing-masing" spreads over a coordinated list of areas, years or
    indicators."""
    out: dict[int, dict] = {}
    starts = _each_words(doc) if len(doc) else []
    if not starts:
        return out
    ents = list(entities(doc))
    values = [e for e in ents if e.label_ in VALUE_LABELS]
    free = 0  # the first token after the last expression read
    for i in starts:
        n = _each_at(doc, i) if i >= free else 0
        if not n:
            continue
        # the list before "masing-masing", in its clause: areas, else years, else indicators
        members: list[Span] = []
        for label in MEMBER_LABELS:
            run_before = _coordinated(ents, i, doc, label)
            if run_before and i - run_before[-1].end <= CLAUSE_REACH and not any(
                    v.start >= run_before[0].start and v.end <= i for v in values):
                members = run_before  # (values in between own their names: no list)
                break
        # the values after it: a run joined by commas and conjunctions
        after = [v for v in values if v.start >= i + n]
        run: list[Span] = []
        for v in after:
            gap = doc[(run[-1].end if run else i + n) : v.start]
            if len(gap) > 4 or any(t.is_sent_start for t in doc[i + n : v.start + 1]):
                break
            if run and not all(t.lower_ in JOINERS or t.is_space for t in gap):
                break
            run.append(v)
        placed = False
        if not members and len(run) == 1:
            # "masing-masing satu kasus di Simpang Mamplam, Pandrah dan Jeumpa"
            members = _coordinated_after(ents, run[0].end, doc, "LOCATION")
            placed = bool(members)
        if members and run:
            if len(run) == 1:
                out[run[0].start] = {"members": members, "mode": "distributed"}
                if placed:
                    out[run[0].start]["placed"] = True
            elif len(run) == len(members):
                for v, member in zip(run, members):
                    out[v.start] = {"members": [member], "mode": "respective"}
        elif len(run) > 1:
            # "tahun 2019 hingga 2023 ... berturut-turut 120, 98, 110, 87 dan 75 kasus": a
            # span of as many years as values, one year per value in order
            years = _year_range_near(ents, i, run[-1].end, len(run))
            if years is not None:
                for k, v in enumerate(run):
                    out[v.start] = {"members": [years[0]], "mode": "respective",
                                    "year": years[1] + k}
        free = i + n
    return out


def _year_range_near(ents: list[Span], i: int, after: int, n_values: int
                     ) -> tuple[Span, int] | None:
    """The DATE right before token `i` in reach, else the one right after the values that end
    at `after` ("berturut-turut 23, 19 dan 17 kasus pada 2021 hingga 2023"), that spans
    exactly `n_values` whole years ("2019-2023", "tahun 2019 hingga 2023"), with its first
    year; else None."""
    from ..knowledge.dates import read_date

    dates = [e for e in ents if e.label_ == "DATE" and e.end <= i and i - e.end <= CLAUSE_REACH]
    later = [e for e in ents if e.label_ == "DATE" and after <= e.start <= after + RANGE_AFTER]
    for date in (*dates[-1:], *later[:1]):
        reading = read_date(date.text)
        first, last = reading.period_start or "", reading.period_end or ""
        if (len(first) == len(last) == 4 and first.isdigit() and last.isdigit()
                and int(last) - int(first) + 1 == n_values):
            return date, int(first)
    return None


def respective_member(spread: dict[int, dict], value_start: int) -> Span | None:
    """The list member a value is paired with in order ("respective"), from `distributions`."""
    listed = spread.get(value_start)
    return listed["members"][0] if listed is not None and listed["mode"] == "respective" else None


def placed_member(spread: dict[int, dict], value_start: int) -> Span | None:
    """The first area of the list a distributed value is placed in ("masing-masing satu
    kasus di A, B dan C"), from `distributions`: the value's areas, whatever else is near."""
    listed = spread.get(value_start)
    return listed["members"][0] if listed is not None and listed.get("placed") else None


def bracket_owner(doc: Doc, value: Span) -> Span | None:
    """The entity a bracketed value belongs to: "Samarinda (6)" -> Samarinda."""
    if value.start < 2 or doc[value.start - 1].text != "(" or value.end >= len(doc) or (
            doc[value.end].text != ")"):
        return None
    prev = doc[value.start - 2]
    if prev.ent_type_ in MEMBER_LABELS:
        for ent in entities(doc):
            if ent.start <= prev.i < ent.end:
                return ent
    return None


def series_year(doc: Doc, value: Span) -> Span | None:
    """The year a series value is written after: "2016/112", "(2023: 9 kasus)" -> the year."""
    if value.start < 2 or doc[value.start - 1].text not in ("/", ":"):
        return None
    prev = doc[value.start - 2]
    if prev.ent_type_ != "DATE":
        return None
    for ent in entities(doc):
        if ent.start <= prev.i < ent.end:
            return ent
    return None
