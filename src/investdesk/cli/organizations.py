from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.models.enums import OrgKind
from investdesk.organizations import service
from investdesk.organizations.schemas import OrganizationCreate, OrganizationFilter
from investdesk.paging import PageParams

org_app = typer.Typer(help="Organizations: investors, associations, agencies.", no_args_is_help=True)
app.add_typer(org_app, name="org")

COLUMNS = ["id", "name", "acronym", "kind", "country", "city", "sectors"]


@org_app.command("add")
def org_add(
    name: str,
    acronym: str | None = typer.Option(None, help="Short form, e.g. KPIA."),
    kind: OrgKind = typer.Option(OrgKind.other, help="Kind of organization."),
    country: str | None = typer.Option(None, help="ISO 3166-1 alpha-2 code."),
    city: str | None = typer.Option(None),
    sector: list[str] = typer.Option([], "--sector", help="Sector id or name; repeat for several."),
    alias: list[str] = typer.Option([], "--alias", help="Another name; repeat for several."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Add an organization."""
    data = OrganizationCreate(name=name, acronym=acronym, kind=kind, country=country, city=city,
                              sectors=sector, aliases=alias)
    with unit_of_work() as session:
        org = service.create(session, actor=cli_actor(session), data=data)
        render_record(service.to_read(org).model_dump(mode="json"), fmt)


@org_app.command("list")
def org_list(
    q: str | None = typer.Option(None, "--q", "-q", help="Text in name, acronym or alias."),
    country: str | None = typer.Option(None),
    kind: OrgKind | None = typer.Option(None),
    sector: str | None = typer.Option(None),
    page: int = typer.Option(1, min=1),
    per_page: int = typer.Option(50, min=1, max=500),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List organizations."""
    with unit_of_work() as session:
        rows, total = service.list_organizations(
            session, actor=cli_actor(session), flt=OrganizationFilter(q=q, country=country, kind=kind, sector=sector),
            page=PageParams(page=page, per_page=per_page))
        render([service.to_read(o).model_dump(mode="json") for o in rows], fmt, columns=COLUMNS,
               title=f"{total} organizations (page {page})")


@org_app.command("show")
def org_show(organization_id: int, fmt: OutputFormat = FormatOption) -> None:
    """Show one organization."""
    with unit_of_work() as session:
        org = service.get(session, actor=cli_actor(session), organization_id=organization_id)
        render_record(service.to_read(org).model_dump(mode="json"), fmt)
