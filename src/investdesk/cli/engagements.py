from __future__ import annotations

import datetime as dt

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.engagements import service
from investdesk.engagements.schemas import EngagementFilter
from investdesk.paging import PageParams

engagement_app = typer.Typer(help="Engagements: meetings and visits with counterparts.", no_args_is_help=True)
app.add_typer(engagement_app, name="engagement")

COLUMNS = ["id", "date", "city", "country", "counterparts", "sectors", "title"]


def _row(e: object) -> dict[str, object]:
    data = service.to_read(e).model_dump(mode="json")  # type: ignore[arg-type]
    data["counterparts"] = [c["name"] for c in data["counterparts"]]
    data["participants"] = [p["name"] for p in data["participants"]]
    return data


@engagement_app.command("list")
def engagement_list(
    q: str | None = typer.Option(None, "--q", "-q", help="Text in title, summary, venue or counterpart."),
    country: str | None = typer.Option(None, help="ISO code of the meeting place."),
    city: str | None = typer.Option(None),
    sector: str | None = typer.Option(None, help="Sector id."),
    organization: int | None = typer.Option(None, help="Counterpart organization id."),
    mission: int | None = typer.Option(None, help="Mission id."),
    date_from: dt.datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"]),
    date_to: dt.datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"]),
    page: int = typer.Option(1, min=1),
    per_page: int = typer.Option(50, min=1, max=500),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List engagements, newest first."""
    flt = EngagementFilter(q=q, country=country, city=city, sector=sector, organization_id=organization,
                           mission_id=mission, date_from=date_from.date() if date_from else None,
                           date_to=date_to.date() if date_to else None)
    with unit_of_work() as session:
        rows, total = service.list_engagements(session, actor=cli_actor(session), flt=flt,
                                               page=PageParams(page=page, per_page=per_page))
        render([_row(e) for e in rows], fmt, columns=COLUMNS, title=f"{total} engagements (page {page})")


@engagement_app.command("show")
def engagement_show(engagement_id: int, fmt: OutputFormat = FormatOption) -> None:
    """Show one engagement."""
    with unit_of_work() as session:
        render_record(_row(service.get(session, actor=cli_actor(session), engagement_id=engagement_id)), fmt)
