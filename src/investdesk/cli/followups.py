"""Follow-ups on any record: list, add, close."""

from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import acting_email, cli_actor, unit_of_work
from investdesk.errors import ValidationFailed
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter
from investdesk.models.enums import RecordKind
from investdesk.paging import PageParams
from investdesk.users import service as users

followup_app = typer.Typer(help="Add and close follow-ups on any record.", no_args_is_help=True)
app.add_typer(followup_app, name="followup")

FOLLOWUP_COLUMNS = ["id", "entity_type", "entity_id", "title", "owner", "due_date", "overdue", "done_at"]


@app.command("followups")
def followups_list(mine: bool = typer.Option(False, "--mine", help="Only yours (INVESTDESK_USER)."),
                   overdue: bool = typer.Option(False, "--overdue", help="Only open ones past their due date."),
                   owner: str | None = typer.Option(None, help="Only this user's (e-mail)."),
                   all_: bool = typer.Option(False, "--all", help="Done ones too."),
                   page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                   fmt: OutputFormat = FormatOption) -> None:
    """List open follow-ups, soonest due first."""
    if mine:
        owner = acting_email()
        if not owner:
            raise ValidationFailed("--mine: pass --as EMAIL or set INVESTDESK_USER to your e-mail first",
                                   field="mine")
    with unit_of_work() as session:
        flt = FollowUpFilter(owner_id=users.id_by_email(session, owner), overdue=overdue, open=None if all_ else True)
        rows, total = followups.list_followups(session, actor=cli_actor(session), flt=flt,
                                               page=PageParams(page=page, per_page=per_page))
        render([r.model_dump(mode="json") for r in followups.to_reads(session, rows)], fmt,
               columns=FOLLOWUP_COLUMNS, title=f"{total} follow-ups (page {page})")


@followup_app.command("add")
def followup_add(entity_type: RecordKind, entity_id: int, title: str,
                 owner: str | None = typer.Option(None, help="E-mail of the owner; default INVESTDESK_USER."),
                 due: str | None = typer.Option(None, help="Due date, YYYY-MM-DD."),
                 fmt: OutputFormat = FormatOption) -> None:
    """Add a follow-up on a record (organization, person, mission, engagement, opportunity, mou, blocker,
    document)."""
    with unit_of_work() as session:
        f = followups.create(session, actor=cli_actor(session), data=FollowUpCreate(
            entity_type=entity_type, entity_id=entity_id, title=title,
            owner_id=users.id_by_email(session, owner or acting_email()), due_date=due))
        render_record(followups.to_reads(session, [f])[0].model_dump(mode="json"), fmt)


@followup_app.command("done")
def followup_done(followup_id: int, note: str | None = typer.Option(None, help="The outcome."),
                  fmt: OutputFormat = FormatOption) -> None:
    """Mark a follow-up done."""
    with unit_of_work() as session:
        f = followups.complete(session, actor=cli_actor(session), followup_id=followup_id, data=FollowUpDone(note=note))
        render_record(followups.to_reads(session, [f])[0].model_dump(mode="json"), fmt)
