"""What runs where the extraction runs (this process, a worker process or a Dask worker).

Results travel as the contract's JSON (plain data), so a Dask worker on another machine with another
build of the libraries still returns something the writer can validate.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from investdesk.extraction import KnownNames

Result = tuple[int, dict[str, Any] | None, str | None]  # (key, extraction JSON, error message)

_known: KnownNames | None = None


def _watch(parent_pid: int) -> None:
    """End this worker when the ingest process is gone (killed with SIGKILL, say): no orphan keeps running."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent_pid, 0)
        except (ProcessLookupError, PermissionError):  # gone (or the pid now belongs to someone else)
            os._exit(1)


def init(known: KnownNames | None, parent_pid: int | None = None) -> None:
    """Worker-process initializer: load the model once and keep the knowledge base's names."""
    from investdesk.extraction.extractor import Extractor  # spaCy loads only where extraction runs

    global _known
    _known = known
    if parent_pid is not None:
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="parent-watch").start()
    Extractor.default()


def extract_batch(batch: list[tuple[int, str]], known: KnownNames | None = None) -> list[Result]:
    """Extract a batch with one ``pipe`` call; a document that breaks it is retried alone, so one bad text
    costs only its own result."""
    from investdesk.extraction.extractor import Extractor

    extractor = Extractor.default()
    names = known if known is not None else _known
    texts = [t for _, t in batch]
    try:
        return [(key, x.to_json_dict(), None)
                for (key, _), x in zip(batch, extractor.pipe(texts, known=names, batch_size=len(texts)), strict=True)]
    except Exception:  # noqa: BLE001 - isolate the document at fault below
        pass
    out: list[Result] = []
    for key, text in batch:
        try:
            out.append((key, extractor.extract(text, known=names).to_json_dict(), None))
        except Exception as exc:  # noqa: BLE001 - reported per file, the batch goes on
            out.append((key, None, f"extraction failed ({type(exc).__name__}: {exc})"))
    return out
