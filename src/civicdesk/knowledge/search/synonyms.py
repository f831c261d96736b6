"""Synonym groups: the words residents use and the words articles and services use.

Two sources, both lists of comma-separated words or phrases that mean the same thing:

- the groups shipped with the engine, per language, in `data/synonyms-<language>.txt`;
- the staff's own, `portal.SearchSynonym` rows, edited in the admin (the service search of the
  portal reads the same rows); they apply to every language.

A group is analysed like any text (stemmed, stop words dropped), so "kids", "kid" and "Kid's"
are one entry, and a phrase ("hole in the road") becomes a run of stems that must appear in
that order in the query.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from civicdesk.knowledge.search.analysis import Analyzer, data_lines

Phrase = tuple[str, ...]


def shipped_groups(language: str) -> list[list[str]]:
    """The synonym groups shipped for a language."""
    return [
        [term.strip() for term in line.split(",") if term.strip()]
        for line in data_lines(f"synonyms-{language}.txt")
    ]


@dataclass(frozen=True)
class SynonymTable:
    """Synonym groups as stem phrases, looked up by their first stem."""

    groups: tuple[tuple[Phrase, ...], ...] = ()
    by_first: dict[str, list[tuple[Phrase, int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, analyzer: Analyzer, groups: Iterable[Sequence[str]]) -> "SynonymTable":
        compiled: list[tuple[Phrase, ...]] = []
        for group in groups:
            phrases: list[Phrase] = []
            for term in group:
                phrase = tuple(analyzer.stems(term))
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
            if len(phrases) > 1:
                compiled.append(tuple(phrases))
        by_first: dict[str, list[tuple[Phrase, int]]] = {}
        for index, group_phrases in enumerate(compiled):
            for phrase in group_phrases:
                by_first.setdefault(phrase[0], []).append((phrase, index))
        for entries in by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        return cls(groups=tuple(compiled), by_first=by_first)

    def match(self, stems: Sequence[str], start: int) -> tuple[int, list[Phrase]]:
        """The longest phrase of any group at `stems[start:]`: its length and the other phrases
        of its groups; (0, []) when none starts there."""
        for phrase, _ in self.by_first.get(stems[start], ()):
            end = start + len(phrase)
            if tuple(stems[start:end]) != phrase:
                continue
            others: list[Phrase] = []
            for candidate, index in self.by_first[stems[start]]:
                if candidate != phrase:
                    continue
                others.extend(other for other in self.groups[index] if other != phrase)
            return len(phrase), list(dict.fromkeys(others))
        return 0, []
