from __future__ import annotations

from pathlib import Path

import typer

from investdesk import backup as backups
from investdesk.cli.app import app
from investdesk.cli.common import console
from investdesk.cli.context import engine
from investdesk.config import get_settings
from investdesk.errors import ValidationFailed


def _summary(manifest: backups.Manifest) -> str:
    size = sum(int(d["bytes"]) for d in manifest.documents.values())
    text = (f"{manifest.rows} rows in {len(manifest.tables)} tables, {len(manifest.documents)} stored documents "
            f"({size:,} bytes), schema revision {manifest.revision}")
    if manifest.missing_documents:
        text += f"; {len(manifest.missing_documents)} documents were missing when it was written"
    return text


@app.command()
def backup(file: Path = typer.Argument(..., metavar="FILE | verify",
                                       help="Where to write the backup; or `verify` followed by a backup file."),
           target: Path | None = typer.Argument(None, metavar="[FILE]", help="With `verify`: the file to check.")
           ) -> None:
    """Write every table and the stored documents to FILE (readable by its owner only), or
    `backup verify FILE`: check a backup against its manifest without touching the database."""
    if str(file) == "verify":
        if target is None:
            raise ValidationFailed("backup verify: name the backup file to check", field="file")
        manifest = backups.verify(target)
        console.print(f"{target}: intact; {_summary(manifest)}", highlight=False)
        return
    if target is not None:
        raise ValidationFailed(f"backup: one FILE to write, or `backup verify FILE` (not {file} {target})",
                               field="file")
    manifest = backups.backup(engine(), file, documents_dir=get_settings().documents_dir)
    console.print(f"backup {file}: {_summary(manifest)}", highlight=False)
    for rel in manifest.missing_documents:
        console.print(f"  stored document missing, not included: {rel}", highlight=False)


@app.command()
def restore(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file written by `backup`."),
            yes: bool = typer.Option(False, "--yes", help="Replace the database's content without asking.")) -> None:
    """Check FILE in full, then replace the database's content with it in one transaction (a damaged,
    truncated or mismatched file changes nothing)."""
    manifest = backups.verify(file)
    eng = engine()
    if not yes and not typer.confirm(f"Replace everything in {eng.url.render_as_string()} with {file} "
                                     f"({manifest.rows} rows)?"):
        raise typer.Exit(1)
    backups.restore(eng, file, documents_dir=get_settings().documents_dir, verified=manifest)
    console.print(f"restored {file}: {_summary(manifest)}", highlight=False)
