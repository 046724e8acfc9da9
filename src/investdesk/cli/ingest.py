"""``investdesk ingest``: files, folders and globs into the knowledge base, with a progress bar."""

from __future__ import annotations

from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from investdesk.cli.app import app
from investdesk.cli.common import console, err_console
from investdesk.cli.context import cli_actor, engine, unit_of_work
from investdesk.config import get_settings
from investdesk.ingest.runner import FileResult, Ingest

SHOWN = 20  # files listed as already ingested; the count covers the rest


class RateColumn(ProgressColumn):
    """Documents per second since the start."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:6.1f} docs/s", style="progress.data.speed")


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or glob patterns ('news/**/*.html')."),
    auto_accept: bool = typer.Option(False, "--auto-accept", help="Accept every extracted item (trusted feeds)."),
    workers: int | None = typer.Option(None, "--workers", min=0, help=(
        "Extraction processes (0: in this process); default 1, or one per core for --dask local.")),
    dask: str | None = typer.Option(None, "--dask", help="Extract on Dask: 'local' or a scheduler tcp://HOST:PORT."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, max=1000, help="Documents per extraction batch."),
) -> None:
    """Store documents once (by sha256), extract them and queue their items for review."""
    settings = get_settings()
    eng = engine()
    with unit_of_work() as session:
        actor = cli_actor(session)
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    known: list[FileResult] = []
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=err_console, transient=False)
    task_id = progress.add_task("ingest", total=None)

    def on_total(n: int) -> None:
        progress.update(task_id, total=n)

    def on_result(result: FileResult) -> None:
        if result.status == "known":
            known.append(result)
        progress.advance(task_id)

    runner = Ingest(eng, documents_dir=settings.documents_dir, actor=actor, auto_accept=auto_accept,
                    workers=workers, dask=dask, batch_size=batch_size, max_bytes=settings.max_upload_mb * 2**20,
                    on_result=on_result, on_total=on_total)
    with progress:
        report = runner.run(paths)
    for result in known[:SHOWN]:
        console.print(f"{result.path}: {result.message}", highlight=False, soft_wrap=True)
    if len(known) > SHOWN:
        console.print(f"... and {len(known) - SHOWN} more already ingested", highlight=False)
    summary: dict[str, Any] = {"stored": report.stored, "already ingested": report.known,
                               "errors": len(report.errors)}
    if report.left_for_review:
        summary["left for review after a failed auto-accept"] = report.left_for_review
    console.print(", ".join(f"{v} {k}" for k, v in summary.items())
                  + f" in {report.seconds:.1f} s ({report.rate:.1f} docs/s, extraction: {report.backend or 'none'})",
                  highlight=False)
    if report.known and not report.stored and not report.errors:
        console.print("nothing changed: every document was already ingested", highlight=False)
    if report.errors:
        err_console.print(f"[red]{len(report.errors)} file(s) failed:[/red]")
        for path, message in report.errors:
            err_console.print(f"  {path}: {message}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
