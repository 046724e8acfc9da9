"""The ``Doc._`` extensions the components write, and a read-only view over them.

Each component writes its own extensions and reads those of the components before it:

=================  =============================  ===========================================
component          writes                         reads
=================  =============================  ===========================================
segments           text, sents, paragraphs,       (tokens, sentence starts)
                   meeting_sents, commitment_sents
genre              genre                          text, tables
tables             table_rows                     tables, genre
people             person_mentions                sents, ents
organizations      orgs                           person_mentions, known, table_rows
places             places                         orgs, sents, genre
sides              people (and each org's role)   orgs, places, person_mentions
sectors            sectors                        tokens
engagements        engagements                    orgs, places, table_rows
opportunities      opportunities                  orgs, people, table_rows, genre
named              policies, offerings, events    sents, orgs
outcomes           outcomes                       sents, orgs, table_rows, genre
=================  =============================  ===========================================

``known`` and ``known_people`` (names the knowledge base knows) and ``tables`` (from the document reader) are inputs,
set on the ``Doc`` before the components run.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.lexicon import Lexicon, lexicon
from investdesk.extraction.normalize import org_key

_LIST_EXTENSIONS = ("sents", "paragraphs", "known", "known_people", "tables", "table_rows", "person_mentions",
                    "orgs", "people", "sectors", "engagements", "opportunities", "policies", "offerings", "events",
                    "outcomes")
_SET_EXTENSIONS = ("meeting_sents", "commitment_sents")


def register_extensions() -> None:
    """Declare every extension once (idempotent; lists and sets default to None and are created by their writer)."""
    for name in (*_LIST_EXTENSIONS, *_SET_EXTENSIONS, "text", "genre", "places"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


@dataclass
class Person:
    name: str
    honorific: str | None
    titles: list[str]
    organization: str | None
    side: str
    delegate: bool
    evidence: str
    present: bool = False
    met: bool = False  # named as the one the delegation met ("held talks with X")
    met_first: bool = False  # introduced as the one met, at the first mention
    sents: list[int] = field(default_factory=list)


class Analysis:
    """What the components so far have written on one ``Doc``, read through one object."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex: Lexicon = lexicon()

    @property
    def text(self) -> str:
        return self.doc._.text if self.doc._.text is not None else self.doc.text

    @property
    def sents(self) -> list[Span]:
        return self.doc._.sents or []

    @property
    def paragraphs(self) -> list[int]:
        return self.doc._.paragraphs or []

    @property
    def meeting_sents(self) -> set[int]:
        return self.doc._.meeting_sents or set()

    @property
    def commitment_sents(self) -> set[int]:
        return self.doc._.commitment_sents or set()

    @property
    def orgs(self) -> list[Org]:
        return self.doc._.orgs or []

    @property
    def people(self) -> list[Person]:
        return self.doc._.people or []

    @property
    def places(self) -> Any:
        from investdesk.extraction.components.places import Places

        return self.doc._.places or Places()

    @property
    def genre(self) -> str:
        return self.doc._.genre or "news"

    @property
    def table_rows(self) -> list[Any]:
        return self.doc._.table_rows or []

    def sent_of(self, char: int) -> int:
        sents = self.sents
        return max(0, min(bisect_right([s.start_char for s in sents], char) - 1, len(sents) - 1))

    def org_by_text(self, text: str) -> Org | None:
        key = org_key(text)
        for org in self.orgs:
            if key in org.keys or (org.acronym and text == org.acronym):
                return org
        return None


def ents_by_sent(doc: Doc, sents: list[Span]) -> list[list[Span]]:
    """The entities of each sentence, grouped in one pass (asking each sentence walks the whole document)."""
    starts = [s.start_char for s in sents]
    out: list[list[Span]] = [[] for _ in sents]
    for ent in doc.ents:
        k = bisect_right(starts, ent.start_char) - 1
        if 0 <= k < len(sents):
            out[k].append(ent)
    return out


__all__ = ["Analysis", "Person", "ents_by_sent", "register_extensions"]
