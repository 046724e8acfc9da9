from __future__ import annotations

from pathlib import Path

import typer

from investdesk import backup as backups
from investdesk.cli.app import app
from investdesk.cli.common import console
from investdesk.cli.context import engine


@app.command()
def backup(file: Path = typer.Argument(..., help="Where to write the backup (gzip JSON lines).")) -> None:
    """Write every table to FILE; restorable on SQLite or PostgreSQL."""
    counts = backups.backup(engine(), file)
    console.print(f"backup {file}: {sum(counts.values())} rows in {len(counts)} tables")


@app.command()
def restore(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file written by `backup`."),
            yes: bool = typer.Option(False, "--yes", help="Replace the database's content without asking.")) -> None:
    """Replace the database's content with FILE's, in one transaction."""
    eng = engine()
    if not yes and not typer.confirm(f"Replace everything in {eng.url.render_as_string()} with {file}?"):
        raise typer.Exit(1)
    counts = backups.restore(eng, file)
    console.print(f"restored {sum(counts.values())} rows from {file}")
