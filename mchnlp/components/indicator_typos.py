"""`mch_indicator_typos`: misspelled indicator names ("Kasus Stanting", "kematin ibu"), names
written without their head after another name ("kematian bayi dan balita"), names broken over
the lines of a table header pasted from a PDF ("Kematian" over "Ibu") or without the head its
table title gives them ("Neonatal 2022 | Bayi 2022"), names wrapped or hyphenated at a line
break ("kematian\nbayi", "kema-\ntian bayi"), and abbreviations the text itself defines ("...
oleh tenaga kesehatan (PN)", "PN = persalinan ditolong tenaga kesehatan") where they stand alone
(a table's "PN" column).

The indicator ruler matches its phrases exactly. A word no phrase holds is read as each of the
nearest words the phrases hold, within one edit (two for words of ten letters or more); where
the words around it then spell a whole phrase of the ruler, and every such reading names one
code, that phrase becomes an INDICATOR with the code. A near word alone is not enough: the
correction must complete a known name, so "stanting" is stunting only where "stunting" would
have been matched.

The phrases are the indicator ruler's own (read from the pipeline at the first document), so
a pipeline retrained with new indicator phrases corrects those too.
"""

from __future__ import annotations

from itertools import combinations

import numpy
from spacy.attrs import IS_ALPHA, LENGTH, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge.spelling import edit_distance
from ..structure.tables import grid_tables, stacked_header_cells
from .rulers import INDICATOR_RULER

MIN_LETTERS = 6  # shorter words ("bayi", "gizi") have too many real neighbours
ELISION_JOINERS = {",", "dan", "serta", "maupun", "atau"}  # "kematian bayi dan balita"
LIST_ITEM_REACH = 16  # tokens after a name read for the next items of its list
CLAUSE_BREAKS = {".", "\n", "\n\n"}
MIN_GLUED = 4  # letters of each word of a glued pair ("prevalensistunting", not "diare")
MIN_DOUBLED_LETTERS = 4  # "ibuu": a short word is read only for a last letter struck twice
TWO_EDITS_FROM = 10
MAX_PHRASE_TOKENS = 8
CACHE_LIMIT = 200_000  # words judged, kept across documents (a long-running service)


def _ocr_fold(word: str) -> str:
    """`word` with the letters a scan confuses made one: "l" and "i" ("bayl", "Iengkap"), "rn"
    and "m" ("Kecarnatan")."""
    return word.replace("rn", "m").replace("l", "i")


def _deletes(word: str, n: int) -> set[str]:
    """The strings `word` gives with `n` letters left out."""
    return {"".join(c for k, c in enumerate(word) if k not in gone)
            for gone in combinations(range(len(word)), n)}


def _opens_item(doc: Doc, i: int) -> bool:
    """The word at `i` labels a figure right after it, past a bracket ("neonatal (0-28 hr) 97
    bayi", "balita 15 per 1.000 KH")."""
    k = i + 1
    if k < len(doc) and doc[k].text == "(":
        while k < min(len(doc), i + 10) and doc[k].text != ")":
            k += 1
        k += 1
    return k < len(doc) and doc[k].like_num


def _abbreviation(token) -> bool:
    """An upper-case word of two to five letters or digits that may abbreviate a name."""
    text = token.text
    return 2 <= len(text) <= 5 and text.isalnum() and text.isupper() and not text.isdigit()


