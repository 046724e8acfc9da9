from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render
from investdesk.cli.context import cli_actor, operator_actor, unit_of_work
from investdesk.search import service

search_app = typer.Typer(help="Full-text search over every record and document, and its index.",
                         no_args_is_help=True)
app.add_typer(search_app, name="search")


@search_app.command("find")
def find(query: str = typer.Argument(..., help='Words in any form or script, e.g. "rare earth" or "लखनऊ".'),
         limit: int = typer.Option(10, min=1, max=100, help="Hits per kind of record."),
         fmt: OutputFormat = FormatOption) -> None:
    """The best matches of each kind of record, within what the user may see."""
    with unit_of_work() as session:
        groups = service.search(session, actor=cli_actor(session), q=query, limit=limit)
        rows = [{"kind": g.label, "id": h.id, "title": h.title, "detail": h.subtitle}
                for g in groups for h in g.hits]
        render(rows, fmt, title=f"Search: {query}")


@search_app.command("rebuild")
def rebuild() -> None:
    """Write the whole search index again from the records (after a restore or a bulk change by hand)."""
    with unit_of_work() as session:
        counts = service.rebuild_index(session, actor=operator_actor("search rebuild"))
    typer.echo("search index rebuilt: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
