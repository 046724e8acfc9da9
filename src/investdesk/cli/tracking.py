"""Follow-through commands: blockers, investor enquiries, follow-ups and the summary reports."""

from __future__ import annotations

from collections.abc import Sequence

import typer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import acting_email, cli_actor, operator_actor, unit_of_work
from investdesk.errors import ValidationFailed
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter
from investdesk.models.enums import BlockerCategory, EscalationLevel, OpportunityStage, RecordKind
from investdesk.mous import blockers
from investdesk.mous.schemas import BlockerCreate, BlockerFilter, BlockerResolve
from investdesk.paging import PageParams
from investdesk.pipeline import enquiries
from investdesk.pipeline.schemas import EnquiryCreate, EnquiryResponse
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    ConversionRow,
    FunnelRow,
    GroupTotal,
    PendingDimension,
    PipelineDimension,
)
from investdesk.users import service as users

blocker_app = typer.Typer(help="What holds MoU projects back, and its escalation.", no_args_is_help=True)
enquiry_app = typer.Typer(help="Investor enquiries and their first-response clock.", no_args_is_help=True)
followup_app = typer.Typer(help="Add and close follow-ups on any record.", no_args_is_help=True)
report_app = typer.Typer(help="Pipeline, pending MoUs, blockers and conversion summaries.", no_args_is_help=True)
app.add_typer(blocker_app, name="blocker")
app.add_typer(enquiry_app, name="enquiry")
app.add_typer(followup_app, name="followup")
app.add_typer(report_app, name="report")


BLOCKER_COLUMNS = ["id", "mou_id", "mou_title", "district", "category", "department", "raised_on", "age_days",
                   "escalation_level", "resolved_on"]
ENQUIRY_COLUMNS = ["id", "title", "counterpart", "received_at", "first_response_due", "first_responded_at",
                   "overdue"]
FOLLOWUP_COLUMNS = ["id", "entity_type", "entity_id", "title", "owner", "due_date", "overdue", "done_at"]


def _user_id(session: Session, email: str | None) -> int | None:
    return users.get_by_email(session, email).id if email else None


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


@enquiry_app.command("add")
def enquiry_add(title: str, counterpart_id: int | None = typer.Option(None, help="The enquiring organization."),
                sector: list[str] = typer.Option([], help="Sector id or name (repeatable)."),
                country: str | None = typer.Option(None, help="Investor's country (ISO code)."),
                district: str | None = typer.Option(None),
                owner: str | None = typer.Option(None, help="E-mail of the user who must answer."),
                received: str | None = typer.Option(None, help="When it arrived (ISO date-time); default now."),
                fmt: OutputFormat = FormatOption) -> None:
    """Log an investor enquiry; its first response falls due after the configured working days."""
    with unit_of_work() as session:
        opp = enquiries.create(session, actor=cli_actor(session), data=EnquiryCreate(
            title=title, counterpart_id=counterpart_id, sectors=sector, country=country, district=district,
            owner_id=_user_id(session, owner), received_at=received))
        render_record(enquiries.to_read(opp).model_dump(mode="json"), fmt)


@enquiry_app.command("respond")
def enquiry_respond(opportunity_id: int, note: str | None = typer.Option(None, help="What was answered."),
                    fmt: OutputFormat = FormatOption) -> None:
    """Record the first response to an enquiry."""
    with unit_of_work() as session:
        opp = enquiries.respond(session, actor=cli_actor(session), opportunity_id=opportunity_id,
                                data=EnquiryResponse(note=note))
        render_record(enquiries.to_read(opp).model_dump(mode="json"), fmt)


