"""``investdesk extract`` and ``investdesk evaluate``: the extraction contract from the command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from investdesk.cli.app import app
from investdesk.cli.common import console, err_console


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


def _print_table(data: dict[str, Any]) -> None:
    console.rule(str((data.get("source") or {}).get("path") or "document"))
    home = data.get("home") or {}
    console.print(f"home: {home.get('jurisdiction')} ({home.get('country')})  "
                  f"destinations: {', '.join(d['country'] for d in data['destinations'])}")
    for field, cols in (("organizations", ["name", "acronym", "kind", "role"]),
                        ("people", ["name", "titles", "organization", "side"]),
                        ("engagements", ["counterparts", "city", "sectors"]),
                        ("opportunities", ["counterpart", "kind", "stage", "amount", "jobs"]),
                        ("outcomes", ["kind", "amount"])):
        rows = data.get(field) or []
        if not rows:
            continue
        table = Table(title=field, title_justify="left")
        for c in cols:
            table.add_column(c)
        for r in rows:
            table.add_row(*[", ".join(map(str, r[c])) if isinstance(r[c], list) else ("" if r[c] is None else str(r[c]))
                            for c in cols])
        console.print(table)
    console.print(f"sectors: {', '.join(data['sectors'])}")


@app.command()
def extract(
    files: list[str] = typer.Argument(None, help="Documents (.txt, .html, .pdf, .docx); - reads standard input."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f", help="json or table."),
    schema: bool = typer.Option(False, "--schema", help="Print the contract's JSON Schema and exit."),
) -> None:
    """Extract the investdesk.extraction/1 record of each document (one JSON object per line for several)."""
    from investdesk.extraction import DocumentError, Extractor, Source, json_schema, read_document

    if schema:
        sys.stdout.write(json.dumps(json_schema(), indent=1) + "\n")
        return
    if not files:
        err_console.print("[red]error:[/red] give at least one file (or - for standard input)")
        raise typer.Exit(2)
    extractor = Extractor.default()
    failed = False
    for name in files:
        try:
            doc = read_document(name)
        except DocumentError as exc:
            err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            failed = True
            continue
        source = Source(path=name, sha256=doc.sha256, title=doc.title, published=doc.published)
        data = extractor.extract(doc.text, source=source).to_json_dict()
        if fmt is ExtractFormat.table:
            _print_table(data)
        elif len(files) == 1:
            sys.stdout.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(2)


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of NAME.gold.json files."),
    docs: Path | None = typer.Option(None, "--docs", help="Folder of NAME.txt documents (default: the gold folder)."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Extract each NAME.txt and score it against NAME.gold.json (per-field P/R/F1 and macro F1)."""
    from investdesk.extraction import DocumentError, Extractor, read_document
    from investdesk.extraction.evaluate import MAIN_FIELDS, score

    if not gold_dir.is_dir():
        err_console.print(f"[red]error:[/red] {gold_dir}: not a folder")
        raise typer.Exit(2)
    extractor = Extractor.default()
    pairs = []
    for gold_file in sorted(gold_dir.glob("*.gold.json")):
        name = gold_file.name[: -len(".gold.json")]
        try:
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            err_console.print(f"[red]error:[/red] {gold_file}: not valid JSON ({exc})")
            raise typer.Exit(2) from None
        doc_path = (docs or gold_dir) / f"{name}.txt"
        try:
            text = read_document(doc_path).text
        except DocumentError as exc:
            err_console.print(f"[yellow]warning:[/yellow] {exc}; scored as an empty extraction")
            text = ""
        pairs.append((gold, extractor.extract(text).to_json_dict()))
    report = score(pairs).as_dict()
    if fmt is ExtractFormat.json:
        sys.stdout.write(json.dumps(report, indent=1) + "\n")
        return
    table = Table(title=f"{report['docs']} documents, macro F1 {report['macro_f1']}")
    for c in ("field", "P", "R", "F1", "tp/fp/fn"):
        table.add_column(c)
    order = list(MAIN_FIELDS) + [k for k in report["fields"] if k not in MAIN_FIELDS]
    for k in order:
        v = report["fields"].get(k)
        if v:
            table.add_row(k, f"{v['p']:.3f}", f"{v['r']:.3f}", f"{v['f1']:.3f}", f"{v['tp']}/{v['fp']}/{v['fn']}")
    console.print(table)
