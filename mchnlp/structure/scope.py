"""The scope words around a figure: the national survey, plan or agency that makes a figure
national without naming Indonesia, and the ranking or comparison words that make an area the
set a figure is ranked in or the other side of a comparison, not the figure's own area.

The word lists are package data (`knowledge/data/attribution_cues.json`)."""


from __future__ import annotations

from functools import lru_cache

from spacy.attrs import ENT_TYPE, LOWER
from spacy.tokens import Doc, Span

from ..knowledge import resources
from .memo import per_doc
from .words import Phrases, positions_of

NATIONAL_CUE = "national_scope"  # kb_id prefix of a national cue span: "national_scope:survey"
CUE_REACH = 3  # tokens between a ranking or comparison word and the area it governs
COORDINATION_REACH = 10  # tokens back from "dan <area>" to the area it is coordinated with
COORDINATORS = {"dan", "serta", "maupun", "atau"}  # not a comma: it also ends a clause


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], Phrases, Phrases,
                        Phrases, Phrases]:
    """(first word -> [(phrase words, kind)], ranking words, ranking links, comparison words,
    survey names), longest phrases first."""
    cues = resources.attribution_cues()
    national: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for kind, phrases in cues["national_scope"].items():
        for phrase in phrases:
            words = tuple(phrase.split())
            national.setdefault(words[0], []).append((words, kind))
    for entries in national.values():
        entries.sort(key=lambda entry: -len(entry[0]))

    def split(key: str) -> Phrases:
        return Phrases(tuple(p.split()) for p in cues[key])

    surveys = Phrases(tuple(p.split()) for p in cues["national_scope"]["survey"])
    return (national, split("ranking_words"), split("ranking_links"), split("comparison_words"),
            surveys)


@lru_cache(maxsize=1)
def _ranking_ordinals() -> frozenset[str]:
    return frozenset(resources.attribution_cues()["ranking_ordinals"])


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The words a national cue phrase starts with."""
    return frozenset(_phrases()[0])


def national_cues(doc: Doc) -> list[Span]:
    """The national surveys, plans and agencies named in `doc` outside its entities, as spans
    labelled LOCATION with kb_id "national_scope:<kind>" (survey, plan, agency)."""
    national = _phrases()[0]
    strings = doc.vocab.strings
    lower = doc.to_array(LOWER).tolist()
    # only the tokens that start a phrase are tried, and only their phrases' words are read
    # as strings
    starts = positions_of(lower, _first_words())
    if not starts:
        return []
    in_entity = doc.to_array(ENT_TYPE).tolist()  # 0 outside an entity
    cues = []
    end = 0
    for i in starts:
        if i < end:
            continue  # inside the cue found before
        match = next(((words, kind) for words, kind in national[strings[lower[i]]]
                      if tuple(strings[h] for h in lower[i:i + len(words)]) == words), None)
        if match is None or any(in_entity[i:i + len(match[0])]):
            continue
        end = i + len(match[0])
        cues.append(Span(doc, i, end, label="LOCATION", kb_id=f"{NATIONAL_CUE}:{match[1]}"))
    return cues


PLAN_REACH = 6  # tokens from a national plan's name to the target it sets


@per_doc  # asked by both linkers
def plan_targets(doc: Doc) -> dict[int, Span]:
    """Value start -> the national plan that sets it: a target at most PLAN_REACH tokens after
    a plan's name in its sentence, no area named between ("AKI Kendari masih di bawah target
    RPJMN 2024 sebesar 183 per 100.000 KH": the plan's target is national, whatever area the
    sentence names before it)."""
    plans = [cue for cue in national_cues(doc) if cue.kb_id_.endswith(":plan")]
    if not plans:
        return {}
    attrs = doc._.value_attrs or {}
    out: dict[int, Span] = {}
    for value in doc.ents:
        if value.label_ not in ("COUNT", "RATE") or (
                attrs.get(value.start, {}).get("kind") != "target"):
            continue
        for plan in plans:
            between = doc[plan.end : value.start]
            if plan.end <= value.start <= plan.end + PLAN_REACH and not any(
                    t.is_sent_start or t.ent_type_ == "LOCATION" for t in between):
                out[value.start] = plan
    return out


@lru_cache(maxsize=1)
def one_word_comparisons() -> frozenset[str]:
    """The comparison words of one word ("dibanding", "daripada")."""
    return frozenset(w for w in resources.attribution_cues()["comparison_words"] if " " not in w)


# "pada periode yang sama tahun lalu": the period right after these words is the one compared
SAME_PERIOD = ("yang", "sama")


def introduced_by_comparison(span: Span, reach: int = 1) -> bool:
    """A one-word comparison word stands at most `reach` words before `span` ("dibanding
    2022", "dibanding hasil SSGI 2022"), or `span` follows "yang sama" ("pada pengukuran yang
    sama tahun lalu"): the span is the other side of a comparison."""
    doc = span.doc
    words = one_word_comparisons()
    if span.start >= 2 and (doc[span.start - 2].lower_, doc[span.start - 1].lower_) == (
            SAME_PERIOD):
        return True
    return any(t.lower_ in words for t in doc[max(0, span.start - reach):span.start])


@lru_cache(maxsize=1)
def _area_anaphora() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                             dict[str, tuple[str, ...]]]:
    cues = resources.attribution_cues()["area_anaphora"]
    return (frozenset(cues["nouns"]), frozenset(cues["demonstratives"]),
            frozenset(cues["words"]), frozenset(cues.get("government", ())),
            {office.split()[-1]: tuple(office.split()[:-1])
             for office in cues.get("offices", ())})  # last word -> the words before it


