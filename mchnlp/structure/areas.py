"""The areas a document is about: the LOCATION mentions weighted by title, lead and
repetition, and the name keys and levels that group their mentions."""


from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections import defaultdict

from spacy.attrs import ENT_ID, ENT_IOB, ENT_TYPE, LOWER
from spacy.tokens import Doc, Span

from .layout import _paragraph_end, doc_title_range, is_dateline
from .lists import EACH_WORDS
from .memo import entities, per_doc, sentences
from .scope import LEVEL_NOUNS, area_anaphora, area_role
from .words import positions_of

LEVEL_PREFIXES = ("kabupaten", "kab.", "kab", "kota", "provinsi", "prov.", "prov", "propinsi",
                  "kecamatan", "kec.", "kelurahan", "kel.", "desa", "ds.")


SPECIFICITY = {"desa": 4, "kelurahan": 4, "ds.": 4, "kel.": 4, "kecamatan": 3, "kec.": 3,
               "kabupaten": 2, "kab.": 2, "kab": 2, "kota": 2, "provinsi": 0, "prov.": 0,
               "prov": 0, "propinsi": 0}


def area_key(span: Span) -> str:
    """A mention's name without its level word: groups "Kabupaten Kupang" and "Kupang"."""
    return _area_key(span.text)


def _area_key(text: str) -> str:
    words = text.lower().split()
    while words and words[0] in LEVEL_PREFIXES:
        words = words[1:]
    return " ".join(words)


def specificity(span: Span) -> int:
    return _specificity(span.text)


def _specificity(text: str) -> int:
    first = text.lower().split()[0] if text else ""
    return SPECIFICITY.get(first, 1)


def document_area(doc: Doc) -> Span | None:
    """The area the document is about: the LOCATION most weighted by title, lead and repetition.

    Title mentions count 3, mentions in the first body paragraph 2, others 1; datelines,
    facilities and the national level do not count. Among equal weights the more specific
    area wins ("Kelurahan Antirogo" over "Jember").
    """
    # the linker, its rule features and the facts all ask; the answer only changes with the
    # entities, so it is kept per Doc under a checksum of their token annotation (building
    # `doc.ents` to compare them would cost what the cache saves)
    key = zlib.crc32(doc.to_array([ENT_IOB, ENT_TYPE, ENT_ID]).tobytes())
    cached = doc.user_data.get("mchnlp.document_area")
    if cached is not None and cached[0] == key:
        if cached[1] is None:
            return None
        start, end, area_id = cached[1:]
        return Span(doc, start, end, label="LOCATION", span_id=area_id)
    area = _document_area(doc)
    doc.user_data["mchnlp.document_area"] = (
        (key, area.start, area.end, area.ent_id_) if area is not None else (key, None))
    return area


def _document_area(doc: Doc) -> Span | None:
    title = doc_title_range(doc)
    weights: dict[str, float] = defaultdict(float)
    best_mention: dict[str, Span] = {}
    mention_specificity: dict[str, int] = {}  # of the best mention
    first_para_end = None
    dateline = None
    for ent in entities(doc):
        if ent.label_ != "LOCATION" or ent.ent_id_ in ("ID", "WORLD", "facility"):
            continue
        if is_dateline(ent):
            dateline = dateline or ent
            continue
        if title and title[0] <= ent.start_char < title[1]:
            weight = 3.0
        else:
            if first_para_end is None:
                first_para_end = _paragraph_end(doc, ent.start)
            weight = 2.0 if ent.start_char <= first_para_end else 1.0
        # "Provinsi Gorontalo" and "Kota Gorontalo" are different areas; a bare "Gorontalo"
        # counts for whichever of them the document names most
        text = ent.text  # built token by token: read once
        level = _specificity(text)
        key = (text.lower().split()[0] if level != 1 else "", _area_key(text))
        weights[key] += weight
        if key not in best_mention:
            best_mention[key] = ent
            mention_specificity[key] = level
    if not weights:
        # "SAMARINDA - Dinas Kesehatan setempat mencatat ...": a text that names no other
        # area but points back to one is about its dateline city
        return dateline if dateline is not None and area_anaphora(doc) else None
    if dateline is not None and area_anaphora(doc) and _holds_all(
            dateline, [m for m in best_mention.values() if area_role(m) != "ranking"]):
        # "KEFAMENANU - ... di kabupaten ini ... Kecamatan Insana": a text that points back
        # to an area and names only places inside its dateline's (or the set its figures
        # are ranked in: "terendah di provinsi itu") is about the dateline's
        return dateline
    for level, name in [k for k in weights if k[0] == ""]:
        leveled = [k for k in weights if k[1] == name and k[0]]
        if leveled:
            target = max(leveled, key=lambda k: weights[k])
            weights[target] += weights.pop((level, name))
    key = max(weights, key=lambda k: (weights[k], mention_specificity[k]))
    return best_mention[key]


