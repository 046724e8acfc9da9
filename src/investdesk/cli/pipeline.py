from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import unit_of_work
from investdesk.models.enums import MouStatus, OpportunityStage
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter, StatusUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityFilter, StageMove
from investdesk.schemas import PageParams

opportunity_app = typer.Typer(help="Leads from first meeting to grounding.", no_args_is_help=True)
mou_app = typer.Typer(help="MoUs and their implementation status.", no_args_is_help=True)
app.add_typer(opportunity_app, name="opportunity")
app.add_typer(mou_app, name="mou")

OPP_COLUMNS = ["id", "title", "counterpart", "stage", "amount_inr_crore", "jobs", "district", "next_action_due"]
MOU_COLUMNS = ["id", "title", "parties", "signed_date", "amount_inr_crore", "district", "status", "pending"]


@opportunity_app.command("list")
def opportunity_list(stage: OpportunityStage | None = typer.Option(None), sector: str | None = typer.Option(None),
                     district: str | None = typer.Option(None), country: str | None = typer.Option(None),
                     page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                     fmt: OutputFormat = FormatOption) -> None:
    """List leads, newest first."""
    flt = OpportunityFilter(stage=stage, sector=sector, district=district, country=country)
    with unit_of_work() as session:
        rows, total = pipeline.list_opportunities(session, actor=Actor.system("cli"), flt=flt,
                                                  page=PageParams(page=page, per_page=per_page))
        render([pipeline.to_read(o).model_dump(mode="json") for o in rows], fmt, columns=OPP_COLUMNS,
               title=f"{total} opportunities (page {page})")


@opportunity_app.command("move")
def opportunity_move(opportunity_id: int, to_stage: OpportunityStage,
                     reason: str | None = typer.Option(None, help="Required for on_hold and dropped."),
                     version: int | None = typer.Option(None, help="The version you read (conflict check)."),
                     fmt: OutputFormat = FormatOption) -> None:
    """Move a lead to another stage (recorded in its history)."""
    with unit_of_work() as session:
        opp = pipeline.move(session, actor=Actor.system("cli"), opportunity_id=opportunity_id,
                            data=StageMove(to_stage=to_stage, reason=reason, version=version))
        render_record(pipeline.to_read(opp).model_dump(mode="json"), fmt)


@mou_app.command("list")
def mou_list(pending: bool = typer.Option(False, "--pending", help="Only MoUs with no recent status update."),
             district: str | None = typer.Option(None), status: MouStatus | None = typer.Option(None),
             department: str | None = typer.Option(None), page: int = typer.Option(1, min=1),
             per_page: int = typer.Option(50, min=1, max=500), fmt: OutputFormat = FormatOption) -> None:
    """List MoUs, newest signing first."""
    flt = MouFilter(pending=pending, district=district, status=status, department=department)
    with unit_of_work() as session:
        rows, total = mous.list_mous(session, actor=Actor.system("cli"), flt=flt,
                                     page=PageParams(page=page, per_page=per_page))
        render([mous.to_read(m).model_dump(mode="json") for m in rows], fmt, columns=MOU_COLUMNS,
               title=f"{total} MoUs (page {page})")


@mou_app.command("status")
def mou_status(mou_id: int, status: MouStatus, note: str | None = typer.Option(None),
               version: int | None = typer.Option(None, help="The version you read (conflict check)."),
               fmt: OutputFormat = FormatOption) -> None:
    """Record an MoU's implementation status with a note."""
    with unit_of_work() as session:
        mou = mous.update_status(session, actor=Actor.system("cli"), mou_id=mou_id,
                                 data=StatusUpdate(status=status, note=note, version=version))
        render_record(mous.to_read(mou).model_dump(mode="json"), fmt)
