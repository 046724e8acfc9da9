from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import console
from investdesk.config import get_settings
from investdesk.db import get_engine
from investdesk.migrate import current_revision, head_revision, upgrade

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Bring the database to the current schema (safe to run again)."""
    engine = get_engine(get_settings())
    before = current_revision_safe(engine)
    upgrade(engine, revision)
    console.print(f"database {engine.url.render_as_string()} at {current_revision(engine)} (was {before or 'empty'})")


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one."""
    engine = get_engine(get_settings())
    console.print(f"current {current_revision_safe(engine) or 'empty'}, head {head_revision()}")


def current_revision_safe(engine: object) -> str | None:
    from investdesk.db import check_connection

    check_connection(engine)  # type: ignore[arg-type]
    return current_revision(engine)  # type: ignore[arg-type]
