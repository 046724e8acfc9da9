"""The extractor: the nlp object of :mod:`investdesk.extraction.pipeline`, text (or a read document) in,
contract out."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.assemble import assemble, is_own_engagement
from investdesk.extraction.contract import Extraction, Source
from investdesk.extraction.known import KnownNames, KnownOrganization, KnownPerson
from investdesk.extraction.pipeline import build_pipeline, load_model

MAX_CHARS = 1_000_000  # spaCy's own limit; longer documents are cut

# What ``pipe`` and ``extract_document`` take: a text, or a read document (anything with ``text`` and,
# after the readers learn structure, ``tables``).
Input = Any


def _known_dicts(known: KnownNames | None) -> list[dict[str, Any]]:
    return [o.model_dump() for o in known.organizations] if known else []


class Extractor:
    """Holds the loaded pipeline; ``extract`` for one text, ``extract_document`` for one read document,
    ``pipe`` for many.

    ``home_jurisdiction`` (the agency's own, e.g. "Uttar Pradesh") only fills the optional
    ``home_is_agency`` field; it never decides the document's ``home``."""

    def __init__(self, nlp: Language | None = None, *, home_jurisdiction: str | None = None) -> None:
        self.nlp = build_pipeline(nlp)
        self.home_jurisdiction = home_jurisdiction

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Extractor:
        return cls()

    def make_doc(self, item: Input, known: KnownNames | None = None) -> Doc:
        """A tokenised Doc carrying the inputs the components read: known names and the reader's tables."""
        text = item if isinstance(item, str) else str(getattr(item, "text", "") or "")
        doc = self.nlp.make_doc(text[:MAX_CHARS])
        doc._.known = _known_dicts(known)
        doc._.known_people = [p.model_dump() for p in known.people] if known else []
        doc._.tables = [] if isinstance(item, str) else list(getattr(item, "tables", ()) or ())
        return doc

    def from_doc(self, doc: Doc, *, source: Source | None = None) -> Extraction:
        """The contract record of a Doc the whole pipeline has run on."""
        if not doc.text.strip():
            out = Extraction(source=source or Source())
        else:
            out = assemble(doc, source or Source())
        if self.home_jurisdiction:
            out.home_is_agency = is_own_engagement(out, self.home_jurisdiction)
        return out

    def extract(self, text: str, *, source: Source | None = None, known: KnownNames | None = None) -> Extraction:
        """The contract record of one document's text."""
        return self.from_doc(self.nlp(self.make_doc(text, known)), source=source)

    def extract_document(self, document: Input, *, source: Source | None = None,
                         known: KnownNames | None = None) -> Extraction:
        """The contract record of a read document (``DocumentText``): its text and, when the reader found
        them, its tables."""
        if source is None:
            source = Source(path=getattr(document, "path", None), sha256=getattr(document, "sha256", None),
                            title=getattr(document, "title", None), published=getattr(document, "published", None))
        return self.from_doc(self.nlp(self.make_doc(document, known)), source=source)

    def pipe(self, items: Iterable[Input], *, n_process: int = 1, batch_size: int = 32,
             known: KnownNames | None = None) -> Iterator[Extraction]:
        """Extractions of many texts or read documents in order, in batches; with ``n_process`` > 1 each
        worker process parses and applies the components to its own batches, so every core is used."""
        if n_process <= 1:
            docs = (self.make_doc(item, known) for item in items)
            for doc in self.nlp.pipe(docs, batch_size=batch_size):
                yield self.from_doc(doc)
            return
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=_init_worker,
                                 initargs=(known, self.home_jurisdiction)) as pool:
            for batch in pool.map(_extract_batch, _batches(items, batch_size)):
                yield from batch


_worker: tuple[Extractor, KnownNames | None] | None = None


def _init_worker(known: KnownNames | None, home_jurisdiction: str | None = None) -> None:
    global _worker
    extractor = Extractor.default()
    if home_jurisdiction != extractor.home_jurisdiction:
        extractor = Extractor(extractor.nlp, home_jurisdiction=home_jurisdiction)
    _worker = (extractor, known)


def _extract_batch(items: list[Input]) -> list[Extraction]:
    assert _worker is not None
    extractor, known = _worker
    return list(extractor.pipe(items, known=known))


def _batches(items: Iterable[Input], size: int) -> Iterator[list[Input]]:
    batch: list[Input] = []
    for t in items:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract(text: str, *, source: Source | None = None, known: KnownNames | None = None) -> Extraction:
    """Extract with the shared default extractor."""
    return Extractor.default().extract(text, source=source, known=known)


__all__ = ["Extractor", "KnownNames", "KnownOrganization", "KnownPerson", "extract", "load_model"]
