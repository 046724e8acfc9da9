"""Papers from the command line: meeting briefs, mission reports, the MoU review pack, the monthly pipeline
report. Each acts as the named user (``--as``/``INVESTDESK_USER``), with that user's scope, and writes its file
whole or not at all."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import typer

from investdesk.cli.app import app
from investdesk.cli.common import console, err_console
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.cli.reports import report_app
from investdesk.errors import ValidationFailed
from investdesk.papers import files
from investdesk.papers.files import PaperFile

brief_app = typer.Typer(help="Meeting briefs (PDF) for an organization or a person.", no_args_is_help=True)
pack_app = typer.Typer(help="Review packs for the monthly meetings.", no_args_is_help=True)
app.add_typer(brief_app, name="brief")
app.add_typer(pack_app, name="pack")

OutputOption = typer.Option(..., "--output", "-o", help="The file to write; its extension picks the format.")
PACK_STEPS = ("headline", "conversion", "pending", "blockers", "changes", "districts", "layout")


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise ValidationFailed(f"--output: {path} must end in {' or '.join('.' + a for a in allowed)}",
                               field="output")
    return fmt


def _write(paper: PaperFile, path: Path) -> None:
    """Write next to the target, then rename: a failed run never leaves half a file."""
    target = path.expanduser()
    if not target.parent.is_dir():
        raise ValidationFailed(f"--output: folder {target.parent} does not exist", field="output")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(paper.content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    console.print(f"wrote {target} ({len(paper.content):,} bytes)", highlight=False)


@brief_app.command("organization")
def brief_organization(organization_id: int, output: Path = OutputOption) -> None:
    """Meeting brief for an organization: who they are, our history, leads, MoUs, offers, people, sources."""
    _suffix(output, ("pdf",))
    with unit_of_work() as session:
        paper = files.organization_brief(session, actor=cli_actor(session), organization_id=organization_id)
    _write(paper, output)


@brief_app.command("person")
def brief_person(person_id: int, output: Path = OutputOption) -> None:
    """Meeting brief for a person, with their organization's leads and MoUs."""
    _suffix(output, ("pdf",))
    with unit_of_work() as session:
        paper = files.person_brief(session, actor=cli_actor(session), person_id=person_id)
    _write(paper, output)


@report_app.command("mission")
def report_mission(mission_id: int, output: Path = OutputOption) -> None:
    """Mission report (draft) as .pdf, or .docx to finish in Word."""
    fmt = _suffix(output, ("pdf", "docx"))
    with unit_of_work() as session:
        paper = files.mission_report(session, actor=cli_actor(session), mission_id=mission_id, fmt=fmt)
    _write(paper, output)


@report_app.command("pipeline-monthly")
def report_pipeline_monthly(month: str | None = typer.Option(None, help="YYYY-MM; default: last month."),
                            output: Path = OutputOption) -> None:
    """Monthly pipeline report (PDF): funnel, the month's movement, value by sector and country."""
    _suffix(output, ("pdf",))
    with unit_of_work() as session:
        paper = files.pipeline_monthly(session, actor=cli_actor(session), month=month)
    _write(paper, output)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"{name}: {value!r} is not a date like 2026-04-01", field=name.lstrip("-")) from None


@pack_app.command("mous")
def pack_mous(signed_from: str | None = typer.Option(None, "--from", help="MoUs signed on or after (YYYY-MM-DD)."),
              signed_to: str | None = typer.Option(None, "--to", help="MoUs signed on or before (YYYY-MM-DD)."),
              district: str | None = typer.Option(None, help="One district."),
              department: str | None = typer.Option(None, help="One department."),
              since: str | None = typer.Option(None, help="Status changes since (default: --from)."),
              fy: str | None = typer.Option(None, "--fy", help="A financial year instead of --from/--to: 2026-27 "
                                            "(April 2026 to March 2027)."),
              output: Path = OutputOption) -> None:
    """MoU review pack: .pdf for the meeting, .xlsx (one sheet per table) for the secretariat."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # the pack's only: not a brief's

    fmt = _suffix(output, ("pdf", "xlsx"))
    start, end, after = _date(signed_from, "--from"), _date(signed_to, "--to"), _date(since, "--since")
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task("MoU review pack", total=len(PACK_STEPS))

        def step(name: str) -> None:
            bar.update(task, advance=1, description=f"MoU review pack: {name}")

        with unit_of_work() as session:
            paper = files.mou_pack(session, actor=cli_actor(session), signed_from=start, signed_to=end,
                                   district=district, department=department, since=after, fmt=fmt, progress=step,
                                   financial_year=fy)
    _write(paper, output)
