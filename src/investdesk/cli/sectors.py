from __future__ import annotations

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render
from investdesk.cli.context import unit_of_work
from investdesk.sectors import service


@app.command("sectors")
def sectors_list(fmt: OutputFormat = FormatOption) -> None:
    """The sector list: ids and names accepted wherever a sector is asked for."""
    with unit_of_work() as session:
        render([{"id": s.id, "name": s.name} for s in service.list_sectors(session)], fmt, title="Sectors")
