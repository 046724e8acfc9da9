"""Engagement documents to the ``investdesk.extraction/1`` contract.

A pure library: text in, contract models out. It imports nothing from the
rest of the package; known names from the knowledge base reach it only as
an argument (:class:`KnownNames`). Each name below is imported on first use:
the extractor (and spaCy with it) when a document is extracted, the contract
and the readers when they are asked for, so ``investdesk.extraction.normalize``
(which the rest of the package imports for its lookup keys) costs nothing else.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from investdesk.extraction.contract import SCHEMA_ID, Extraction, Source, json_schema
    from investdesk.extraction.extractor import Extractor, extract
    from investdesk.extraction.known import KnownNames, KnownOrganization, KnownPerson
    from investdesk.extraction.readers import DocumentError, DocumentText, read_document

__all__ = ["SCHEMA_ID", "DocumentError", "DocumentText", "Extraction", "Extractor", "KnownNames", "KnownOrganization",
           "KnownPerson", "Source", "extract", "json_schema", "read_document"]

_HOME = {"SCHEMA_ID": "contract", "Extraction": "contract", "Source": "contract", "json_schema": "contract",
         "Extractor": "extractor", "extract": "extractor",
         "KnownNames": "known", "KnownOrganization": "known", "KnownPerson": "known",
         "DocumentError": "readers", "DocumentText": "readers", "read_document": "readers"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"investdesk.extraction.{_HOME[name]}"), name)
    raise AttributeError(f"module 'investdesk.extraction' has no attribute {name!r}")
