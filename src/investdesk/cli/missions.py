from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.missions import service
from investdesk.missions.schemas import MissionFilter
from investdesk.paging import PageParams

mission_app = typer.Typer(help="Missions: delegations and roadshows.", no_args_is_help=True)
app.add_typer(mission_app, name="mission")

COLUMNS = ["id", "name", "countries", "cities", "start_date", "end_date", "delegates"]


def _row(m: object) -> dict[str, object]:
    data = service.to_read(m).model_dump(mode="json")  # type: ignore[arg-type]
    data["delegates"] = [d["name"] for d in data["delegates"]]
    return data


@mission_app.command("list")
def mission_list(q: str | None = typer.Option(None, "--q", "-q"), country: str | None = typer.Option(None),
                 page: int = typer.Option(1, min=1), per_page: int = typer.Option(50, min=1, max=500),
                 fmt: OutputFormat = FormatOption) -> None:
    """List missions, newest first."""
    with unit_of_work() as session:
        rows, total = service.list_missions(session, actor=cli_actor(session), flt=MissionFilter(q=q, country=country),
                                            page=PageParams(page=page, per_page=per_page))
        render([_row(m) for m in rows], fmt, columns=COLUMNS, title=f"{total} missions (page {page})")


@mission_app.command("show")
def mission_show(mission_id: int, fmt: OutputFormat = FormatOption) -> None:
    """Show one mission with its delegates."""
    with unit_of_work() as session:
        render_record(_row(service.get(session, actor=cli_actor(session), mission_id=mission_id)), fmt)
