"""``investdesk extract`` and ``investdesk evaluate``: the extraction contract from the command line.

spaCy and the document libraries are imported inside the commands, so the other commands start
without paying for them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from investdesk.cli.app import app
from investdesk.cli.common import console, err_console

if TYPE_CHECKING:
    from investdesk.extraction.evaluate import Report

# Libraries that log their own complaints about a damaged file; the command says it once, in one line.
_NOISY_LOGGERS = ("pypdf", "pdfminer", "pdfplumber", "trafilatura", "htmldate", "courlan", "justext", "readability",
                  "charset_normalizer")


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


def _error(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True, markup=True)


def _say(message: str) -> None:
    """A one-line message whose text is never read as Rich markup (file names may hold brackets)."""
    err_console.print(message, highlight=False, soft_wrap=True, markup=False)


def _quiet_libraries() -> None:
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _write(text: str) -> None:
    """UTF-8 on standard output whatever the locale; a closed pipe (``| head``) ends the command quietly."""
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None


# --- table output --------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):  # an amount
        if "value" in value:
            unit = f" {value['unit']}" if value.get("unit") else ""
            return f"{value.get('currency') or ''} {value['value']:g}{unit}".strip()
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items() if v is not None)
    return str(value)


_TABLES = (
    ("delegates", ("name", "honorific", "titles", "organization")),
    ("people", ("name", "honorific", "titles", "organization", "side")),
    ("organizations", ("name", "acronym", "kind", "country", "role")),
    ("engagements", ("counterparts", "city", "venue", "date", "sectors", "topics")),
    ("opportunities", ("counterpart", "kind", "stage", "sectors", "amount", "jobs", "location")),
    ("outcomes", ("kind", "parties", "amount")),
    ("policies", ("name",)),
    ("offerings", ("name", "kind")),
    ("events", ("name", "city")),
)


def _print_table(data: dict[str, Any], name: str) -> None:
    source = data.get("source") or {}
    console.rule(f"[bold]{source.get('title') or name}[/bold]" if source.get("title") else name)
    home = data.get("home") or {}
    destinations = "; ".join(f"{d['country']} ({', '.join(d['cities'])})" if d.get("cities") else d["country"]
                             for d in data.get("destinations") or [])
    console.print(f"home: {home.get('jurisdiction') or '-'} ({home.get('country') or '-'})   "
                  f"destinations: {destinations or '-'}   sectors: {', '.join(data.get('sectors') or []) or '-'}",
                  highlight=False, markup=False)
    for field, columns in _TABLES:
        rows = data.get(field) or []
        if not rows:
            continue
        table = Table(title=f"{field} ({len(rows)})", title_justify="left", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        console.print(table)


# --- commands ------------------------------------------------------------------------------------------------


@app.command()
def extract(
    files: list[str] = typer.Argument(None, metavar="FILE", show_default=False,
                                      help="Documents (.txt, .html, .pdf, .docx; .png, .jpg, .tif by OCR); "
                                           "- reads standard input."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json or table."),
    schema: bool = typer.Option(False, "--schema", help="Print the contract's JSON Schema and exit."),
) -> None:
    """Extract the investdesk.extraction/1 record of each document.

    One file prints one JSON object; several print one object per line (JSON Lines).

    A file that cannot be read is named in one line on standard error, the others are still printed,
    and the exit status is 2.
    """
    if schema:
        from investdesk.extraction.contract import json_schema

        _write(json.dumps(json_schema(), indent=1, ensure_ascii=False) + "\n")
        return
    if not files:
        _error("give at least one file (or - for standard input)")
        raise typer.Exit(2)
    _quiet_libraries()
    from investdesk.config import get_settings
    from investdesk.extraction import DocumentError, Extractor, Source, read_document

    base = Extractor.default()
    extractor = Extractor(base.nlp, home_jurisdiction=get_settings().home_jurisdiction)
    failed = False
    for name in files:
        label = "<stdin>" if name == "-" else name
        try:
            doc = read_document(name, filename=label)
            source = Source(path=name, sha256=doc.sha256, title=doc.title, published=doc.published)
            data = extractor.extract_document(doc, source=source).to_json_dict()
        except DocumentError as exc:
            _say(f"error: {exc}")
            failed = True
            continue
        except Exception as exc:  # noqa: BLE001  a fault in the rules must not hide the other files' results
            _say(f"error: {label}: the extraction failed ({type(exc).__name__}: {exc})".splitlines()[0])
            failed = True
            continue
        if not doc.text.strip():
            _say(f"error: {label}: the document is empty (no text to extract)")
            failed = True
        if fmt is ExtractFormat.table:
            _print_table(data, label)
        elif len(files) == 1:
            _write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        else:
            _write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    if failed:
        raise typer.Exit(2)


def _print_report(report: Report) -> None:
    from investdesk.extraction.evaluate import MAIN_FIELDS

    data = report.as_dict()
    table = Table(title=f"{report.docs} documents, macro F1 {report.macro_f1:.3f}", title_justify="left")
    for column in ("field", "P", "R", "F1", "tp/fp/fn"):
        table.add_column(column, justify="left" if column == "field" else "right")
    side = [k for k in data["fields"] if k not in MAIN_FIELDS]
    for group in (MAIN_FIELDS, side):  # the scored fields, then the accuracies reported beside them
        for name in group:
            v = data["fields"].get(name)
            if v is not None:
                table.add_row(name, f"{v['p']:.3f}", f"{v['r']:.3f}", f"{v['f1']:.3f}",
                              f"{v['tp']}/{v['fp']}/{v['fn']}")
        table.add_section()
    console.print(table)
    if report.invalid:
        _say(f"scored as empty: {', '.join(report.invalid)}")


def _print_splits(reports: dict[str, Report]) -> None:
    """Per-field F1 of tune and blind side by side, and the gap between them."""
    from investdesk.extraction.evaluate import MAIN_FIELDS

    names = list(reports)
    both = len(names) == 2
    table = Table(title=", ".join(f"{n}: {r.docs} documents" for n, r in reports.items()), title_justify="left")
    table.add_column("field", no_wrap=True, min_width=20)
    for n in names:
        for col in ("P", "R", "F1"):
            table.add_column(f"{n} {col}", justify="right")
    if both:
        table.add_column("gap", justify="right")
    for name in (*MAIN_FIELDS, "macro_f1"):
        cells = []
        f1s = []
        for n in names:
            r = reports[n]
            if name == "macro_f1":
                cells += ["", "", f"{r.macro_f1:.3f}"]
                f1s.append(r.macro_f1)
                continue
            v = r.fields.get(name)
            cells += [f"{v.precision:.3f}", f"{v.recall:.3f}", f"{v.f1:.3f}"] if v else ["", "", ""]
            f1s.append(round(v.f1, 3) if v else 0.0)
        if both:
            cells.append(f"{f1s[0] - f1s[1]:+.3f}")
        if name == "macro_f1":
            table.add_section()
        table.add_row(name, *cells)
    # Wide enough for both splits and the gap whatever the terminal (or a pipe's default of 80 columns).
    Console(width=max(console.width, 110), highlight=False).print(table)


def _short(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("name", "counterpart", "org", "kind", "c", "id"):
            if item.get(key):
                extra = f" @ {item['city']}" if key == "org" and "city" in item else ""
                return f"{item[key]}{extra}"
    return str(item)


def _print_errors(errors: dict[str, Any]) -> None:
    """Each tune document's errors, field by field: gold items missed (-) and extra predictions (+)."""
    for name, fields in errors.items():
        if not fields:
            continue
        console.rule(name, align="left")
        for field_name, errs in fields.items():
            for item in errs.missed:
                _say(f"  {field_name:22} - {_short(item)}")
            for item in errs.extra:
                _say(f"  {field_name:22} + {_short(item)}")


