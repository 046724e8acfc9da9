"""Excel and CSV exchange of MoUs and leads. Nothing commits here.

An import reads the whole file, checks every row (``validate``) and writes only when no row has a problem
(``writer``); otherwise it raises :class:`ImportRejected` with every problem, having written nothing. The
caller's single transaction makes it all or nothing even when the database fails half-way."""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.exchange import headers, lead_matching, matching, tables, validate, writer
from investdesk.exchange.errors import ImportRejected, UnreadableFile
from investdesk.exchange.export import Export, export_mous, export_opportunities
from investdesk.exchange.schemas import Entity, ExportFormat, ImportReport
from investdesk.exchange.tables import Progress, Source
from investdesk.i18n import _
from investdesk.permissions import Actor, Perm, require
from investdesk.startup import set_aside

__all__ = ["Export", "ImportRejected", "Source", "UnreadableFile", "export_mous", "export_opportunities",
           "chunks", "format_of", "import_mous", "import_opportunities", "save"]


def _import(session: Session, *, actor: Actor, source: Source, entity: Entity, dry_run: bool,
            progress: Progress | None) -> ImportReport:
    # The objects alive before the import are left out of the cyclic collector's passes while it runs. An import
    # keeps every row of its file alive while it makes more objects for each, so the collector's oldest generation
    # fills and is swept again and again, each sweep walking every object of the process (the loaded modules alone
    # are hundreds of thousands): a third of a 50,000-row import's CPU time went there.
    with set_aside():
        return _import_file(session, actor=actor, source=source, entity=entity, dry_run=dry_run, progress=progress)


def _import_file(session: Session, *, actor: Actor, source: Source, entity: Entity, dry_run: bool,
                 progress: Progress | None) -> ImportReport:
    sheet = tables.read(source, lambda row: headers.is_header(row, entity), progress,
                        max_rows=get_settings().max_import_rows)
    gc.freeze()  # the sheet's rows live until the end too
    header_map = headers.match(sheet.header, entity, sheet.header_row)
    plan = validate.check(session, sheet, header_map, progress)
    if plan.problems:
        raise ImportRejected(source.name, plan.problems, plan.warnings)
    gc.freeze()  # and so do the checked records
    rows = len(plan.rows)
    match = matching if entity == "mou" else lead_matching
    plan.rows, updates, unchanged = match.split(session, plan)
    warnings = list(plan.warnings)
    if not rows:
        warnings.append(f"no rows under the header (row {sheet.header_row})")
    warnings += [f"to update: {match.describe(u)}" for u in updates]
    warnings += match.duplicates(session, plan, plan.rows)
    report = ImportReport(file=source.name, entity=entity, rows=rows, created=0, dry_run=dry_run,
                          new_organizations=len(plan.new_orgs), warnings=warnings, new=len(plan.rows),
                          updated=len(updates), unchanged=unchanged)
    if dry_run or not (plan.rows or updates):
        return report
    name = Path(source.name).name
    if plan.rows:
        write = writer.write_mous if entity == "mou" else writer.write_opportunities
        ids = write(session, actor=actor, plan=plan, file=name, progress=progress)
        report.created, report.ids = len(ids), [ids[0], ids[-1]]
    if updates:
        org_ids = writer.create_organizations(session, actor=actor, plan=plan, file=name)  # none twice
        match.apply(session, actor=actor, updates=updates, org_ids=org_ids)
    return report


def import_mous(session: Session, *, actor: Actor, source: Source, dry_run: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """Import the MoUs of an .xlsx or CSV file, all or nothing; ``dry_run`` checks and writes nothing."""
    require(actor, Perm.write_mous)
    return _import(session, actor=actor, source=source, entity="mou", dry_run=dry_run, progress=progress)


def import_opportunities(session: Session, *, actor: Actor, source: Source, dry_run: bool = False,
                         progress: Progress | None = None) -> ImportReport:
    """Import the leads of an .xlsx or CSV file, all or nothing; ``dry_run`` checks and writes nothing."""
    require(actor, Perm.write_opportunities)
    return _import(session, actor=actor, source=source, entity="opportunity", dry_run=dry_run,
                   progress=progress)


def format_of(path: Path | str) -> ExportFormat:
    """The export format a file name asks for."""
    suffix = Path(path).suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise ValidationFailed(_('%(path)s: export to a .xlsx or .csv file (not %(extension)s)', path=path,
                                 extension=repr(suffix or 'no extension')),
                               field="file") from None


def chunks(export: Export, fmt: ExportFormat, progress: Progress | None = None) -> Iterator[bytes]:
    """The export's file content in pieces (CSV streams; a workbook is whole only once written)."""
    if fmt is ExportFormat.csv:
        for text in tables.csv_chunks(export.header, export.rows, progress=progress, total=export.total):
            yield text.encode("utf-8")
        return
    buf = io.BytesIO()
    tables.write_xlsx(buf, export.header, export.rows, title=export.title, widths=export.widths, progress=progress,
                      total=export.total)
    yield buf.getvalue()


def save(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the export to ``path`` (format by extension) through a temporary file beside it, so a failed
    export never leaves half a file. Returns the rows written."""
    fmt = format_of(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if fmt is ExportFormat.csv:
            with partial.open("w", encoding="utf-8", newline="") as fh:
                for text in tables.csv_chunks(export.header, export.rows, progress=progress, total=export.total):
                    fh.write(text)
        else:
            tables.write_xlsx(partial, export.header, export.rows, title=export.title, widths=export.widths,
                              progress=progress, total=export.total)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return export.total