# words between a level noun and its demonstrative ("di kecamatan paling barat itu",
# "kecamatan yang dilalui jalur trans-Sulawesi itu")
MODIFIER_REACH = 6
LEVEL_NOUNS = frozenset({"kabupaten", "kota", "provinsi", "kecamatan", "desa", "kelurahan"})


@per_doc  # asked per figure by the rule linker
def area_anaphora(doc: Doc) -> list[int]:
    """The tokens that point back to a local area without naming it: an area noun with a
    demonstrative ("di kabupaten itu", "daerah ini"), a level noun whose demonstrative
    follows its modifiers ("di kecamatan paling barat itu"), "setempat", or a government or
    office named by its level alone ("pemerintah provinsi menargetkan ...", "Dinas Kesehatan
    provinsi mencatat ...")."""
    nouns, demonstratives, words, government, offices = _area_anaphora()
    lower = doc.to_array(LOWER).tolist()
    strings = doc.vocab.strings
    found = [i for i in positions_of(lower, nouns | words) if strings[lower[i]] in words or (
        i + 1 < len(doc) and strings[lower[i + 1]] in demonstratives) or (
        strings[lower[i]] in LEVEL_NOUNS and _modified_demonstrative(doc, i, demonstratives)
        is not None)]
    # a government named by its level alone: "pemerintah provinsi menargetkan", "Pemkab
    # menganggarkan" (not "Pemkab Kolaka", not "pemerintah pusat")
    for i in positions_of(lower, government | frozenset(offices)):
        word = strings[lower[i]]
        noun = i + 1 if word in offices else i
        before = offices.get(word, ())
        if before and (i < len(before) or [t.lower_ for t in doc[i - len(before):i]] != list(
                before)):
            continue  # "Profil Kesehatan Kabupaten/Kota" names no office
        if noun < len(doc) and (noun == i or strings[lower[noun]] in (
                nouns if word == "pemerintah" else LEVEL_NOUNS)) and not (
                noun + 1 < len(doc) and (doc[noun + 1].is_title or doc[noun + 1].ent_type)):
            found.append(noun)
    return sorted(set(found))


def _modified_demonstrative(doc: Doc, noun: int, demonstratives: frozenset[str]) -> int | None:
    """The demonstrative closing the modifiers of the level noun at `noun` (right after it
    when it has none), if the words between are plain words (no punctuation but a hyphen, no
    entity, no number)."""
    for k in range(noun + 1, min(len(doc), noun + 2 + MODIFIER_REACH)):
        token = doc[k]
        if token.lower_ in demonstratives:
            return k
        if (token.is_punct and token.text != "-") or token.ent_type or token.like_num or (
                token.is_space):
            return None
    return None


def is_national_cue(span: Span) -> bool:
    """Whether `span` is a national cue of `national_cues` (not an entity)."""
    return span.kb_id_.startswith(NATIONAL_CUE)


def area_role(area: Span) -> str | None:
    """"source" when `area` ends the name of a national survey ("Survei Status Gizi
    Indonesia"), "ranking" when `area` follows a superlative and its link word ("paling tinggi di
    Provinsi X", "terendah di antara Kabupaten ..."), "comparison" when it follows a comparison word
    within a few tokens ("dibandingkan Provinsi Maluku", "di bawah provinsi Maluku"), else
    None. An area coordinated with such an area takes its role ("di bawah Provinsi Maluku
    yang sebesar 256 dan nasional 228"). Only words of the area's own sentence count."""
    _, ranking, links, comparison, surveys = _phrases()
    doc = area.doc
    start = area.start
    while start > 0 and not doc[start].is_sent_start and area.start - start < CUE_REACH + 2:
        start -= 1
    words = [t.lower_ for t in doc[start:area.start]]
    if not words:
        return None
    if surveys.longest_ending(words):
        return "source"
    link = links.longest_ending(words)
    if link:
        ranked = words[:len(words) - link]
        while ranked and ranked[-1] in _ranking_ordinals():  # "tertinggi ketiga secara nasional"
            ranked = ranked[:-1]
        if ranking.longest_ending(ranked):
            return "ranking"
    for cut in range(len(words), max(0, len(words) - CUE_REACH) - 1, -1):
        if comparison.longest_ending(words[:cut]):
            return "comparison"
    if words[-1] in COORDINATORS:
        previous = _area_before(area)
        if previous is not None:
            return area_role(previous)
    return None


def _area_before(area: Span) -> Span | None:
    """The LOCATION entity shortly before `area` in its sentence, if any."""
    doc = area.doc
    i = area.start - 1
    while i >= 0 and area.start - i <= COORDINATION_REACH:
        if doc[i].ent_type_ == "LOCATION":
            start = i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            return Span(doc, start, i + 1, label="LOCATION")
        if doc[i].is_sent_start:
            return None
        i -= 1
    return None


@per_doc  # asked per figure by the rule linker
def anaphora_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the phrases `area_anaphora` finds: "kabupaten itu" (both words),
    "setempat"."""
    _, demonstratives, _, _, _ = _area_anaphora()
    out = set()
    for i in area_anaphora(doc):
        if doc[i].lower_ in LEVEL_NOUNS:
            end = _modified_demonstrative(doc, i, demonstratives)
        else:
            end = i + 1 if i + 1 < len(doc) and doc[i + 1].lower_ in demonstratives else None
        out.update(range(i, (end or i) + 1))
    return frozenset(out)
