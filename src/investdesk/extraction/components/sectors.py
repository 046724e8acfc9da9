"""Sectors: ids from ``lexicons/sector_terms.tsv``, matched on lower-cased words and on lemmas.

Writes ``doc._.sectors`` (the document's sector ids). ``sectors_in_text`` gives the ids of one sentence
or clause to the components that need them (engagements, opportunities, tables).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from investdesk.extraction.lexicon import lexicon


class SectorMatcher:
    """Sector ids from terms and synonyms, matched on lower-cased words and on lemmas."""

    def __init__(self, nlp: Any, terms: dict[str, list[str]]) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for sector, words in terms.items():
            self.lower.add(sector, [nlp.tokenizer(w) for w in words])
            # Lemmas catch inflections the term list does not spell out ("batteries" -> "battery").
            single = [w for w in words if " " not in w and not w.endswith("ing")]
            self.lemma.add(sector, [d for d in nlp.pipe(single) if d[0].lemma_.lower() == d[0].lower_])
        self._nlp = nlp

    def in_doc(self, doc: Any) -> list[str]:
        found = {self._nlp.vocab.strings[mid] for mid, _, _ in self.lower(doc)}
        found |= {self._nlp.vocab.strings[mid] for mid, _, _ in self.lemma(doc)}
        return sorted(found)

    def in_text(self, text: str) -> list[str]:
        doc = self._nlp.tokenizer(text)
        return sorted({self._nlp.vocab.strings[mid] for mid, _, _ in self.lower(doc)})


_MATCHER: SectorMatcher | None = None


def sectors_in_text(text: str) -> list[str]:
    """The sector ids of a piece of text (a sentence, a clause, a table cell)."""
    if _MATCHER is None:
        raise RuntimeError("the investdesk_sectors component is not in the pipeline")
    return _MATCHER.in_text(text)


@Language.factory("investdesk_sectors")
def make_sectors(nlp: Language, name: str) -> Any:
    global _MATCHER
    matcher = SectorMatcher(nlp, lexicon().sector_terms)
    _MATCHER = matcher

    def component(doc: Doc) -> Doc:
        doc._.sectors = matcher.in_doc(doc)
        return doc

    return component
