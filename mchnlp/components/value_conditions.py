"""The condition a counted group is said to be in, for the value rules (`mch_values`): "1.642
ibu hamil mengalami anemia", "85 bayi lahir dengan berat badan rendah", "seperempat ibu hamil
yang diperiksa tercatat mengalami anemia". The group and its condition together name the
indicator (`condition_phrases` of the value-rule lexicon), where no INDICATOR span is written
as one name."""

from __future__ import annotations

from ..structure.words import Phrase, Phrases

CONDITION_REACH = 10  # words from the counted group to its condition
# words between the group and its condition: a relative clause ("yang diperiksa"), a report verb
# ("tercatat"), and the verbs that put the group in its condition
_CLAUSE_BREAKS = {".", ",", ";", ":", "(", ")", "dan", "serta", "sedangkan", "sementara"}


class ValueConditions:
    """The condition readings of `ValueRules`, which holds the lexicon."""

    _conditions: dict[Phrase, tuple[Phrases, dict[Phrase, str]]] | None = None
    _condition_links: frozenset[str] = frozenset()
    _conditions_of: int | None = None

    def _condition_table(self) -> dict[Phrase, tuple[Phrases, dict[Phrase, str]]]:
        """Group phrase -> (its condition phrases, condition phrase -> indicator code)."""
        if self._conditions is None or self._conditions_of != id(self.lexicon):
            table = {}
            for group, conditions in self.lexicon.get("condition_phrases", {}).items():
                codes = {tuple(phrase.lower().split()): code
                         for phrase, code in conditions.items()}
                longest_first = sorted(codes, key=len, reverse=True)
                table[tuple(group.lower().split())] = (Phrases(longest_first), codes)
            self._conditions, self._conditions_of = table, id(self.lexicon)
            self._condition_links = frozenset(
                self.lexicon.get("state_words", [])) | frozenset(self.lexicon.get(
                    "condition_links", []))
        return self._conditions

    def _condition_indicator(self, words: list[str], group: Phrase, after: int) -> str | None:
        """The indicator of the condition the counted `group` (ending at `after`) is said to
        be in, within its clause, after a state word or "lahir" ("mengalami anemia", "lahir
        dengan berat badan rendah")."""
        entry = self._condition_table().get(group)
        if entry is None:
            return None
        phrases, codes = entry
        linked = False
        for k in range(after, min(len(words), after + CONDITION_REACH)):
            if words[k] in _CLAUSE_BREAKS:
                return None
            if linked:
                n = self._match_at(words, k, phrases)
                if n:
                    return codes[tuple(words[k:k + n])]
            linked = linked or words[k] in self._condition_links
        return None
