from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import console
from investdesk.cli.context import engine
from investdesk.config import get_settings, write_private
from investdesk.db import transaction
from investdesk.users import service as users


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, min=1, max=65535),
          workers: int = typer.Option(1, min=1, help="Processes (PostgreSQL only; SQLite wants one).")) -> None:
    """Run the web application (the database is upgraded first when behind)."""
    import uvicorn

    from investdesk.web.app import create_app

    settings = get_settings()
    settings.resolved_secret_key()  # a weak key in production stops here, before anything is written
    eng = engine()
    with transaction(eng) as session:
        first = users.ensure_admin(session)
    if first is not None:
        user, password = first
        if settings.is_production:
            # Server logs are kept and shared; the password goes to a file only its owner can read.
            path = write_private(settings.ensure_data_dir() / "first-admin-password.txt",
                                 f"{user.email}\n{password}\n")
            console.print(f"[bold]First start:[/bold] administrator {user.email}; its one-time password is in "
                          f"{path} (readable by you only; delete it once you have signed in)")
        else:
            console.print(f"[bold]First start:[/bold] administrator {user.email} with one-time password {password}")
    console.print(f"InvestDesk on http://{host}:{port}  (database {eng.url.render_as_string()}, API docs at /docs)")
    if workers > 1:
        uvicorn.run("investdesk.web.app:create_app", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(create_app(engine=eng), host=host, port=port)
