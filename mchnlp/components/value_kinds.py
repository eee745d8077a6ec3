"""The kind of a figure for the value rules (`mch_values`): observed, target or change, from
the cue words of its clause and the figures before it."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ..structure.headings import list_heading
from ..structure.lists import JOINERS

CHANGE_TO_REACH = 4  # words from a present level to the target it changes to ("turun menjadi")
# "..., 16 persen pada akhir 2026", "dan 2026 sebesar 95 persen"
_PERIOD_LINKS = {"pada", "di", "tahun", "akhir", "untuk", "sebesar", "sebanyak", "yakni", "yaitu"}
TARGET_LIST_GAP = 8  # words between two targets of one list, a name counting as one
CLAUSE_WORDS = 8  # words of a figure's clause before it, a name counting as one
# what an item of a list of targets says before its figure besides its name and period
# ("menargetkan kematian ibu turun menjadi 35 kasus dan kematian bayi menjadi 270 kasus",
# "stunting 14 persen dan wasting di bawah 5 persen")
_TARGET_ITEM_WORDS = {"menjadi", "jadi", "ke", "hingga", "sampai", "turun", "ditekan", "di",
                      "bawah", "maksimal", "minimal", "tidak", "lebih", "kurang"}
AIM_REACH = 3  # words from an aim word to the change verb it governs ("agar stunting turun")
THRESHOLD_REACH = 10  # words from a threshold noun to its figure ("Batas yang dianggap ...
# masalah kesehatan masyarakat oleh WHO adalah 20 persen")
# words that give the figure after them to a subject or a target ("batas target 10 kasus"),
# not to a threshold named before
_OWN_FIGURE_WORDS = {"dengan", "mencapai", "sebesar", "sebanyak", "tercatat", "yakni", "yaitu",
                     "target"}


class ValueKinds:
    """The kind readings of `ValueRules`, which sets `_sents`, `_ent_at` and the cue phrase
    tables used here."""

    _threshold_words: frozenset[str] | None = None
    _thresholds_of: int | None = None

    def _kind_attrs(self, doc: Doc, words: list[str], i: int,
                    previous: list[tuple[Span, dict]]) -> dict:
        """{"kind": ...}, with "change_cue" for an observed figure after a change verb."""
        # the clause of the figure: its sentence, after the previous figure, 8 words at most
        floor = max(self._sents.start(i), previous[-1][0].end if previous else 0,
                    self._words_back(i, CLAUSE_WORDS))
        attrs: dict = {"kind": self._kind(words, i, floor)}
        if attrs["kind"] == "present_level":
            # "menargetkan stunting yang kini 19,8 persen turun menjadi 14 persen"
            attrs = {"kind": "observed", "under_target": True}
        elif previous and previous[-1][1].get("under_target") and (
                previous[-1][0].end >= i - CHANGE_TO_REACH) and any(
                w in self.present_to_target for w in words[previous[-1][0].end:i]):
            attrs["kind"] = "target"
        elif attrs["kind"] == "observed" and previous and self._continues_targets(
                words, i, previous[-1]):
            attrs["kind"] = "target"
        elif attrs["kind"] == "observed" and i > 0 and words[i - 1] in self.reached_words and (
                self._aimed(words, i)):
            attrs["kind"] = "target"
        elif attrs["kind"] == "observed" and self._under_target_heading(doc, words, i):
            attrs["kind"] = "target"
        if attrs["kind"] == "observed" and self._change_cue_before(words, i, floor):
            attrs["change_cue"] = True
        return attrs

    def _threshold(self, words: list[str], i: int, end: int) -> bool:
        """The figure at `i`..`end` is a threshold, band or standard (`threshold_words`): one
        stands a few words before it in its clause ("batas WHO adalah 20 persen", "kategori
        tinggi (20-29 persen)"), or right after it past a comma or bracket ("di atas 30
        persen, batas zona merah")."""
        nouns = self._threshold_words
        if nouns is None or self._thresholds_of != id(self.lexicon):
            nouns = self._threshold_words = frozenset(self.lexicon.get("threshold_words", ()))
            self._thresholds_of = id(self.lexicon)
        for k in range(i - 1, max(self._sents.start(i), i - THRESHOLD_REACH) - 1, -1):
            if words[k] in nouns:
                return True
            if words[k] in _OWN_FIGURE_WORDS or words[k] in (",", ";", ".") or any(
                    c.isdigit() for c in words[k]) or k in self._ent_at:
                break
        after = end + 1
        return after < len(words) and words[end] in (",", "(") and words[after] in nouns

    def _words_back(self, i: int, count: int) -> int:
        """The token `count` words before `i`, an entity of several tokens (an indicator's
        name, "sepanjang tahun ini") counting as one word."""
        k = i
        while count > 0 and k > 0:
            named = self._ent_at.get(k - 1)
            k = named.start if named is not None and named.start < k - 1 else k - 1
            count -= 1
        return k

    def _continues_targets(self, words: list[str], i: int, before: tuple[Span, dict]) -> bool:
        """The figure continues a list of targets ("menjadi 18 persen pada 2025, 16 persen pada
        2026 dan 12 persen pada 2029", "AKB 5 per 1.000 KH dan AKI 100 per 100.000 KH"): only
        the joiners, periods, indicator names and level words of the list's items lie between
        it and a target of its sentence."""
        value, attrs = before
        if attrs.get("kind") != "target" or self._sents.start(i) > value.start:
            return False
        between = range(value.end, i)
        if self._words_back(i, TARGET_LIST_GAP) > value.end or not any(
                words[k] in JOINERS for k in between):
            return False
        return all(words[k] in JOINERS or words[k] in _PERIOD_LINKS
                   or words[k] in _TARGET_ITEM_WORDS or (
                       self._ent_at.get(k) is not None
                       and self._ent_at[k].label_ in ("DATE", "INDICATOR"))
                   for k in between)

    def _under_target_heading(self, doc: Doc, words: list[str], i: int) -> bool:
        """The figure is an item of a list under a heading line that names a target ("Target
        tahun 2024:" over "- kematian ibu maksimal 8 kasus;" and "- cakupan IDL 90 %.")."""
        heading = list_heading(doc, self._sents, self._sents.index(i))
        return heading is not None and any(
            w in self.target_cues
            for w in words[self._sents.starts[heading]:self._sents.ends[heading]])

    def _aimed(self, words: list[str], i: int) -> bool:
        """The change that reaches the figure at `i` is an aim: an aim word stands one or two
        words before a change verb earlier in the sentence ("untuk menurunkan stunting dari
        25,2 persen menjadi 20 persen")."""
        for k in range(self._sents.start(i), i - 1):
            if words[k] in self.aim_words:
                for j in range(k + 1, min(k + 1 + AIM_REACH, i)):
                    if words[j] in self.change_cues:
                        return True
                    if not words[j].isalpha():
                        break
        return False

    def _kind(self, words: list[str], i: int, floor: int) -> str:
        window = words[floor:i]
        cue = next((k for k in range(len(window) - 1, -1, -1) if window[k] in self.target_cues),
                   None)
        if cue is not None:
            clause = window[cue + 1:]
            if "yang" in clause and any(w in self.present_level_words
                                        for w in clause[clause.index("yang"):]):
                return "present_level"
            return "target"
        k = i - self._match_before(words, i, self.qualifier_phrases)
        if k > floor and words[k - 1] in ("sebesar", "sebanyak"):
            k -= 1
        # "mengurangi kematian bayi sebanyak 13 kasus": the cue may govern the indicator
        named = self._ent_at.get(k - 1)
        if named is not None and named.label_ == "INDICATOR" and named.start > floor:
            k = named.start
        if k > floor and words[k - 1] in self.change_cues:
            return "change"
        # "penurunan mencapai 50 persen": a noun of change reaching a figure is the change
        if (k - 1 > floor and words[k - 1] in self.change_links
                and words[k - 2] in self.change_nouns):
            return "change"
        return "observed"

    def _change_cue_before(self, words: list[str], i: int, floor: int) -> bool:
        """A change verb earlier in the clause ("berkurang hingga 90 persen"): the figure
        may be the level reached or the size of the change; `doc_facts` decides by unit."""
        if i > floor and words[i - 1] in self.level_markers:
            return False  # "turun menjadi 0,9 persen", "dari 1,2 persen": a level
        return any(w in self.change_cues for w in words[floor:i])