class IndicatorTypos:
    def __init__(self, nlp: Language, name: str = "mch_indicator_typos",
                 ruler: str = INDICATOR_RULER) -> None:
        self.nlp, self.name, self.ruler = nlp, name, ruler
        self._phrases: dict[str, str] | None = None  # lower-cased phrase text -> code
        self._words: set[str] = set()
        self._by_deletes: dict[str, set[str]] = {}
        self._by_fold: dict[str, set[str]] = {}  # phrase words by their `_ocr_fold`
        self._corrections: dict[str, tuple[str, ...]] = {}
        self._judged: dict[int, tuple[str, ...]] = {}  # the same, by the word's string id
        self._glued: dict[str, str | None] = {}  # word -> its two glued phrase words

    def _index(self) -> None:
        phrases: dict[str, str] = {}
        if self.ruler in self.nlp.pipe_names:
            for pattern in self.nlp.get_pipe(self.ruler).patterns:
                if isinstance(pattern["pattern"], str) and pattern.get("id"):
                    phrases.setdefault(pattern["pattern"].lower(), pattern["id"])
        self._phrases = phrases
        self._words = {w for phrase in phrases for w in phrase.split() if w.isalpha()}
        for word in self._words:
            self._by_fold.setdefault(_ocr_fold(word), set()).add(word)
            if len(word) < MIN_LETTERS:
                continue
            keys = {word} | _deletes(word, 1)
            if len(word) >= TWO_EDITS_FROM:
                keys |= _deletes(word, 2)
            for key in keys:
                self._by_deletes.setdefault(key, set()).add(word)

    def corrections(self, lower: str) -> tuple[str, ...]:
        """The phrase words nearest to `lower` within its edit limit (none for a short word or
        one with no near phrase word; for a phrase word, only the one-word names near it)."""
        if self._phrases is None:
            self._index()
        if lower in self._corrections:
            return self._corrections[lower]
        found: tuple[str, ...] = ()
        if lower[-1:] == lower[-2:-1] and lower[:-1] in self._words and lower not in self._words:
            found = (lower[:-1],)  # a key struck twice at the end ("kematian ibuu", "bayii")
        elif len(lower) >= MIN_LETTERS and lower.isalpha():
            limit = 2 if len(lower) >= TWO_EDITS_FROM else 1
            keys = {lower} | _deletes(lower, 1) | (_deletes(lower, 2) if limit == 2 else set())
            near = {w for key in keys for w in self._by_deletes.get(key, ())} - {lower}
            if lower in self._words:
                # a word of a misspelled phrase ("stuntng pada balita") standing alone for the
                # one-word name it misspells ("Untuk stuntng, ..."); "kematian" names nothing
                # alone
                near &= self._phrases.keys()
            scored = [(edit_distance(lower, w, limit), w) for w in sorted(near)]
            best = min((d for d, _ in scored), default=limit + 1)
            if best <= limit:
                found = tuple(w for d, w in scored if d == best)
        if not found and lower not in self._words and lower.isalpha():
            # a word of a scanned page read with "l" for "i" ("kematian bayl"), short too
            found = tuple(sorted(self._by_fold.get(_ocr_fold(lower), set()) - {lower}))
        if len(self._corrections) > CACHE_LIMIT:
            self._corrections.clear()
            self._judged.clear()
        self._corrections[lower] = found
        return found

    def _phrase_at(self, doc: Doc, i: int, word: str, taken: set[int]) -> Span | None:
        """The longest ruler phrase over token `i`, read as `word`, among the tokens no entity
        holds (`taken`)."""
        return self._phrase_over(doc, i, i + 1, word, taken)

    def _phrase_over(self, doc: Doc, first: int, last: int, read: str,
                     taken: set[int]) -> Span | None:
        """The longest ruler phrase over the tokens `first` to `last`, read together as
        `read`, among the tokens no entity holds (`taken`)."""
        best = None
        for start in range(max(0, first - MAX_PHRASE_TOKENS + 1), first + 1):
            if any(k in taken for k in range(start, last)):
                continue
            before = "".join(doc[k].lower_ + doc[k].whitespace_ for k in range(start, first))
            for end in range(min(len(doc), start + MAX_PHRASE_TOKENS + last - first - 1),
                             last - 1, -1):
                if any(k in taken for k in range(last, end)):
                    continue
                after = "".join(doc[k].lower_ + doc[k].whitespace_ for k in range(last, end))
                text = (before + read + doc[last - 1].whitespace_ + after).rstrip()
                code = self._phrases.get(text)
                if code is not None and (best is None or end - start > len(best)):
                    best = Span(doc, start, end, label="INDICATOR", span_id=code)
        return best

    def _elided_names(self, doc: Doc) -> None:
        """A word coordinated after an indicator name that completes another name with the
        first words of that name ("Angka kematian bayi dan balita", "Kematian neonatal, bayi
        dan balita"), or that opens the next item of a list the name opens ("Kematian bayi
        148, neonatal 97"): the second name, written without its head, becomes an
        INDICATOR."""
        found = []
        ents = list(doc.ents)
        taken = {k for ent in ents for k in range(ent.start, ent.end)}
        for ent in ents:
            if ent.label_ != "INDICATOR" or len(ent) < 2:
                continue
            head = "".join(t.lower_ + t.whitespace_ for t in ent[:-1])
            k = ent.end
            while k + 1 < len(doc) and doc[k].lower_ in ELISION_JOINERS:
                word = doc[k + 1]
                code = self._phrases.get(head + word.lower_)
                if code is None or word.i in taken:
                    break
                found.append(Span(doc, word.i, word.i + 1, label="INDICATOR", span_id=code))
                k += 2
            # the next items of a list that opens with the name ("Kematian bayi 148 bayi,
            # neonatal 97 bayi"): a word right after a comma that completes another name
            for k in range(k, min(len(doc) - 1, k + LIST_ITEM_REACH)):
                if doc[k].text in CLAUSE_BREAKS or "\n" in doc[k].whitespace_:
                    break
                word = doc[k + 1]
                if doc[k].text in (",", ";") and word.i not in taken and _opens_item(doc, word.i) \
                        and (code := self._phrases.get(head + word.lower_)) is not None:
                    found.append(Span(doc, word.i, word.i + 1, label="INDICATOR",
                                      span_id=code))
        if found:
            doc.ents = filter_spans(ents + found)

    def _stacked_names(self, doc: Doc) -> None:
        """A column header written over two or more lines whose words, read top to bottom,
        spell a ruler phrase ("Kematian" over "Ibu"): its last line becomes the INDICATOR,
        which is where the cells below find their column's indicator."""
        found = []
        taken = {k for ent in doc.ents for k in range(ent.start, ent.end)}
        for table in grid_tables(doc):
            for stack in stacked_header_cells(doc, table):
                text = " ".join(" ".join(doc[a:b].text.lower().split()) for a, b in stack)
                code = self._phrases.get(text)
                last = stack[-1]
                if code is not None and not any(k in taken for k in range(*last)):
                    found.append(Span(doc, *last, label="INDICATOR", span_id=code))
        if found:
            doc.ents = filter_spans(list(doc.ents) + found)

    def _glued_names(self, doc: Doc, rows: numpy.ndarray) -> None:
        """A word that is two words of the ruler's phrases written without the space between
        ("Prevalensistunting", "imunisasidasar lengkap"): where the two words, with the words
        around them, spell a whole phrase, that phrase becomes an INDICATOR. `rows`: the
        LOWER, IS_ALPHA and LENGTH arrays."""
        long_words = numpy.flatnonzero((rows[:, 1] == 1) & (rows[:, 2] >= 2 * MIN_GLUED))
        if not len(long_words):
            return
        strings = doc.vocab.strings
        ents = list(doc.ents)
        taken = {k for ent in ents for k in range(ent.start, ent.end)}
        found = []
        for i in long_words.tolist():
            read = self._unglued(strings[int(rows[i, 0])]) if i not in taken else None
            if read is not None:
                span = self._phrase_over(doc, i, i + 1, read, taken)
                if span is not None:
                    found.append(span)
                    taken.update(range(span.start, span.end))
        if found:
            doc.ents = filter_spans(ents + found)

    def _unglued(self, lower: str) -> str | None:
        """`lower` as the two phrase words it glues together, if it glues one pair only."""
        if lower in self._glued:
            return self._glued[lower]
        reads = [lower[:k] + " " + lower[k:] for k in range(MIN_GLUED, len(lower) - MIN_GLUED + 1)
                 if lower[:k] in self._words and lower[k:] in self._words]
        read = reads[0] if len(reads) == 1 and lower not in self._words else None
        if len(self._glued) > CACHE_LIMIT:
            self._glued.clear()
        self._glued[lower] = read
        return read

    def _defined_abbreviations(self, doc: Doc) -> None:
        """A short upper-case word the text defines as an indicator name, in brackets after
        the name ("pertolongan persalinan oleh tenaga kesehatan (PN)") or in a legend ("PN =
        persalinan ditolong tenaga kesehatan"): its other uses (a table's "PN" column) become
        INDICATORs with the name's code."""
        ents = list(doc.ents)
        named = {ent.start: ent for ent in ents if ent.label_ == "INDICATOR"}
        if not named:
            return
        taken = {k for ent in ents for k in range(ent.start, ent.end)}
        defined: dict[str, str] = {}
        for ent in named.values():
            k = ent.end
            if k + 2 < len(doc) and doc[k].text == "(" and doc[k + 2].text == ")" and (
                    k + 1 not in taken and _abbreviation(doc[k + 1])):
                defined.setdefault(doc[k + 1].text, ent.ent_id_)
        orth = doc.to_array(ORTH)
        strings = doc.vocab.strings
        links = numpy.flatnonzero(numpy.isin(orth, [strings["="], strings[":"]])).tolist()
        for k in links:
            if 0 < k and k + 1 in named and k - 1 not in taken and _abbreviation(doc[k - 1]):
                defined.setdefault(doc[k - 1].text, named[k + 1].ent_id_)
        if not defined:
            return
        uses = numpy.flatnonzero(numpy.isin(orth, [strings[a] for a in defined])).tolist()
        found = [Span(doc, i, i + 1, label="INDICATOR", span_id=defined[doc[i].text])
                 for i in uses if i not in taken]
        if found:
            doc.ents = filter_spans(ents + found)

    def _header_names(self, doc: Doc) -> None:
        """A column header that names an indicator without the head its table title gives it
        ("Neonatal 2022 | Bayi 2022" under "Jumlah Kematian Neonatal dan Bayi menurut
        Kecamatan"): the header's first word becomes the INDICATOR the title's head and that
        word spell."""
        found = []
        taken = {k for ent in doc.ents for k in range(ent.start, ent.end)}
        for table in grid_tables(doc):
            if not table["title"] or not table["header"]:
                continue
            first, end = table["title"]
            heads = {"".join(t.lower_ + t.whitespace_ for t in ent[:-1])
                     for ent in doc.ents if ent.label_ == "INDICATOR" and len(ent) >= 2
                     and first <= ent.start and ent.end <= end}
            for start, _ in (cell for row in table["header"] for cell in row):
                if start in taken or not doc[start].is_alpha:
                    continue
                codes = {self._phrases.get(head + doc[start].lower_) for head in heads} - {None}
                if len(codes) == 1:
                    found.append(Span(doc, start, start + 1, label="INDICATOR",
                                      span_id=codes.pop()))
        if found:
            doc.ents = filter_spans(list(doc.ents) + found)

    def _wrapped_names(self, doc: Doc) -> None:
        """A ruler phrase wrapped over two lines of prose ("sedangkan kematian\nbayi mencapai
        58 kasus"): the ruler matches no phrase across the line-break token."""
        newline = doc.vocab.strings["\n"]
        broken = [(i - 1, i + 2, f"{doc[i - 1].lower_} {doc[i + 1].lower_}")
                  for i in numpy.flatnonzero(doc.to_array(ORTH) == newline).tolist()
                  if 0 < i < len(doc) - 1 and doc[i - 1].lower_ in self._words
                  and doc[i + 1].lower_ in self._words]
        self._add_phrases_over(doc, broken)

    def _line_broken_names(self, doc: Doc) -> None:
        """A word of a ruler phrase hyphenated at a line break, as text copied from a PDF or a
        scan has it ("Angka kema-\ntian bayi"): where the words around it, read with the word
        whole, spell a phrase, the phrase becomes an INDICATOR. The tokens stay as they are (the
        line break still parts the lines of a table or a list)."""
        broken = []
        for i in numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings["-"]).tolist():
            if (0 < i < len(doc) - 2 and doc[i - 1].is_alpha and not doc[i - 1].whitespace_
                    and doc[i + 1].is_space and "\n" in doc[i + 1].text
                    and doc[i + 2].is_alpha and doc[i + 2].is_lower):
                word = doc[i - 1].lower_ + doc[i + 2].lower_
                if word in self._words:
                    broken.append((i - 1, i + 3, word))  # the tokens of the broken word
        self._add_phrases_over(doc, broken)

    def _add_phrases_over(self, doc: Doc, pieces: list[tuple[int, int, str]]) -> None:
        """The longest phrase over each (first token, last token + 1, what they read as) of
        `pieces` becomes an INDICATOR."""
        if not pieces:
            return
        taken = {k for ent in doc.ents for k in range(ent.start, ent.end)}
        found = []
        for first, last, read in pieces:
            span = self._phrase_over(doc, first, last, read, taken)
            if span is not None:
                found.append(span)
                taken.update(range(span.start, span.end))
        if found:
            doc.ents = filter_spans(list(doc.ents) + found)

    def __call__(self, doc: Doc) -> Doc:
        if self._phrases is None:
            self._index()
        if not self._phrases or not len(doc):
            return doc
        self._line_broken_names(doc)
        self._wrapped_names(doc)
        self._elided_names(doc)
        self._stacked_names(doc)
        self._header_names(doc)
        self._defined_abbreviations(doc)
        # the words are judged once per distinct word (and cached), not once per token
        rows = doc.to_array([LOWER, IS_ALPHA, LENGTH])
        self._glued_names(doc, rows)
        keys = rows[(rows[:, 1] == 1) & (rows[:, 2] >= MIN_DOUBLED_LETTERS), 0]
        strings = doc.vocab.strings
        judged = self._judged
        typos = {}
        for key in numpy.unique(keys).tolist():
            near = judged.get(key)
            if near is None:
                near = judged[key] = self.corrections(strings[key])
            if near:
                typos[key] = near
        if not typos:
            return doc
        found = []
        taken = {k for ent in doc.ents for k in range(ent.start, ent.end)}
        for i in numpy.flatnonzero(numpy.isin(rows[:, 0], list(typos))).tolist():
            if i in taken:
                continue
            # "stanting" is one edit from "stunting" and from the ruler's "stnting": the
            # reading stands when every near word that completes a phrase gives one code
            spans = [span for word in typos[int(rows[i, 0])]
                     if (span := self._phrase_at(doc, i, word, taken)) is not None]
            if spans and len({span.id_ for span in spans}) == 1:
                found.append(max(spans, key=len))
        if found:
            doc.ents = filter_spans(list(doc.ents) + found)
        return doc