def _area_of(place: Span):
    """The gazetteer area of a mention: the one its entity id codes, else the one its text
    resolves to."""
    from ..knowledge.places import Gazetteer

    gazetteer = Gazetteer.load()
    coded = gazetteer.get(place.ent_id_) if place.ent_id_[:1].isdigit() else None
    return coded or gazetteer.resolve(place.text).area


def _level_of(place: Span) -> str | None:
    area = _area_of(place)
    return area.level if area is not None else None


def _holds_all(outer: Span, places: list[Span],
               levels: tuple[str, ...] = ("kabupaten", "kota")) -> bool:
    """Whether every one of `places` may lie inside the area `outer` names (of `levels`)."""
    from ..knowledge.places import Gazetteer

    area = _area_of(outer)
    if area is None or not area.code or area.level not in levels:
        return False
    inside = area.code + "."
    gazetteer = Gazetteer.load()
    return all(any(c.code and c.code.startswith(inside)
                   for c in gazetteer.resolve(p.text).candidates) for p in places)


def apposed_area(place: Span) -> Span | None:
    """The area named right before `place`, with a comma, that lies inside it ("Kecamatan
    Sukamaju, Kabupaten Luwu Utara", "Gianyar, Bali"): the parent only says where the child
    is, and a figure linked to the parent is about the child. None otherwise."""
    doc = place.doc
    if place.start < 2 or doc[place.start - 1].text != "," or (
            doc[place.start - 2].ent_type_ != "LOCATION"):
        return None
    from ..knowledge.places import Gazetteer

    child = next((e for e in entities(doc) if e.start <= place.start - 2 < e.end), None)
    gazetteer = Gazetteer.load()
    parent = gazetteer.resolve(place.text).area
    if child is None or parent is None or not parent.code:
        return None
    inside = parent.code + "."
    if any(area.code and area.code.startswith(inside)
           for area in gazetteer.resolve(child.text).candidates):
        return child
    return None


# the level words of the mentions an anaphoric level noun ("kota ini") may point back to
ANAPHOR_LEVEL_WORDS = {"kabupaten": ("kabupaten", "kab.", "kab"), "kota": ("kota",),
                       "provinsi": ("provinsi", "prov.", "prov", "propinsi"),
                       "kecamatan": ("kecamatan", "kec.", "distrik")}


@per_doc  # asked by both linkers
def anaphor_areas(doc: Doc) -> dict[int, Span]:
    """Sentence index -> the area its "di kota ini", "kabupaten tersebut" points back to: the
    latest earlier mention with that level word ("Kota Bengkulu", not the "Provinsi Bengkulu"
    named after it), else the document's area when it has that level word. Sentences that
    name an area of their own, the country or the world included, are left out."""
    return _anaphor_areas(doc, compared_too=True)


