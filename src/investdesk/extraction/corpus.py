"""An evaluation corpus on disk: ``NAME.gold.json`` beside ``NAME.txt|.html|.pdf|.docx|.png|.jpg`` (and
``NAME.meta.json``), optionally split into ``tune/`` and ``blind/``.

Blind documents are scored, never explained: :func:`evaluate_folder` refuses to collect per-item errors
for a folder named ``blind``, so nothing built on it can show them to someone tuning the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from investdesk.extraction.evaluate import FieldErrors, Report, score, score_document
from investdesk.extraction.readers import DocumentError, read_document

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".png", ".jpg", ".jpeg")
SPLITS = ("tune", "blind")


class CorpusError(ValueError):
    """A corpus that cannot be scored: the message names the folder or file."""


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    gold_path: Path
    path: Path  # the document (may not exist: then it scores as an empty extraction)


@dataclass
class FolderResult:
    report: Report
    # name -> field -> errors; only for folders that may be read (never for blind/)
    errors: dict[str, dict[str, FieldErrors]] | None = None
    warnings: list[str] = field(default_factory=list)


def splits_of(folder: Path) -> dict[str, Path]:
    """``{"tune": ..., "blind": ...}`` for a corpus split in two (either may be missing), else ``{}``."""
    return {s: folder / s for s in SPLITS if (folder / s).is_dir()}


def documents(gold_dir: Path, docs_dir: Path | None = None) -> list[CorpusDocument]:
    """Every gold file of a folder with its document (found by name, in any readable format)."""
    if not gold_dir.is_dir():
        raise CorpusError(f"{gold_dir}: not a folder")
    docs_dir = docs_dir or gold_dir
    if not docs_dir.is_dir():
        raise CorpusError(f"{docs_dir}: not a folder")
    out = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        path = next((docs_dir / f"{name}{sfx}" for sfx in DOCUMENT_SUFFIXES if (docs_dir / f"{name}{sfx}").is_file()),
                    docs_dir / f"{name}.txt")
        out.append(CorpusDocument(name, gold_path, path))
    if not out:
        raise CorpusError(f"{gold_dir}: no NAME.gold.json files")
    return out


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(gold, dict):
        raise CorpusError(f"{path}: a gold file holds one JSON object")
    return gold


def evaluate_folder(extractor: Any, gold_dir: Path, *, docs_dir: Path | None = None,
                    with_errors: bool = False) -> FolderResult:
    """Extract every document of a folder (read with :func:`read_document`, tables and all) and score it."""
    if with_errors and gold_dir.name == "blind":
        raise CorpusError(f"{gold_dir}: blind documents are scored only; their errors are not shown")
    items = documents(gold_dir, docs_dir)
    golds = [load_gold(d.gold_path) for d in items]  # every gold file checked before any extraction
    result = FolderResult(report=Report(), errors={} if with_errors else None)
    pairs = []
    for item, gold in zip(items, golds, strict=True):
        try:
            pred = extractor.extract_document(read_document(item.path)).to_json_dict()
        except DocumentError as exc:
            result.warnings.append(f"{exc}; scored as an empty extraction")
            pred = {}
        pairs.append((gold, pred))
        if result.errors is not None:
            errs: dict[str, FieldErrors] = {}
            score_document(gold, pred, errs)
            result.errors[item.name] = {k: v for k, v in errs.items() if v.missed or v.extra}
    result.report = score(pairs, names=[d.name for d in items])
    return result


__all__ = ["DOCUMENT_SUFFIXES", "SPLITS", "CorpusDocument", "CorpusError", "FolderResult", "documents",
           "evaluate_folder", "load_gold", "splits_of"]
