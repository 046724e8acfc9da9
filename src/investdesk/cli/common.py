"""Output helpers shared by the command modules: tables, JSON and CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv.")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def render(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat, *, columns: Iterable[str] | None = None,
           title: str | None = None) -> None:
    """Print rows as a Rich table, a JSON array or CSV with a header."""
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps([dict(r) for r in rows], default=str, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        return
    from rich.table import Table  # here: a command that prints no table (a brief) does not load it

    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in cols])
    console.print(table)


def render_record(record: Mapping[str, Any], fmt: OutputFormat) -> None:
    """Print one record as key/value lines or JSON."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(dict(record), default=str, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt is OutputFormat.csv:
        render([record], fmt)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for k, v in record.items():
        table.add_row(k, _cell(v))
    console.print(table)
