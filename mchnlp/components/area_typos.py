"""Area names after a level word that the entity rulers miss or cut short: misspelled
kabupaten, kota and provinsi names ("Kabupaten Manggrai Timur", "Kab. Lombok Tenggah",
"Kabupaten Dharmas Raya"), and kecamatan, desa and kelurahan names of several words or with an
apostrophe ("Kecamatan Dumai Timur", "Kecamatan Hu'u"), which the rulers' one-word pattern for
those levels cuts short or misses.

The entity rulers match area names exactly, so a typo loses the area of every figure beside it,
or cuts it short ("Kabupaten Nias Selatn" matched as "Kabupaten Nias", "Kabupaten Lampung Selatn"
as "Lampung"): the capitalised words after such a match are read with the name.
This component looks only where a level word (Kabupaten, Kab., Kota, Provinsi, Prov.) that is
not part of an entity is followed by capitalised words, and compares those words with the
gazetteer's names of that level: one name within a small edit distance (1, or 2 for names of
eight letters or more; spaces ignored), clearly closer than any other, becomes a LOCATION entity
whose `ent_id_` is the area's Kemendagri code, which the fact view resolves directly. A
kecamatan, desa or kelurahan name is taken only when the gazetteer has exactly that name at that
level (names repeat across the country: the fact view chooses among them by the document's
other areas); the entity keeps the level as its id, as the ruler's own matches do.

A list that names its first kecamatan or desa with the level word names the next ones bare
("Kecamatan Moyo Hulu 2 kasus, Moyo Hilir 2 kasus, serta Lape dan Lunyuk masing-masing 1
kasus"). After such an entity, a capitalised name that follows a list separator in the same
sentence becomes a LOCATION entity of the same level when the gazetteer has exactly that name
at that level in the same kabupaten as the first name.

A country word that ends a name ("Survei Status Gizi Indonesia", "Ikatan Bidan Indonesia")
names no area (annotation guidelines, LOCATION), nor does the "dunia" of "meninggal dunia"
(died): the rulers' entity there is dropped.

A misspelled level word ("Kabupatem Bima", "Provnsi Jambi": within two edits of kabupaten or
provinsi, first letter kept) followed by the exact name of an area of that level gives that
area, which the bare name alone might not ("Kota Bima" named elsewhere in the text).

A kecamatan name after its level word that no kecamatan has ("Kecamatan Talibra") is the one
kecamatan of a kabupaten the text names that it is one edit from (two from eight letters), in a
text naming at most three kabupaten.

A dateline that names a kabupaten's seat ("MAUMERE -", "Soe, KOMPAS.com -"; the town is no area
of the gazetteer, or a kecamatan) gives that kabupaten (`data/kabupaten_seats.json`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, partial

import numpy
from spacy.attrs import IS_ALPHA, IS_TITLE, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge import resources
from ..knowledge.places import Gazetteer, bare_area_name
from ..knowledge.spelling import edit_distance
from ..structure.layout import doc_title_range
from ..structure.tables import column_header, grid_tables, row_labels
from ..structure.words import positions_of

LEVEL_WORDS = {"kabupaten": "kabupaten", "kab": "kabupaten", "kota": "kota",
               "provinsi": "provinsi", "prov": "provinsi"}
MAX_NAME_TOKENS = 3
DATELINE_MARKS = frozenset({"-", "–", "—", ",", "("})  # what follows a dateline's place
DATELINE_SCAN = 120  # tokens from the text's start in which a dateline is looked for
# level words long enough that two edits still leave them recognisable
MISSPELLED_LEVEL_WORDS = {"kabupaten": "kabupaten", "provinsi": "provinsi"}
MIN_LEVEL_TYPO_LENGTH, MAX_LEVEL_TYPO_LENGTH = 6, 11
LIST_SEPARATORS = frozenset({",", ";", "(", "dan", "serta", "atau"})
SENTENCE_ENDS = frozenset({".", "!", "?"})
COUNTRY_WORDS = frozenset({"Indonesia"})
DEATH_VERBS_BEFORE_DUNIA = frozenset({"meninggal", "berpulang"})  # "meninggal dunia": died
# words that open a list of names after a level word used as a noun ("Kecamatan dengan kasus
# terbanyak yakni ...")
LIST_OPENERS = frozenset({"yakni", "yaitu", "adalah", "ialah", "di", ":", "antara", "lain"})
LIST_REACH = 60  # tokens after a list's first area read for the next ones
LIST_PLACE_WORDS = frozenset({"di"})  # "... di Simpang Mamplam, Pandrah, Jeunieb, ..."
LISTED_KECAMATAN = 3  # bare kecamatan names a list needs where the text never says kecamatan
NEAR_NAME_MIN_LETTERS = 6
NEAR_NAME_MAX_KABUPATEN = 3
# level words of the lower levels -> (the ruler's entity id, gazetteer levels of the name)
LOWER_LEVEL_WORDS = {"kecamatan": ("kecamatan", ("kecamatan",)),
                     "kec": ("kecamatan", ("kecamatan",)),
                     "distrik": ("kecamatan", ("kecamatan",)),
                     "desa": ("desa", ("desa", "kelurahan")),
                     "kelurahan": ("desa", ("kelurahan", "desa")),
                     "kel": ("desa", ("kelurahan", "desa"))}
LEVEL_FORMS = frozenset(form for word in (*LEVEL_WORDS, *LOWER_LEVEL_WORDS)
                        for form in (word, word + "."))


def _name_start(doc: Doc, level_i: int) -> int:
    """The first token of the name after the level word at `level_i` ("Kab . Kupang")."""
    start = level_i + 1
    return start + 1 if start < len(doc) and doc[start].text == "." else start


def _compact(name: str) -> str:
    """A name as the typo matchers compare it: lower case, without spaces and hyphens."""
    return name.lower().replace(" ", "").replace("-", "")


def _kabupaten_of(code: str) -> str:
    """The kabupaten/kota code of a kecamatan or desa code ("52.04.10" -> "52.04")."""
    return ".".join(code.split(".")[:2])


def _misspelled_level(word: str) -> str | None:
    """The level whose word `word` misspells ("kabupatem" -> kabupaten), else None; a typo
    seldom hits the first letter."""
    if not (MIN_LEVEL_TYPO_LENGTH <= len(word) <= MAX_LEVEL_TYPO_LENGTH and word.isalpha()):
        return None
    return next((level for form, level in MISSPELLED_LEVEL_WORDS.items()
                 if word[0] == form[0] and word != form and edit_distance(word, form, 2) <= 2),
                None)


def _countries_in_names(doc: Doc) -> set[int]:
    """The starts of the rulers' country or world entities that are no area: a country word
    that ends a name ("Survei Status Gizi Indonesia", "Ikatan Bidan Indonesia", "CNN
    Indonesia": a capitalised word, not the first of its sentence, right before it), and the
    "dunia" of "meninggal dunia" (died)."""
    out = set()
    title = None
    for ent in doc.ents:
        if ent.label_ != "LOCATION" or ent.start == 0:
            continue
        before = doc[ent.start - 1]
        if ent.text in COUNTRY_WORDS and before.is_alpha and before.is_title and (
                not before.is_sent_start and before.ent_type_ != "LOCATION"):
            if title is None:
                title = _title_case_title(doc)
            if not title[0] <= ent.start_char < title[1]:
                out.add(ent.start)
        elif ent.text.lower() == "dunia" and before.lower_ in DEATH_VERBS_BEFORE_DUNIA:
            out.add(ent.start)
    return out


TITLE_CASE_SHARE = 0.8  # of a headline's words of four letters or more


def _title_case_title(doc: Doc) -> tuple[int, int]:
    """The character range of the headline when it capitalises its words ("Status Gizi
    Balita Indonesia Membaik"), where a capitalised word says nothing of a name; else an
    empty range."""
    rng = doc_title_range(doc)
    if rng is None:
        return 0, 0
    words = [t for t in doc.char_span(rng[0], rng[1], alignment_mode="expand")
             if t.is_alpha and len(t) > 3]
    capitalised = sum(t.is_title or t.is_upper for t in words)
    return rng if words and capitalised >= TITLE_CASE_SHARE * len(words) else (0, 0)


def _named_kabupaten(doc: Doc) -> set[str]:
    """The codes of the kabupaten and kota the rulers' entities name."""
    gazetteer = Gazetteer.load()
    out = set()
    for ent in doc.ents:
        if ent.label_ == "LOCATION":
            area = gazetteer.resolve(ent.text).area
            if area is not None and area.code and area.level in ("kabupaten", "kota"):
                out.add(_kabupaten_of(area.code))
    return out


def _kecamatan_names(doc: Doc, kabupaten: set[str]) -> dict[str, list[str]]:
    """Compact name -> codes of the kecamatan of the kabupaten `kabupaten`, without the names
    the text gives a kabupaten or kota with its level word ("Kabupaten Sleman") and without
    each kabupaten's own name."""
    gazetteer = Gazetteer.load()
    leveled = {_compact(doc[ent.start + 1:ent.end].text) for ent in doc.ents
               if ent.label_ == "LOCATION" and doc[ent.start].lower_.rstrip(".") in LEVEL_WORDS}
    names: dict[str, list[str]] = {}
    for parent in kabupaten:
        area = gazetteer.get(parent)
        parent_key = _compact(bare_area_name(area)) if area is not None else None
        for name, code in gazetteer.kecamatan_in(parent):
            key = _compact(name)
            if key != parent_key and key not in leveled:
                names.setdefault(key, []).append(code)
    return names


def _allowed_edits(name: str) -> int:
    return 2 if len(name) >= 8 else 1


class AreaTypos:
    def __init__(self, nlp: Language, name: str = "mch_area_typos") -> None:
        self.name = name
        self._names: dict[str, list[tuple[str, str]]] | None = None
        self._exact: dict[tuple[str, str], list[str]] | None = None
        self._level_typos: dict[int, str | None] = {}  # word hash -> the level it misspells

    def _names_by_level(self) -> dict[str, list[tuple[str, str]]]:
        """level -> [(name without level word and spaces, lower-cased; code)], built once."""
        if self._names is None:
            names: dict[str, list[tuple[str, str]]] = {
                level: [] for level in sorted(set(LEVEL_WORDS.values()))}
            gazetteer = Gazetteer.load()
            for area in (a for level in names for a in gazetteer.areas(level)):
                if area.code:
                    key = _compact(bare_area_name(area))
                    names[area.level].append((key, area.code))
            self._names = names
        return self._names

    def closest(self, words: str, level: str) -> str | None:
        """The code of the one area of `level` whose name is within the allowed edits of
        `words` and closer than every other, else None."""
        key = _compact(words)
        limit = _allowed_edits(key)
        scored = sorted((edit_distance(key, name, limit), code)
                        for name, code in self._names_by_level()[level])
        if not scored or scored[0][0] > limit:
            return None
        if len(scored) > 1 and scored[1][0] <= scored[0][0]:
            return None
        return scored[0][1]

    def _lower_level_name(self, doc: Doc, token_i: int, word: str,
                          taken: dict[int, Span]) -> Span | None:
        """The longest kecamatan/desa name of the gazetteer after the level word `word` at
        `token_i`, as an entity over the level word, the name and what the ruler matched
        there, if it is longer than that match."""
        entity_id, levels = LOWER_LEVEL_WORDS[word]
        start = _name_start(doc, token_i)
        own = taken.get(token_i)
        if own is not None and (own.start != token_i or own.label_ != "LOCATION"):
            return None
        covered = own.end if own is not None else start
        end = start
        # over a bare name the ruler matched inside ("Kecamatan Way Jepara": "Jepara")
        while (end < len(doc) and end - start < MAX_NAME_TOKENS
               and (end < covered or end not in taken or (
                   taken[end].label_ == "LOCATION" and taken[end].start >= start))
               and doc[end].text[:1].isupper()
               and doc[end].text.replace("'", "").replace("’", "").isalpha()):
            end += 1
        gazetteer = Gazetteer.load()
        for stop in range(end, max(start, covered), -1):  # the longest name that fits
            if any(gazetteer.has_lower_name(level, doc[start:stop].text) for level in levels):
                return Span(doc, token_i, stop, label="LOCATION", span_id=entity_id)
        return None

    def _misspelled_kecamatan(self, doc: Doc, token_i: int, word: str, taken: dict[int, Span],
                              named_kabupaten: Callable[[], set[str]]) -> Span | None:
        """"Kecamatan Talibra", "Kecamatan Alok Timor": the capitalised words after a
        kecamatan level word, longest first, that no kecamatan is called but one kecamatan of
        a kabupaten the text names is one edit from (two from eight letters), in a text naming
        a few kabupaten: that kecamatan, with its code. An exact name first met, shorter or
        not, is left to the exact reader."""
        if LOWER_LEVEL_WORDS[word][0] != "kecamatan":
            return None
        own = taken.get(token_i)
        start = _name_start(doc, token_i)
        if own is None or own.start != token_i or own.end <= start or own.label_ != "LOCATION":
            return None
        end = start
        while (end < len(doc) and end - start < MAX_NAME_TOKENS
               and (end < own.end or end not in taken) and doc[end].is_title
               and doc[end].is_alpha):
            end += 1
        kabupaten = None
        gazetteer = Gazetteer.load()
        for stop in range(end, start, -1):
            if gazetteer.has_lower_name("kecamatan", doc[start:stop].text):
                return None
            if kabupaten is None:
                kabupaten = named_kabupaten()
                if not kabupaten or len(kabupaten) > NEAR_NAME_MAX_KABUPATEN:
                    return None
                names = _kecamatan_names(doc, kabupaten)
            near = self._near_kecamatan(doc, start, stop, names)
            if near is not None:
                return Span(doc, token_i, stop, label="LOCATION", span_id=near.id_)
        return None

    def _listed_names(self, doc: Doc, first: Span, taken: dict[int, Span]) -> Iterable[Span]:
        """The bare kecamatan/desa names listed after `first` (a lower-level area named with
        its level word) in its sentence that are areas of the same level and kabupaten."""
        word = first[0].lower_.rstrip(".")
        if word not in LOWER_LEVEL_WORDS:
            return
        entity_id, levels = LOWER_LEVEL_WORDS[word]
        gazetteer = Gazetteer.load()
        name = doc[_name_start(doc, first.start):first.end].text
        kabupaten = {_kabupaten_of(code) for level in levels
                     for code in gazetteer.lower_codes(level, name)}
        yield from self._names_in_list(doc, first.end, taken, entity_id, levels, kabupaten,
                                       LIST_SEPARATORS)

    def _kecamatan_lists(self, doc: Doc, lower: list[int], taken: dict[int, Span],
                         named_kabupaten: Callable[[], set[str]]) -> Iterable[Span]:
        """In a text that never says "kecamatan": a list after "di" of at least
        LISTED_KECAMATAN bare names that are all kecamatan of a kabupaten the text names
        ("masing-masing satu kasus di Simpang Mamplam, Pandrah, Jeunieb, dan Jeumpa")."""
        for i in positions_of(lower, LIST_PLACE_WORDS):
            k = i + 1
            if k + 2 >= len(doc) or k in taken or not doc[k].is_title or not any(
                    doc[j].text == "," for j in range(k + 1, min(len(doc), k + 5))):
                continue
            kabupaten = named_kabupaten()
            if not kabupaten:
                return
            names = list(self._names_in_list(doc, k, taken, "kecamatan", ("kecamatan",),
                                             kabupaten, LIST_SEPARATORS | LIST_PLACE_WORDS))
            if len(names) >= LISTED_KECAMATAN and names[0].start == k:
                yield from names

    def _category_names(self, doc: Doc, level_i: int, word: str, taken: dict[int, Span],
                        kabupaten: set[str]) -> Iterable[Span]:
        """The bare names listed after a level word used as a noun ("Kecamatan dengan kasus
        terbanyak yakni Semarang Utara (187), Genuk (154)") that are areas of that level in one
        of `kabupaten` (those the text names)."""
        entity_id, levels = LOWER_LEVEL_WORDS[word]
        yield from self._names_in_list(doc, level_i + 1, taken, entity_id, levels, kabupaten,
                                       LIST_SEPARATORS | LIST_OPENERS)

    @staticmethod
    def _names_in_list(doc: Doc, i: int, taken: dict[int, Span], entity_id: str,
                       levels: tuple[str, ...], kabupaten: set[str], after: frozenset[str]
                       ) -> Iterable[Span]:
        """From token `i` to the end of its sentence: the capitalised names after one of the
        words `after` that the gazetteer has at one of `levels` in one of `kabupaten`."""
        if not kabupaten:
            return
        gazetteer = Gazetteer.load()
        stop = min(len(doc), i + LIST_REACH)
        # the sentencizer runs after this component: a full stop or a line break ends the list
        while i < stop and doc[i].text not in SENTENCE_ENDS and "\n" not in doc[i].text:
            # a ruler's match may be the start of a longer name ("Semarang" of "Semarang
            # Utara"): the longer one replaces it
            own = taken.get(i)
            if (own is not None and (own.start != i or own.label_ != "LOCATION")
                    or doc[i - 1].lower_ not in after
                    or not (doc[i].is_title and doc[i].is_alpha)):
                i += 1
                continue
            end = i
            while end < stop and end - i < MAX_NAME_TOKENS and (
                    end not in taken or taken[end] is own) and (
                    doc[end].is_title and doc[end].is_alpha):
                end += 1
            shortest = own.end + 1 if own is not None else i + 1
            found = next((Span(doc, i, cut, label="LOCATION", span_id=entity_id)
                          for cut in range(end, shortest - 1, -1) for level in levels
                          if any(_kabupaten_of(code) in kabupaten
                                 for code in gazetteer.lower_codes(level, doc[i:cut].text))),
                         None)
            if found is not None:
                yield found
            i = found.end if found is not None else i + 1

    def _candidates(self, doc: Doc) -> Iterable[Span]:
        taken = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        lower = doc.to_array(LOWER).tolist()
        yield from self._misspelled_level_words(doc, lower, taken)
        yield from self._dateline_seat(doc, taken)
        yield from self._table_row_names(doc, taken)
        # the kabupaten the text names: resolved once, and only for a reader that needs them
        named_kabupaten = cache(partial(_named_kabupaten, doc))
        yield from self._table_level_names(doc, taken, named_kabupaten)
        # only the level words are visited, found on the LOWER array (no Token per token)
        positions = positions_of(lower, LEVEL_FORMS)
        lower_level_keys = self._lower_level_keys(doc)
        if any(lower[i] in lower_level_keys for i in positions):
            yield from self._bare_kecamatan(doc, taken, named_kabupaten())
        else:
            yield from self._kecamatan_lists(doc, lower, taken, named_kabupaten)
        if not positions:
            return
        for token in (doc[i] for i in positions):
            word = token.lower_.rstrip(".")
            if word in LOWER_LEVEL_WORDS and token.is_title:
                longer = self._misspelled_kecamatan(doc, token.i, word, taken,
                                                    named_kabupaten) or (
                    self._lower_level_name(doc, token.i, word, taken))
                if longer is not None:
                    yield longer
                first = longer or taken.get(token.i)
                if first is not None and first.start == token.i and first.label_ == "LOCATION":
                    yield from self._listed_names(doc, first, taken)
                elif first is None and token.i + 1 < len(doc) and doc[token.i + 1].is_lower:
                    yield from self._category_names(doc, token.i, word, taken,
                                                    named_kabupaten())
                continue
            level = LEVEL_WORDS.get(word)
            if level is not None and token.i in taken:
                longer = self._misspelled_last_word(doc, token.i, level, taken)
                if longer is not None:
                    yield longer
                continue
            if level is None or not token.is_title:
                continue
            start = _name_start(doc, token.i)
            end = start
            # a bare name the ruler matched inside ("Kabupaten Lampung Selatn": "Lampung")
            while (end < len(doc) and end - start < MAX_NAME_TOKENS
                   and (end not in taken or (taken[end].label_ == "LOCATION"
                                             and taken[end].start >= start))
                   and doc[end].is_alpha and doc[end].is_title):
                end += 1
            for stop in range(end, start, -1):  # the longest name that fits
                code = self.closest(doc[start:stop].text, level)
                if code is not None:
                    yield Span(doc, token.i, stop, label="LOCATION", span_id=code)
                    break

    def _misspelled_last_word(self, doc: Doc, level_i: int, level: str,
                              taken: dict[int, Span]) -> Span | None:
        """A name the ruler cut short at a misspelled last word ("Kabupaten Nias Selatn": the
        ruler matched "Kabupaten Nias"): the name with the capitalised words after the match
        that is within the allowed edits of one area of the level."""
        own = taken[level_i]
        if own.start != level_i or own.label_ != "LOCATION":
            return None
        end = own.end
        while (end < len(doc) and end - own.end < MAX_NAME_TOKENS - 1 and end not in taken
               and doc[end].is_alpha and doc[end].is_title):
            end += 1
        start = _name_start(doc, level_i)
        for stop in range(end, own.end, -1):  # the longest name that fits
            code = self.closest(doc[start:stop].text, level)
            if code is not None:
                return Span(doc, level_i, stop, label="LOCATION", span_id=code)
        return None

    def _table_row_names(self, doc: Doc, taken: dict[int, Span]) -> Iterable[Span]:
        """A misspelled kabupaten or kota name as a grid table's row label, with no level
        word ("7 | Hulu Sungai Tenggah | 5 | 33"): in a table whose other rows name areas of
        one province, the one name of that province within the allowed edits."""
        tables = grid_tables(doc)
        if not tables:
            return
        gazetteer = Gazetteer.load()
        for table in tables:
            rows_in = Counter()  # province code -> rows naming an area that may lie in it
            named, unnamed = 0, []
            for cells in (row_labels(doc, row)[:1] for row in table["body"]):
                if not cells:
                    continue
                start, end = cells[0]
                if start in taken and taken[start].label_ == "LOCATION":
                    named += 1
                    rows_in.update({a.province_code for a in
                                    gazetteer.resolve(taken[start].text).candidates} - {None})
                elif (end - start <= MAX_NAME_TOKENS and not any(i in taken for i in range(
                        start, end)) and all(t.is_alpha and t.is_title for t in doc[start:end])):
                    unnamed.append((start, end))
            if not rows_in or not unnamed:
                continue
            province, rows = rows_in.most_common(1)[0]
            if rows < 2 or 2 * rows <= named:
                continue  # not a table of one province's areas
            for start, end in unnamed:
                for level in ("kabupaten", "kota"):
                    code = self.closest(doc[start:end].text, level)
                    if code is not None and code.split(".")[0] == province:
                        yield Span(doc, start, end, label="LOCATION", span_id=code)
                        break

    @staticmethod
    def _lower_level_keys(doc: Doc) -> set[int]:
        strings = doc.vocab.strings
        return {strings.add(w) for word in ("kecamatan", "kec", "distrik")
                for w in (word, word + ".")}

    def _bare_kecamatan(self, doc: Doc, taken: dict[int, Span], kabupaten: set[str]
                        ) -> Iterable[Span]:
        """In a text that speaks of kecamatan ("tersebar di sembilan kecamatan"), the bare
        capitalised names of kecamatan of the kabupaten or kota it names ("Sekampung dan Way
        Jepara masing-masing tiga kasus"), also where a ruler read a part of the name as an
        area elsewhere ("Jepara"); a name one edit off (two from eight letters) when a figure
        follows it ("Asologeima 198 balita"). A name that is also its kabupaten's, or that of a
        kabupaten the text names with its level word, is the kabupaten's."""
        if not kabupaten:
            return
        names = _kecamatan_names(doc, kabupaten)
        # a text about a few kabupaten: a near name is then one of few, not of hundreds
        near_ok = len(kabupaten) <= NEAR_NAME_MAX_KABUPATEN
        flags = doc.to_array([IS_TITLE, IS_ALPHA])
        next_free = 0
        for i in numpy.flatnonzero(flags[:, 0] & flags[:, 1]).tolist():
            if i < next_free:
                continue
            ent = taken.get(i)
            if ent is not None and (ent.label_ != "LOCATION"
                                    or doc[ent.start].lower_ in LEVEL_FORMS):
                continue
            end = i
            while end < len(doc) and end - i < MAX_NAME_TOKENS and (
                    doc[end].is_title and doc[end].is_alpha) and (
                    end not in taken or (taken[end].label_ == "LOCATION"
                                         and doc[taken[end].start].lower_ not in LEVEL_FORMS)):
                end += 1
            found = None
            for stop in range(end, i, -1):
                covered = {taken[k] for k in range(i, stop) if k in taken}
                if any(e.start < i or e.end > stop for e in covered):
                    continue  # a ruler's area reaching beyond the name
                codes = names.get(_compact(doc[i:stop].text), [])
                if len(codes) == 1:
                    found = Span(doc, i, stop, label="LOCATION", span_id=codes[0])
                    break
            if found is None and near_ok and ent is None and end < len(doc) and (
                    doc[end].like_num) and not any(k in taken for k in range(i, end)):
                found = self._near_kecamatan(doc, i, end, names)
            if found is not None:
                yield found
                next_free = found.end

    @staticmethod
    def _near_kecamatan(doc: Doc, start: int, end: int, names: dict[str, list[str]]
                        ) -> Span | None:
        key = _compact(doc[start:end].text)
        if len(key) < NEAR_NAME_MIN_LETTERS or key in names:
            # "Pada 2021": a short word is one edit from too many names; a name two
            # kecamatan share is no typo of a third
            return None
        limit = _allowed_edits(key)
        scored = sorted((edit_distance(key, name, limit), codes) for name, codes in
                        names.items())
        if not scored or scored[0][0] > limit or len(scored[0][1]) > 1 or (
                len(scored) > 1 and scored[1][0] <= scored[0][0]):
            return None
        return Span(doc, start, end, label="LOCATION", span_id=scored[0][1][0])

    def _table_level_names(self, doc: Doc, taken: dict[int, Span],
                           named_kabupaten: Callable[[], set[str]]) -> Iterable[Span]:
        """The bare row labels of a grid table whose label column is headed by a lower level
        word ("Kecamatan | Balita Stunting | %", then "Bangkala | 742 | 23,1"): the names the
        gazetteer has at that level in a kabupaten or kota the text names, or, for kecamatan
        in a text naming a few kabupaten, the one name a misspelled label is near."""
        tables = grid_tables(doc)
        if not tables:
            return
        gazetteer = Gazetteer.load()
        for table in tables:
            for row in table["body"]:
                cells = row_labels(doc, row)[:1]
                if not cells or list(cells[0]) not in row:
                    continue
                start, end = cells[0]
                header = column_header(table, row, row.index(list(cells[0])))
                word = doc[header[0][0]].lower_.rstrip(".") if header else None
                if word not in LOWER_LEVEL_WORDS or end - start > MAX_NAME_TOKENS:
                    continue
                own = taken.get(start)
                if own is not None and (own.start != start or own.end > end
                                        or own.label_ != "LOCATION"):
                    continue
                entity_id, levels = LOWER_LEVEL_WORDS[word]
                name = doc[start:end].text
                if any(_kabupaten_of(code) in named_kabupaten() for level in levels
                       for code in gazetteer.lower_codes(level, name)):
                    yield Span(doc, start, end, label="LOCATION", span_id=entity_id)
                elif own is None and "kecamatan" in levels and (
                        0 < len(named_kabupaten()) <= NEAR_NAME_MAX_KABUPATEN):
                    # a misspelled row name ("Tulung Slapan"): one kecamatan of a named
                    # kabupaten is near it
                    near = self._near_kecamatan(doc, start, end,
                                                _kecamatan_names(doc, named_kabupaten()))
                    if near is not None:
                        yield near

    def _exact_code(self, name: str, level: str) -> str | None:
        """The code of the one area of `level` called exactly `name` (spaces, hyphens and
        case aside), else None."""
        if self._exact is None:
            self._exact = {}
            for lvl, names in self._names_by_level().items():
                for key, code in names:
                    self._exact.setdefault((lvl, key), []).append(code)
        codes = self._exact.get((level, _compact(name)), [])
        return codes[0] if len(codes) == 1 else None

    def _misspelled_level_words(self, doc: Doc, lower: list[int], taken: dict[int, Span]
                                ) -> Iterable[Span]:
        """"Kabupatem Bima", "Provnsi Jambi": a capitalised word within two edits of a
        kabupaten or provinsi level word, followed by the exact name of an area of that
        level, becomes a LOCATION over both (the ruler's match of the bare name gives way)."""
        levels = {}
        for key in set(lower):
            if key not in self._level_typos:  # words recur across documents: judged once
                if len(self._level_typos) > 200_000:  # a long-running service
                    self._level_typos.clear()
                self._level_typos[key] = _misspelled_level(doc.vocab.strings[key])
            if self._level_typos[key] is not None:
                levels[key] = self._level_typos[key]
        if not levels:
            return
        for i, key in enumerate(lower):
            if key not in levels or i in taken or not doc[i].is_title:
                continue
            start = i + 1
            named = taken.get(start)
            if named is not None and (named.start != start or named.label_ != "LOCATION"):
                continue
            end = start
            while (end < len(doc) and end - start < MAX_NAME_TOKENS and doc[end].is_alpha
                   and doc[end].is_title and (end not in taken or taken[end] is named)):
                end += 1
            for stop in range(end, start, -1):
                code = self._exact_code(doc[start:stop].text, levels[key])
                if code is not None:
                    yield Span(doc, i, stop, label="LOCATION", span_id=code)
                    break

    @staticmethod
    def _dateline_seat(doc: Doc, taken: dict[int, Span]) -> Iterable[Span]:
        """The first line that opens with a kabupaten's seat and a dateline mark ("MAUMERE -",
        "Soe, KOMPAS.com -"): the seat, as a LOCATION of that kabupaten."""
        seats = resources.kabupaten_seats()
        head = doc[: min(len(doc), DATELINE_SCAN)]
        starts = [0] + [t.i + 1 for t in head
                        if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text)]
        for i in starts:
            if i >= len(doc) or doc[i].is_space or not (doc[i].is_upper or doc[i].is_title):
                continue
            for n in range(MAX_NAME_TOKENS, 0, -1):
                end = i + n
                if end >= len(doc) or any(k in taken for k in range(i, end)):
                    continue
                code = seats.get(" ".join(t.lower_ for t in doc[i:end]))
                if code is not None and doc[end].text[:1] in DATELINE_MARKS:
                    yield Span(doc, i, end, label="LOCATION", span_id=code)
                    return

    def __call__(self, doc: Doc) -> Doc:
        found = list(self._candidates(doc))
        in_names = _countries_in_names(doc)
        if found or in_names:
            # a longer name replaces the ruler's shorter match of the same level word
            starts = {span.start for span in found} | in_names
            kept = [ent for ent in doc.ents if ent.start not in starts]
            doc.ents = filter_spans(kept + found)
        return doc
