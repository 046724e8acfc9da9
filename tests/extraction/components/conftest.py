from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import investdesk.extraction.components  # noqa: F401  (registers the factories)
from investdesk.extraction.pipeline import add_components

Run = Callable[..., Doc]


@pytest.fixture(scope="session")
def blank() -> Language:
    """spacy.blank("en") with the sentencizer and every extraction component: no model needed."""
    return add_components(spacy.blank("en"))


@pytest.fixture()
def run(blank: Language) -> Run:
    """Run the blank pipeline up to and including one component (by its short name)."""
    def _run(text: str, until: str, *, tables: list[object] | None = None) -> Doc:
        doc = blank.make_doc(text)
        doc._.known = []
        doc._.tables = tables or []
        for name, proc in blank.pipeline:
            doc = proc(doc)
            if name == f"investdesk_{until}":
                break
        return doc

    return _run
