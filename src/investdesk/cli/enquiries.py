"""Investor enquiries: log one, record the first response, list those due."""

from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.enquiries import service as enquiries
from investdesk.enquiries.schemas import EnquiryCreate, EnquiryResponse
from investdesk.paging import PageParams
from investdesk.users import service as users

enquiry_app = typer.Typer(help="Investor enquiries and their first-response clock.", no_args_is_help=True)
app.add_typer(enquiry_app, name="enquiry")

ENQUIRY_COLUMNS = ["id", "title", "counterpart", "received_at", "first_response_due", "first_responded_at",
                   "overdue"]


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
            owner_id=users.id_by_email(session, owner), received_at=received))
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