def _anaphor_areas(doc: Doc, compared_too: bool) -> dict[int, Span]:
    """`anaphor_areas`; with `compared_too` False, a sentence whose only areas are compared
    with is not left out."""
    points = area_anaphora(doc)
    if not points:
        return {}
    sents = sentences(doc)
    places = [e for e in entities(doc) if e.label_ == "LOCATION"]
    datelines = [e for e in places if is_dateline(e)]
    named = [e for e in places if e not in datelines]
    # a sentence naming any area, the country too ("... di kota ini 25,1 persen, di atas
    # Indonesia yang 21,5 persen"), is left to the linkers
    named_in = {sents.index(e.start) for e in named
                if compared_too or area_role(e) != "comparison"}
    areas = [e for e in named if e.ent_id_ not in ("ID", "WORLD", "facility")]
    out: dict[int, Span] = {}
    for i in points:
        words = ANAPHOR_LEVEL_WORDS.get(doc[i].lower_)
        k = sents.index(i)
        if words is None or k in named_in or k in out:
            continue
        # "Kecamatan Binamu", or a bare "Binamu" the gazetteer codes as a kecamatan
        found = next((e for e in reversed(areas) if e.end <= i and (
            doc[e.start].lower_ in words or (e.ent_id_[:1].isdigit()
                                             and _level_of(e) == doc[i].lower_))), None)
        if found is None:
            area = document_area(doc)
            if area is not None and (doc[area.start].lower_ in words or (
                    is_dateline(area) and _level_of(area) == doc[i].lower_)):
                found = area
        if found is None:  # "KUPANG, NTT - Dinas Kesehatan provinsi mencatat ..."
            found = next((e for e in datelines if e.start < i
                          and _level_of(e) == doc[i].lower_), None)
        if found is not None:
            out[k] = found
    return out


# words that may follow a bare level noun pointing back to a named area ("sedangkan di kota
# hanya 9 kasus"); anything else ("di kabupaten lain", "di kota besar") is generic
LEVEL_NOUN_FOLLOWERS = frozenset({",", "sebanyak", "mencapai", "tercatat", "ada", "sebesar",
                                  "hanya", "baru", "justru", "masih", "juga", "pun", "terdapat",
                                  "berjumlah", "yakni", "yaitu", "sekitar", "sudah", "telah",
                                  "mencatat", "mencatatkan", "melaporkan"})
# words before a bare level noun: a preposition, or a conjunction that opens the clause whose
# subject it is ("sementara kabupaten mencatat 97 kasus")
LEVEL_NOUN_PREPOSITIONS = frozenset({"di", "dari", "sementara", "sedangkan", "adapun"})


# words before a bare level noun that make it the subject of a figure of its own
# ("prevalensi provinsi ...", "rata-rata kabupaten ..."), or right after it ("provinsi sendiri")
LEVEL_MEASURE_WORDS = frozenset({"prevalensi", "rata-rata", "angka", "capaian", "cakupan",
                                 "persentase", "jumlah"})
OWN_LEVEL_REACH = 8  # tokens from such a level noun to its figure
RELATIVE_CLAUSE_REACH = 10  # tokens of a ", yang ... ," clause after an area
LIST_FIGURE_REACH = 3  # tokens from a listed area to its figure ("Kabupaten Bulungan (41)")
# words of a clause naming the seat of the area above ("yang menjadi pusat pemerintahan")
SEAT_WORDS = frozenset({"ibukota", "pemerintahan"})
CLAUSE_VERB_REACH = 5  # tokens from the end of that clause to the subject's figure
# "lima di antaranya berasal dari Kecamatan Obi": the words from a part to the area it is of
PART_WORDS = frozenset({"di", "antaranya", "diantaranya", "berasal", "terjadi", "tercatat",
                        "dari", "ada"})
PART_REACH = 4  # such words between the part and the area


def _figure_ahead(doc: Doc, start: int, stop: int, values, blocks) -> int | None:
    """The start of the first value in `start`..`stop - 1`, unless a token that `blocks` comes
    first."""
    for i in range(start, min(stop, len(doc))):
        if i in values:
            return i
        if blocks(doc[i]):
            return None
    return None