@enquiry_app.command("list")
def enquiry_list(overdue: bool = typer.Option(False, "--overdue", help="Only unanswered ones past due."),
                 unanswered: bool = typer.Option(False, "--unanswered", help="Only those not yet answered."),
                 page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                 fmt: OutputFormat = FormatOption) -> None:
    """List enquiries, soonest due first."""
    with unit_of_work() as session:
        rows, total = enquiries.list_enquiries(session, actor=cli_actor(session), overdue=overdue,
                                               unanswered=unanswered, page=PageParams(page=page, per_page=per_page))
        render([enquiries.to_read(o).model_dump(mode="json") for o in rows], fmt, columns=ENQUIRY_COLUMNS,
               title=f"{total} enquiries (page {page})")


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
        flt = FollowUpFilter(owner_id=_user_id(session, owner), overdue=overdue, open=None if all_ else True)
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
            owner_id=_user_id(session, owner or acting_email()), due_date=due))
        render_record(followups.to_reads(session, [f])[0].model_dump(mode="json"), fmt)


@followup_app.command("done")
def followup_done(followup_id: int, note: str | None = typer.Option(None, help="The outcome."),
                  fmt: OutputFormat = FormatOption) -> None:
    """Mark a follow-up done."""
    with unit_of_work() as session:
        f = followups.complete(session, actor=cli_actor(session), followup_id=followup_id, data=FollowUpDone(note=note))
        render_record(followups.to_reads(session, [f])[0].model_dump(mode="json"), fmt)


def _show(rows: Sequence[BaseModel], fmt: OutputFormat, model: type[BaseModel], title: str) -> None:
    render([r.model_dump(mode="json") for r in rows], fmt, columns=model.model_fields, title=title)


@report_app.command("funnel")
def report_funnel(fmt: OutputFormat = FormatOption) -> None:
    """Leads by stage: now at each stage, reached it, and value (INR crore)."""
    with unit_of_work() as session:
        _show(reports.funnel(session, actor=cli_actor(session)), fmt, FunnelRow, "Pipeline funnel")


@report_app.command("pipeline")
def report_pipeline(by: PipelineDimension = typer.Option(PipelineDimension.sector, help="sector, country or "
                                                                                        "district."),
                    stage: OpportunityStage | None = typer.Option(None, help="Only leads at this stage."),
                    fmt: OutputFormat = FormatOption) -> None:
    """The funnel by sector, country or district."""
    with unit_of_work() as session:
        rows = [{**r.model_dump(mode="json", exclude={"stages"}),
                 **{s.value: r.stages.get(s, 0) for s in OpportunityStage}}
                for r in reports.pipeline_by(session, actor=cli_actor(session), by=by, stage=stage)]
        render(rows, fmt, columns=[*GroupTotal.model_fields, *OpportunityStage], title=f"Pipeline by {by.value}")


@report_app.command("pending")
def report_pending(by: PendingDimension = typer.Option(PendingDimension.district, help="district or "
                                                                                      "nodal_officer."),
                   fmt: OutputFormat = FormatOption) -> None:
    """Pending MoUs by district or nodal officer."""
    with unit_of_work() as session:
        _show(reports.pending_mous_by(session, actor=cli_actor(session), by=by), fmt, GroupTotal,
              f"Pending MoUs by {by.value}")


@report_app.command("blockers")
def report_blockers(by: BlockerDimension = typer.Option(BlockerDimension.category, help="category, department, "
                                                                                        "level or age."),
                    fmt: OutputFormat = FormatOption) -> None:
    """Open blockers by category, department, escalation level or age."""
    with unit_of_work() as session:
        _show(reports.open_blockers_by(session, actor=cli_actor(session), by=by), fmt, GroupTotal,
              f"Open blockers by {by.value}")


@report_app.command("conversion")
def report_conversion(by: ConversionDimension = typer.Option(ConversionDimension.year, help="year or sector."),
                      fmt: OutputFormat = FormatOption) -> None:
    """MoUs signed and grounded, by signing year or sector."""
    with unit_of_work() as session:
        _show(reports.conversion(session, actor=cli_actor(session), by=by), fmt, ConversionRow,
              f"MoU conversion by {by.value} (grounded: under construction or operating)")
