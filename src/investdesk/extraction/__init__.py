"""Engagement documents to the ``investdesk.extraction/1`` contract.

A pure library: text in, contract models out. It imports nothing from the
rest of the package; known names from the knowledge base reach it only as
an argument (:class:`KnownNames`). The extractor (and spaCy with it) is
imported on first use, so reading documents or the contract costs nothing.
"""

from typing import Any

from investdesk.extraction.contract import SCHEMA_ID, Extraction, Source, json_schema
from investdesk.extraction.known import KnownNames, KnownOrganization, KnownPerson
from investdesk.extraction.readers import DocumentError, DocumentText, read_document

__all__ = ["SCHEMA_ID", "DocumentError", "DocumentText", "Extraction", "Extractor", "KnownNames", "KnownOrganization",
           "KnownPerson", "Source", "extract", "json_schema", "read_document"]


def __getattr__(name: str) -> Any:
    if name in {"Extractor", "extract"}:
        from investdesk.extraction import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module 'investdesk.extraction' has no attribute {name!r}")