@per_doc  # asked by the linker
def list_wholes(doc: Doc) -> dict[int, Span]:
    """Value start -> the area a list of its parts belongs to, for the figures of a sentence
    naming no area after a sentence that lists areas with figures of their own ("Kasus
    terbanyak di Kabupaten Nunukan (52 kasus), diikuti Kabupaten Bulungan (41) ... Adapun
    kematian ibu pada 2023 berjumlah 17 kasus"): the story returns to the area named before
    the list that holds every member (Provinsi Kalimantan Utara), not to a member."""
    ents = entities(doc)
    places = [e for e in ents if e.label_ == "LOCATION" and not is_dateline(e)
              and e.ent_id_ not in ("ID", "WORLD", "facility")]
    values = [e for e in ents if e.label_ in ("COUNT", "RATE")]
    if len(places) < 3 or not values:
        return {}
    sents = sentences(doc)
    by_sent: dict[int, list[Span]] = defaultdict(list)
    for place in places:
        by_sent[sents.index(place.start)].append(place)
    value_starts = {v.start for v in values}
    named = {sents.index(e.start) for e in ents if e.label_ == "LOCATION"}
    kinds = doc._.value_attrs if doc.has_extension("value_attrs") else {}
    placed = sorted(by_sent)
    wholes: dict[int, Span | None] = {}  # per listing sentence, read once
    out: dict[int, Span] = {}
    for value in values:
        sent = sents.index(value.start)
        if sent in named or kinds.get(value.start, {}).get("kind") == "target" or any(
                t.lower_ in EACH_WORDS for t in sents.span(value.start)):
            continue  # "Adapun prevalensinya masing-masing 28,4 dan 20,1 persen": the members'
        k = bisect_left(placed, sent)
        if k == 0:
            continue
        listed = placed[k - 1]
        if listed not in wholes:
            members = by_sent[listed]
            # a list: two areas or more, each with its own figure right after it
            wholes[listed] = next((
                p for p in reversed(places) if p.end <= sents.starts[listed]
                and _holds_all(p, members, ("provinsi", "kabupaten", "kota"))), None) if (
                len(members) >= 2 and all(any(i in value_starts for i in range(
                    m.end, m.end + LIST_FIGURE_REACH + 1)) for m in members)) else None
        if wholes[listed] is not None:
            out[value.start] = wholes[listed]
    return out


@per_doc  # asked by both linkers
def level_noun_areas(doc: Doc) -> dict[int, Span]:
    """Value start -> the area a bare level noun before it stands for (`_paired_level_nouns`,
    `_measured_level_nouns`)."""
    return {**_measured_level_nouns(doc), **_paired_level_nouns(doc)}


def _measured_level_nouns(doc: Doc) -> dict[int, Span]:
    """The figure of a lowercase "provinsi" or "kabupaten" that a measure word precedes or
    "sendiri" follows ("Prevalensi provinsi sendiri pada survei yang sama 27,4 persen",
    "rata-rata kabupaten yang berada di 4,6 persen"), in a text naming one area of that level:
    that area's, when the figure follows in the same clause."""
    lower = doc.to_array(LOWER).tolist()
    at = [i for i in positions_of(lower, frozenset({"provinsi", "kabupaten"}))
          if 0 < i < len(doc) - 1 and doc[i].text in ("provinsi", "kabupaten")
          and not doc[i].ent_type_ and (doc[i - 1].lower_ in LEVEL_MEASURE_WORDS
                                        or doc[i + 1].lower_ == "sendiri")]
    if not at:
        return {}
    named: dict[str, dict[str, Span]] = defaultdict(dict)
    for place in entities(doc):
        if place.label_ == "LOCATION" and not is_dateline(place):
            area = _area_of(place)
            if area is not None and area.level in ("provinsi", "kabupaten"):
                named[area.level].setdefault(area.code, place)
    sents = sentences(doc)
    values = {e.start for e in entities(doc) if e.label_ in ("COUNT", "RATE")}
    out: dict[int, Span] = {}
    for i in at:
        areas = named.get(doc[i].text, {})
        if len(areas) != 1:
            continue
        stop = min(sents.ends[sents.index(i)], i + OWN_LEVEL_REACH)
        figure = _figure_ahead(doc, i + 1, stop, values, lambda t: t.text in (",", ";", ":")
                               or t.ent_type_ == "LOCATION")
        if figure is not None:
            out[figure] = next(iter(areas.values()))
    return out


