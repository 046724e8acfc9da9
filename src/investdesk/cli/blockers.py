"""Blockers on MoUs: raise, resolve, list, and escalate the ones open too long."""

from __future__ import annotations

import typer

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate, BlockerFilter, BlockerResolve
from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, operator_actor, unit_of_work
from investdesk.models.enums import BlockerCategory, EscalationLevel
from investdesk.paging import PageParams

blocker_app = typer.Typer(help="What holds MoU projects back, and its escalation.", no_args_is_help=True)
app.add_typer(blocker_app, name="blocker")

BLOCKER_COLUMNS = ["id", "mou_id", "mou_title", "district", "category", "department", "raised_on", "age_days",
                   "escalation_level", "resolved_on"]


@blocker_app.command("add")
def blocker_add(mou_id: int, category: BlockerCategory = typer.Option(..., help="land, clearance, right_of_way, "
                                                                             "power, water, finance or other."),
                department: str | None = typer.Option(None, help="The department that must act."),
                description: str = typer.Option("", help="What is holding the project back."),
                raised_on: str | None = typer.Option(None, help="YYYY-MM-DD; default today."),
                fmt: OutputFormat = FormatOption) -> None:
    """Record a blocker on an MoU."""
    with unit_of_work() as session:
        b = blockers.add(session, actor=cli_actor(session), mou_id=mou_id, data=BlockerCreate(
            category=category, department=department, description=description, raised_on=raised_on))
        render_record(blockers.to_read(b).model_dump(mode="json"), fmt)


@blocker_app.command("resolve")
def blocker_resolve(blocker_id: int, note: str | None = typer.Option(None, help="How it was cleared."),
                    on: str | None = typer.Option(None, help="YYYY-MM-DD; default today."),
                    fmt: OutputFormat = FormatOption) -> None:
    """Close a blocker."""
    with unit_of_work() as session:
        b = blockers.resolve(session, actor=cli_actor(session), blocker_id=blocker_id,
                             data=BlockerResolve(note=note, resolved_on=on))
        render_record(blockers.to_read(b).model_dump(mode="json"), fmt)


@blocker_app.command("list")
def blocker_list(all_: bool = typer.Option(False, "--all", help="Resolved ones too."),
                 category: BlockerCategory | None = typer.Option(None), department: str | None = typer.Option(None),
                 level: EscalationLevel | None = typer.Option(None), district: str | None = typer.Option(None),
                 page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                 fmt: OutputFormat = FormatOption) -> None:
    """List open blockers, oldest first."""
    flt = BlockerFilter(open=None if all_ else True, category=category, department=department, level=level,
                        district=district)
    with unit_of_work() as session:
        rows, total = blockers.list_blockers(session, actor=cli_actor(session), flt=flt,
                                             page=PageParams(page=page, per_page=per_page))
        render([blockers.to_read(b).model_dump(mode="json") for b in rows], fmt, columns=BLOCKER_COLUMNS,
               title=f"{total} blockers (page {page})")


@blocker_app.command("escalate")
def blocker_escalate(fmt: OutputFormat = FormatOption) -> None:
    """Raise every open blocker to the level its age has reached (run daily)."""
    with unit_of_work() as session:
        moved = blockers.escalate(session, actor=operator_actor("blocker escalate"))
        render([blockers.to_read(b).model_dump(mode="json") for b in moved], fmt, columns=BLOCKER_COLUMNS,
               title=f"{len(moved)} blockers escalated")
