"""The sentences the records of a paper were read from, numbered once per paper (one query per kind)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from investdesk.i18n import _
from investdesk.models import Document, Evidence
from investdesk.papers.schemas import Source


class SourceList:
    """Collects (record, sentence, document) triples; the same sentence of the same document gets one number."""

    def __init__(self) -> None:
        self.items: list[Source] = []
        self._numbers: dict[tuple[str, int | None], int] = {}
        self._wanted: dict[str, dict[int, str]] = defaultdict(dict)
        self._direct: list[tuple[str, int, str, str, int | None]] = []  # (type, id, about, sentence, document)

    def want(self, entity_type: str, entity_id: int, about: str) -> None:
        """Ask for the evidence rows of a record."""
        self._wanted[entity_type][entity_id] = about

    def sentence(self, entity_type: str, entity_id: int, about: str, sentence: str | None,
                 document_id: int | None) -> None:
        """A sentence kept on the record itself (an engagement's evidence)."""
        if sentence and sentence.strip():
            self._direct.append((entity_type, entity_id, about, sentence.strip(), document_id))

    def resolve(self, session: Session) -> dict[tuple[str, int], list[int]]:
        """Read the evidence and the documents' titles; returns the source numbers of each record."""
        found: list[tuple[str, int, str, str, int | None]] = list(self._direct)
        conds = [and_(Evidence.entity_type == kind, Evidence.entity_id.in_(list(ids)))
                 for kind, ids in self._wanted.items() if ids]
        if conds:
            for kind, eid, sentence, evidence_doc in session.execute(
                    select(Evidence.entity_type, Evidence.entity_id, Evidence.sentence, Evidence.document_id)
                    .where(or_(*conds)).order_by(Evidence.id).limit(500)):
                if sentence and sentence.strip():
                    found.append((kind, eid, self._wanted[kind][eid], sentence.strip(), evidence_doc))
        doc_ids = {d for *_, d in found if d is not None}
        names: dict[int, str] = {}
        if doc_ids:
            names = {i: (t or f or _('document %(i)s', i=i)) for i, t, f in session.execute(
                select(Document.id, Document.title, Document.filename).where(Document.id.in_(doc_ids)))}
        by_record: dict[tuple[str, int], list[int]] = defaultdict(list)
        for kind, eid, about, sentence, doc in found:
            key = (" ".join(sentence.split()), doc)
            number = self._numbers.get(key, 0)
            if not number:
                number = len(self.items) + 1
                self._numbers[key] = number
                self.items.append(Source(number=number, about=about, sentence=key[0], document_id=doc,
                                         document=names.get(doc, "no document") if doc else _("entered by hand")))
            if number not in by_record[(kind, eid)]:
                by_record[(kind, eid)].append(number)
        return by_record