def _paired_level_nouns(doc: Doc) -> dict[int, Span]:
    """Value start -> the area a bare level noun before it stands for, in a document that
    names a kabupaten and a kota of one name ("Kabupaten Madiun ... 37 kasus, sedangkan di kota
    hanya 9 kasus"): "di kota" is Kota Madiun until the next area of the sentence; and a bare
    "provinsi" right before a figure in a document that names one province ("di atas
    rata-rata provinsi 23,6 persen") is that province."""
    places = [e for e in entities(doc) if e.label_ == "LOCATION" and not is_dateline(e)]
    by_level: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for place in places:
        for level, words in ANAPHOR_LEVEL_WORDS.items():
            if doc[place.start].lower_ in words and len(place) > 1:
                by_level[area_key(place)][level].append(place)
    paired = {key: levels for key, levels in by_level.items()
              if "kabupaten" in levels and "kota" in levels}
    lower = doc.to_array(LOWER).tolist()
    # only the level nouns are visited, found on the LOWER array (no Token per token)
    at = positions_of(lower, frozenset({"kabupaten", "kota", "provinsi"} if paired
                                       else {"provinsi"}))
    provinces: dict[str, Span] = {}
    if any(doc[i].text == "provinsi" for i in at):
        # "jauh di atas rata-rata provinsi 23,6 persen": the one province the text names
        provinces = {area.code: p for p in places
                     if (area := _area_of(p)) is not None and area.level == "provinsi"}
    if not paired and len(provinces) != 1:
        return {}
    sents = sentences(doc)
    place_starts = [e.start for e in entities(doc) if e.label_ == "LOCATION"]
    value_starts = [e.start for e in entities(doc) if e.label_ in ("COUNT", "RATE")]
    out: dict[int, Span] = {}
    for i in at:
        if not 0 < i < len(doc) - 1 or doc[i].ent_type_ or (
                doc[i + 1].lower_ not in LEVEL_NOUN_FOLLOWERS and not doc[i + 1].like_num):
            continue
        if doc[i].lower_ == "provinsi":
            if doc[i].text != "provinsi" or not doc[i + 1].like_num or len(provinces) != 1:
                continue  # "Provinsi" starts a name; "provinsi ini" is an anaphor
            mentions = list(provinces.values())
        elif doc[i - 1].lower_ not in LEVEL_NOUN_PREPOSITIONS:
            continue
        else:
            mentions = [m for levels in paired.values() for m in levels[doc[i].lower_]]
        area = (next((m for m in reversed(mentions) if m.end <= i), None)
                or next((m for m in mentions if m.start > i), None))
        if area is None:
            continue
        next_place = bisect_right(place_starts, i)
        stop = min(sents.ends[sents.index(i)], place_starts[next_place]
                   if next_place < len(place_starts) else len(doc))
        for k in range(bisect_right(value_starts, i), bisect_left(value_starts, stop)):
            out[value_starts[k]] = area
    return out



