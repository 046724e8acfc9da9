from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.models.enums import Side
from investdesk.paging import PageParams
from investdesk.people import service
from investdesk.people.schemas import PersonCreate, PersonFilter

person_app = typer.Typer(help="People on either side of the table.", no_args_is_help=True)
app.add_typer(person_app, name="person")

COLUMNS = ["id", "name", "honorific", "titles", "organization", "side"]


@person_app.command("add")
def person_add(name: str, honorific: str | None = typer.Option(None),
               title: list[str] = typer.Option([], "--title", help="Repeat for several."),
               organization: int | None = typer.Option(None, help="Organization id."),
               side: Side = typer.Option(Side.mentioned), fmt: OutputFormat = FormatOption) -> None:
    """Add a person."""
    data = PersonCreate(name=name, honorific=honorific, titles=title, organization_id=organization, side=side)
    with unit_of_work() as session:
        person = service.create(session, actor=cli_actor(session), data=data)
        render_record(service.to_read(person).model_dump(mode="json"), fmt)


@person_app.command("list")
def person_list(q: str | None = typer.Option(None, "--q", "-q"), organization: int | None = typer.Option(None),
                side: Side | None = typer.Option(None), country: str | None = typer.Option(None),
                page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                fmt: OutputFormat = FormatOption) -> None:
    """List people."""
    flt = PersonFilter(q=q, organization_id=organization, side=side, country=country)
    with unit_of_work() as session:
        rows, total = service.list_people(session, actor=cli_actor(session), flt=flt,
                                          page=PageParams(page=page, per_page=per_page))
        render([service.to_read(p).model_dump(mode="json") for p in rows], fmt, columns=COLUMNS,
               title=f"{total} people (page {page})")


@person_app.command("show")
def person_show(person_id: int, fmt: OutputFormat = FormatOption) -> None:
    """Show one person."""
    with unit_of_work() as session:
        render_record(service.to_read(service.get(session, actor=cli_actor(session), person_id=person_id))
                      .model_dump(mode="json"), fmt)
