from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.errors import ValidationFailed
from investdesk.models.enums import MouStatus, OpportunityStage
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter, MouUpdate, StatusUpdate
from investdesk.paging import PageParams
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityFilter, OpportunityUpdate, StageMove
from investdesk.users import service as users

opportunity_app = typer.Typer(help="Leads from first meeting to grounding.", no_args_is_help=True)
mou_app = typer.Typer(help="MoUs and their implementation status.", no_args_is_help=True)
app.add_typer(opportunity_app, name="opportunity")
app.add_typer(mou_app, name="mou")

OPP_COLUMNS = ["id", "title", "counterpart", "stage", "amount_inr_crore", "jobs", "district", "next_action_due"]
MOU_COLUMNS = ["id", "title", "parties", "signed_date", "amount_inr_crore", "district", "status", "pending"]

VERSION = typer.Option(None, help="The version you read (a newer one is a conflict); required unless --force.")
FORCE = typer.Option(False, "--force", help="Save without a version, over whatever is stored (noted in the audit).")


@opportunity_app.command("list")
def opportunity_list(stage: OpportunityStage | None = typer.Option(None), sector: str | None = typer.Option(None),
                     district: str | None = typer.Option(None), country: str | None = typer.Option(None),
                     page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                     fmt: OutputFormat = FormatOption) -> None:
    """List leads, newest first."""
    flt = OpportunityFilter(stage=stage, sector=sector, district=district, country=country)
    with unit_of_work() as session:
        rows, total = pipeline.list_opportunities(session, actor=cli_actor(session), flt=flt,
                                                  page=PageParams(page=page, per_page=per_page))
        render([pipeline.to_read(o).model_dump(mode="json") for o in rows], fmt, columns=OPP_COLUMNS,
               title=f"{total} opportunities (page {page})")


@opportunity_app.command("move")
def opportunity_move(opportunity_id: int, to_stage: OpportunityStage,
                     reason: str | None = typer.Option(None, help="Required for on_hold and dropped."),
                     version: int | None = VERSION,
                     force: bool = FORCE, fmt: OutputFormat = FormatOption) -> None:
    """Move a lead to another stage (recorded in its history)."""
    with unit_of_work() as session:
        opp = pipeline.move(session, actor=cli_actor(session), opportunity_id=opportunity_id,
                            data=StageMove(to_stage=to_stage, reason=reason, version=version, force=force))
        render_record(pipeline.to_read(opp).model_dump(mode="json"), fmt)


@mou_app.command("list")
def mou_list(pending: bool = typer.Option(False, "--pending", help="Only MoUs with no recent status update."),
             district: str | None = typer.Option(None), status: MouStatus | None = typer.Option(None),
             department: str | None = typer.Option(None), page: int = typer.Option(1, min=1),
             per_page: int = typer.Option(50, min=1, max=500), fmt: OutputFormat = FormatOption) -> None:
    """List MoUs, newest signing first."""
    flt = MouFilter(pending=pending, district=district, status=status, department=department)
    with unit_of_work() as session:
        rows, total = mous.list_mous(session, actor=cli_actor(session), flt=flt,
                                     page=PageParams(page=page, per_page=per_page))
        render([mous.to_read(m).model_dump(mode="json") for m in rows], fmt, columns=MOU_COLUMNS,
               title=f"{total} MoUs (page {page})")


@mou_app.command("status")
def mou_status(mou_id: int, status: MouStatus, note: str | None = typer.Option(None),
               version: int | None = VERSION,
               force: bool = FORCE, fmt: OutputFormat = FormatOption) -> None:
    """Record an MoU's implementation status with a note."""
    with unit_of_work() as session:
        mou = mous.update_status(session, actor=cli_actor(session), mou_id=mou_id,
                                 data=StatusUpdate(status=status, note=note, version=version, force=force))
        render_record(mous.to_read(mou).model_dump(mode="json"), fmt)


@opportunity_app.command("update")
def opportunity_update(opportunity_id: int, next_action: str | None = typer.Option(None, help="The next step."),
                       due: str | None = typer.Option(None, help="When the next step is due (YYYY-MM-DD)."),
                       owner: str | None = typer.Option(None, help="E-mail of the user who owns the lead."),
                       version: int | None = VERSION,
                       force: bool = FORCE, fmt: OutputFormat = FormatOption) -> None:
    """Change a lead's next action, due date or owner."""
    with unit_of_work() as session:
        fields: dict[str, object] = {"version": version, "force": force}
        if next_action is not None:
            fields["next_action"] = next_action
        if due is not None:
            fields["next_action_due"] = due
        if owner is not None:
            fields["owner_id"] = users.get_by_email(session, owner).id
        opp = pipeline.update(session, actor=cli_actor(session), opportunity_id=opportunity_id,
                              data=OpportunityUpdate.model_validate(fields))
        render_record(pipeline.to_read(opp).model_dump(mode="json"), fmt)


@mou_app.command("assign")
def mou_assign(mou_id: int, nodal_officer: str | None = typer.Option(None, help="E-mail of the nodal officer."),
               account_manager: str | None = typer.Option(None, help="E-mail of the account manager."),
               version: int | None = VERSION,
               force: bool = FORCE, fmt: OutputFormat = FormatOption) -> None:
    """Override who follows an MoU up (the assignment by size no longer applies to it)."""
    if nodal_officer is None and account_manager is None:
        raise ValidationFailed("name --nodal-officer or --account-manager", field="nodal_officer")
    with unit_of_work() as session:
        fields: dict[str, object] = {"version": version, "force": force}
        if nodal_officer is not None:
            fields["nodal_officer_id"] = users.get_by_email(session, nodal_officer).id
        if account_manager is not None:
            fields["account_manager_id"] = users.get_by_email(session, account_manager).id
        mou = mous.update(session, actor=cli_actor(session), mou_id=mou_id, data=MouUpdate.model_validate(fields))
        render_record(mous.to_read(mou).model_dump(mode="json"), fmt)