@per_doc  # asked by both linkers
def clause_subject_areas(doc: Doc) -> dict[int, Span]:
    """Value start -> the area whose clause reports it: the area a relative clause right after
    it gives a figure ("dibanding Kota Bima yang mencatat 3 kasus", where a comparison word
    would otherwise keep the figure from it), and the subject of a clause when another area
    stands in a relative clause between them ("Kota Lhokseumawe, yang wilayahnya dikelilingi
    Aceh Utara, mencatat 19,8 persen"); and the area a part of a figure comes from ("lima di
    antaranya berasal dari Kecamatan Obi")."""
    places = {e.start: e for e in entities(doc) if e.label_ == "LOCATION"}
    values = {e.start: e for e in entities(doc) if e.label_ in ("COUNT", "RATE")}
    out = _parts_of_areas(doc, values, places)
    if len(places) < 2:
        return out
    sents = sentences(doc)
    out.update(_reported_by(doc, values, places, sents))
    out.update(_pointed_before_comparison(doc, values, places, sents))
    out.update(_past_comparisons(doc, values, places, sents))
    out.update(_fronted_country(doc, values, places, sents))
    for subject in places.values():
        k = _past_period(doc, subject.end)
        if k + 1 < len(doc) and doc[k].lower_ == "yang":
            # "dibanding Kota Bima yang mencatat 3 kasus": an area's own relative clause
            figure = _figure_ahead(doc, k + 1, k + 1 + CLAUSE_VERB_REACH, values,
                                   lambda t: bool(t.ent_type_) or t.is_punct)
        elif k + 1 < len(doc) and doc[k].text == ",":
            end = sents.ends[sents.index(subject.start)]
            close = next((i for i in range(k + 1, min(end, k + 2 + RELATIVE_CLAUSE_REACH))
                          if doc[i].text == ","), None)
            if close is None:
                continue
            # the clause names another area, or points to one by its level noun ("Kecamatan
            # Kolaka, yang menjadi ibu kota kabupaten, menyumbang 11 kasus"; "Distrik Wamena,
            # wilayah perkotaan sekaligus ibu kota kabupaten, mencatat ..."); an apposition
            # naming an area is a list ("Kabupaten Sorong, Kota Sorong, ...")
            pointed = any((doc[i].lower_ in LEVEL_NOUNS or doc[i].lower_ in SEAT_WORDS)
                          and not doc[i].ent_type_ for i in range(k + 1, close))
            if doc[k + 1].lower_ == "yang":
                if not pointed and not any(k < s < close for s in places):
                    continue
            elif not pointed or any(k < s < close for s in places) or any(
                    doc[i].ent_type_ in ("COUNT", "RATE") for i in range(k + 1, close)):
                continue
            figure = _figure_ahead(doc, close + 1, min(end, close + 1 + CLAUSE_VERB_REACH),
                                   values, lambda t: t.ent_type_ == "LOCATION")
        else:
            continue
        if figure is not None:
            out[figure] = subject
    return out


def _past_period(doc: Doc, k: int) -> int:
    """The token after the period that may follow an area before its relative clause
    ("rata-rata Provinsi Banten pada SKI 2023 yang sebesar 23,4 persen"), else `k`."""
    at = k + (k < len(doc) and doc[k].lower_ == "pada")
    if at < len(doc) and doc[at].ent_type_ == "DATE" and doc[at].ent_iob_ == "B":
        end = at + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return end
    return k


def _past_comparisons(doc: Doc, values: dict[int, Span], places: dict[int, Span],
                      sents) -> dict[int, Span]:
    """The figure of the next item after a comparison that a comma closes ("Kabupaten Mamasa
    mencatat 5 kematian ibu, lebih banyak dibandingkan Majene, dan 28 kematian bayi"): the
    subject's, the area named before the comparison in the sentence."""
    out: dict[int, Span] = {}
    for compared in places.values():
        k = compared.end
        if k >= len(doc) or doc[k].text != "," or area_role(compared) != "comparison":
            continue
        floor = sents.starts[sents.index(compared.start)]
        subject = next((places[i] for i in range(compared.start - 1, floor - 1, -1)
                        if i in places and area_role(places[i]) is None), None)
        if subject is None:
            continue
        k += 1
        if k < len(doc) and doc[k].lower_ in ("dan", "serta"):
            k += 1
        figure = _figure_ahead(doc, k, k + 2, values, lambda t: t.ent_type_ == "LOCATION")
        if figure is not None:
            out[figure] = subject
    return out


def _pointed_before_comparison(doc: Doc, values: dict[int, Span], places: dict[int, Span],
                               sents) -> dict[int, Span]:
    """The figures before the compared area of a sentence that points back to its own area
    ("prevalensi wasting kabupaten tersebut ... 10,9 persen, lebih tinggi dari angka Provinsi
    Papua Pegunungan yang sebesar 8,6 persen"): the area pointed back to."""
    plain = anaphor_areas(doc)
    out: dict[int, Span] = {}
    for sent, area in _anaphor_areas(doc, compared_too=False).items():
        if sent in plain:
            continue
        start, end = sents.starts[sent], sents.ends[sent]
        compared = min((i for i in places if start <= i < end), default=end)
        for i in values:
            if start <= i < compared:
                out[i] = area
    return out


