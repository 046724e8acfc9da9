"""``mou import|export`` and ``opportunity import|export``: spreadsheets in and out, one transaction each,
with a progress bar on standard error."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from investdesk.cli.common import console, err_console
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.cli.pipeline import mou_app, opportunity_app
from investdesk.errors import InvestDeskError
from investdesk.exchange import service as exchange
from investdesk.exchange.errors import ImportRejected, UnreadableFile
from investdesk.exchange.schemas import Entity, ImportReport
from investdesk.models.enums import MouStatus, OpportunityStage
from investdesk.mous.schemas import MouFilter
from investdesk.pipeline.schemas import OpportunityFilter
from investdesk.sectors import service as sectors

SHOWN = 50  # problems listed; the count covers the rest
NOUNS = {"mou": "MoUs", "opportunity": "leads"}
STEPS = {"read": "reading", "check": "checking", "write": "writing"}


class Bar:
    """A progress callback for the services, drawn on standard error and cleared when done."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task = progress, task

    def __call__(self, step: str, done: int, total: int | None) -> None:
        self.progress.update(self.task, description=STEPS.get(step, step), completed=done, total=total)


@contextmanager
def progress_bar() -> Iterator[Bar]:
    progress = Progress(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err_console, transient=True, disable=not err_console.is_terminal)
    with progress:
        yield Bar(progress, progress.add_task("reading", total=None))


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _print_problems(exc: ImportRejected) -> None:
    table = Table(title=exc.message, title_justify="left")
    table.add_column("row", justify="right", no_wrap=True)
    table.add_column("column", no_wrap=True)
    table.add_column("problem", overflow="fold")
    for p in exc.problems[:SHOWN]:
        table.add_row(str(p.row), p.column, p.problem)
    # A log or a pipe gets whole lines rather than the 80 columns assumed when there is no terminal.
    out = console if console.is_terminal else Console(file=sys.stdout, width=200)
    out.print(table, highlight=False)
    if len(exc.problems) > SHOWN:
        out.print(f"... and {len(exc.problems) - SHOWN} more problems", highlight=False, soft_wrap=True)


def _import(file: Path, dry_run: bool, entity: Entity) -> None:
    source = exchange.Source.from_path(file)
    run = exchange.import_mous if entity == "mou" else exchange.import_opportunities
    try:
        with progress_bar() as bar, unit_of_work() as session:
            report = run(session, actor=cli_actor(session), source=source, dry_run=dry_run, progress=bar)
    except UnreadableFile as exc:
        raise _fail(exc.message) from None
    except ImportRejected as exc:
        for warning in exc.warnings:
            err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
        _print_problems(exc)
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        reason = " ".join(str(exc.orig or exc).split())[:300]
        raise _fail(f"{file}: the database refused the import ({reason}); nothing was written") from None
    except InvestDeskError as exc:
        raise _fail(f"{file}: {exc.message}; nothing was written") from None
    _report(report, file)


def _report(report: ImportReport, file: Path) -> None:
    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    noun = NOUNS[report.entity]
    orgs = report.new_organizations
    if report.dry_run:
        console.print(f"dry run: {report.rows} {noun} in {file} are valid ({orgs} new organizations would be "
                      f"created); nothing was written: {report.summary}", highlight=False, soft_wrap=True)
    elif report.created:
        console.print(f"imported {report.created} {noun} from {file} (ids {report.ids[0]}-{report.ids[1]}, "
                      f"{orgs} new organizations): {report.summary}", highlight=False, soft_wrap=True)
    elif report.updated:
        console.print(f"{file}: {report.summary}", highlight=False, soft_wrap=True)
    else:
        console.print(f"nothing to import from {file}", highlight=False, soft_wrap=True)


def _sector_id(session: Session, sector: str | None) -> str | None:
    return sectors.resolve(session, [sector], field="--sector")[0].id if sector else None


def _save(export: exchange.Export, file: Path) -> None:
    with progress_bar() as bar:
        n = exchange.save(export, file, progress=bar)
    console.print(f"exported {n} {NOUNS[export.entity]} to {file}", highlight=False, soft_wrap=True)


def _check_format(file: Path) -> None:
    try:
        exchange.format_of(file)
    except InvestDeskError as exc:
        raise _fail(exc.message) from None


FILE_IN = typer.Argument(..., help="An .xlsx or .csv file with a header row.")
FILE_OUT = typer.Argument(..., help="Where to write: .xlsx or .csv.")
DRY_RUN = typer.Option(False, "--dry-run", help="Check every row and report; write nothing.")


@mou_app.command("import")
def mou_import(file: Path = FILE_IN, dry_run: bool = DRY_RUN) -> None:
    """Import MoUs from Excel or CSV: all rows or none; problems listed by row and column."""
    _import(file, dry_run, "mou")


@opportunity_app.command("import")
def opportunity_import(file: Path = FILE_IN, dry_run: bool = DRY_RUN) -> None:
    """Import leads from Excel or CSV: all rows or none; problems listed by row and column."""
    _import(file, dry_run, "opportunity")


@mou_app.command("export")
def mou_export(file: Path = FILE_OUT,
               pending: bool = typer.Option(False, "--pending", help="Only MoUs with no recent status update."),
               district: str | None = typer.Option(None), status: MouStatus | None = typer.Option(None),
               sector: str | None = typer.Option(None, help="Sector id or name."),
               department: str | None = typer.Option(None)) -> None:
    """Write the MoUs (filtered) to .xlsx or .csv, with headers the import reads back."""
    _check_format(file)
    with unit_of_work() as session:
        flt = MouFilter(pending=pending, district=district, status=status, sector=_sector_id(session, sector),
                        department=department)
        _save(exchange.export_mous(session, actor=cli_actor(session), flt=flt), file)


@opportunity_app.command("export")
def opportunity_export(file: Path = FILE_OUT, stage: OpportunityStage | None = typer.Option(None),
                       sector: str | None = typer.Option(None, help="Sector id or name."),
                       district: str | None = typer.Option(None), country: str | None = typer.Option(None)) -> None:
    """Write the leads (filtered) to .xlsx or .csv, with headers the import reads back."""
    _check_format(file)
    with unit_of_work() as session:
        flt = OpportunityFilter(stage=stage, sector=_sector_id(session, sector), district=district, country=country)
        _save(exchange.export_opportunities(session, actor=cli_actor(session), flt=flt), file)