class Split(StrEnum):
    tune = "tune"
    blind = "blind"


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., metavar="DIR",
                                    help="Folder of NAME.gold.json files beside their documents, or a corpus "
                                         "folder holding tune/ and blind/."),
    docs: Path | None = typer.Option(None, "--docs", metavar="DIR",
                                     help="Folder of the documents (default: the gold folder)."),
    split: Split | None = typer.Option(None, "--split", help="Only this split of a corpus folder; tune also "
                                                             "prints each document's errors."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Extract each document (.txt, .html, .pdf, .docx, .png, .jpg) and score it against NAME.gold.json.

    On a corpus folder (tune/ and blind/) prints per-field P/R/F1 and macro F1 of both side by side, and the
    gap. Blind documents are only ever scored: their errors are never printed.
    """
    _quiet_libraries()
    from investdesk.extraction import Extractor
    from investdesk.extraction.corpus import CorpusError, evaluate_folder, splits_of

    splits = splits_of(gold_dir) if gold_dir.is_dir() else {}
    if split is not None and not splits:
        _say(f"error: {gold_dir}: --split needs a corpus folder holding tune/ and blind/")
        raise typer.Exit(2)
    if split is not None:
        if split.value not in splits:
            _say(f"error: {gold_dir}: no {split.value}/ folder")
            raise typer.Exit(2)
        splits = {split.value: splits[split.value]}
    extractor = Extractor.default()
    try:
        if not splits:
            result = evaluate_folder(extractor, gold_dir, docs_dir=docs)
            for w in result.warnings:
                _say(f"warning: {w}")
            if fmt is ExtractFormat.json:
                _write(json.dumps(result.report.as_dict(), indent=1) + "\n")
            else:
                _print_report(result.report)
            return
        results = {n: evaluate_folder(extractor, folder, with_errors=(n == "tune" and split is Split.tune))
                   for n, folder in splits.items()}
    except CorpusError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    for n, r in results.items():
        for w in r.warnings:
            _say(f"warning: {w}" if n == "tune" else f"warning: a blind document could not be read ({n})")
    reports = {n: r.report for n, r in results.items()}
    if fmt is ExtractFormat.json:
        out: dict[str, Any] = {n: r.as_dict() for n, r in reports.items()}
        if len(reports) == 2:
            out["gap"] = round(reports["tune"].macro_f1 - reports["blind"].macro_f1, 3)
        _write(json.dumps(out, indent=1) + "\n")
        return
    _print_splits(reports)
    tune = results.get("tune")
    if tune is not None and tune.errors is not None:
        _print_errors(tune.errors)
