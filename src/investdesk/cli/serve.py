from __future__ import annotations

import os

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
          workers: int = typer.Option(1, min=1, help="Server processes sharing the database (on SQLite their "
                                      "writes take turns)."),
          forwarded_allow_ips: str | None = typer.Option(
              None, "--forwarded-allow-ips", envvar="INVESTDESK_FORWARDED_ALLOW_IPS",
              help="Behind a reverse proxy: its addresses (comma-separated, or *); X-Forwarded-For and "
                   "X-Forwarded-Proto from them give the client's address and the https scheme (Secure cookies)."),
          access_log: bool = typer.Option(True, "--access-log/--no-access-log",
                                          help="One line per request on the console (off: a busy server saves "
                                               "that work; errors are logged either way).")
          ) -> None:
    """Run the web application (the database is upgraded first when behind)."""
    import uvicorn

    from investdesk.web.app import create_app, tune_collector

    # Worker processes read their settings from the environment.
    if forwarded_allow_ips:
        os.environ["INVESTDESK_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
    os.environ.setdefault("INVESTDESK_WARM_PAPERS", "1")  # each server process loads the PDF engine at start
    get_settings.cache_clear()
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
    # Forwarded headers are applied by the application itself (settings.forwarded_allow_ips), never by default.
    options = {"host": host, "port": port, "proxy_headers": False, "server_header": False, "access_log": access_log}
    if workers > 1:
        uvicorn.run("investdesk.web.app:server_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    else:
        served = create_app(engine=eng)
        tune_collector()
        uvicorn.run(served, **options)  # type: ignore[arg-type]