# the verbs after an area that make it the subject reporting the figures of its clause
REPORT_VERBS = frozenset({"mencatat", "mencatatkan", "melaporkan", "menyumbang",
                          "menyumbangkan"})
# a comma after which the clause still gives the subject's figure ("..., yaitu 12 kasus")
_GLOSS_WORDS = frozenset({"yaitu", "yakni", "sebanyak", "sebesar", "dengan"})
REPORT_REACH = 10  # tokens from the verb to the figure


def _reported_by(doc: Doc, values: dict[int, Span], places: dict[int, Span],
                 sents) -> dict[int, Span]:
    """The first figure of a clause whose subject is an area and whose verb reports it
    ("Kecamatan Mentawa Baru Ketapang mencatat kematian bayi terbanyak, yaitu 12 kasus"):
    that area's, when the clause names no other area after it (not "Dinas Kesehatan Provinsi
    X mencatat 14 kematian bayi di Kabupaten Y")."""
    out: dict[int, Span] = {}
    for subject in places.values():
        k = subject.end
        if k >= len(doc) or doc[k].lower_ not in REPORT_VERBS:
            continue
        end = sents.ends[sents.index(subject.start)]
        figure = None
        for i in range(k + 1, end):
            token = doc[i]
            if i in places or token.text in (";", ".") or (
                    token.text == "," and not (i + 1 < end and doc[i + 1].lower_ in _GLOSS_WORDS)):
                break
            if figure is None and i in values:
                if i - k > REPORT_REACH:
                    break
                figure = i
        else:
            i = end
        if figure is not None and not (i < end and i in places):
            out[figure] = apposed_area(subject) or subject  # "Gianyar, Bali mencatat ..."
    return out


# words that may open a sentence before the country it is about ("Secara nasional, ...")
FRONTING_WORDS = frozenset({"secara", "di", "pada", "untuk", "dalam", "tingkat", "skala",
                            "level", "sementara", "sedangkan", "adapun"})
# and before a local area whose report follows ("Dari Kota Gunungsitoli, ... melaporkan")
SOURCE_FRONTING_WORDS = frozenset({"dari"})


def _fronted_country(doc: Doc, values: dict[int, Span], places: dict[int, Span],
                     sents) -> dict[int, Span]:
    """The figures of a sentence that opens with the country and a comma ("Secara nasional,
    AKB hasil Long Form SP2020 sebesar 16,85 ..., sehingga capaian Karangasem sudah jauh lebih
    baik"), or with "Dari" and an area ("Dari Kota Gunungsitoli, Kepala Bidang Kesmas
    melaporkan 9 kematian bayi"), up to the next area it names: that area's."""
    out: dict[int, Span] = {}
    for country in places.values():
        if country.end >= len(doc) or doc[country.end].text != ",":
            continue
        start = sents.starts[sents.index(country.start)]
        fronting = FRONTING_WORDS if country.ent_id_ == "ID" else SOURCE_FRONTING_WORDS
        if country.start - start > 2 or not all(
                t.lower_ in fronting for t in doc[start:country.start]) or (
                country.start == start and country.ent_id_ != "ID"):
            continue
        end = sents.ends[sents.index(country.start)]
        for i in range(country.end + 1, end):
            if i in places:
                break
            if i in values:
                out[i] = country
    return out


def _parts_of_areas(doc: Doc, values: dict[int, Span], places: dict[int, Span]
                    ) -> dict[int, Span]:
    out: dict[int, Span] = {}
    for start, value in values.items():
        k = value.end
        while k < len(doc) and k - value.end < PART_REACH and doc[k].lower_ in PART_WORDS:
            k += 1
        said = {t.lower_ for t in doc[value.end:k]}
        if k in places and said & {"antaranya", "diantaranya"} and said & {"dari", "di"}:
            out[start] = places[k]
    return out
