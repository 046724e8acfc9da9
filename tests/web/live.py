"""A real uvicorn server on a free 127.0.0.1 port, in a thread of the test process, over a given database; and the
demo desk the browser tests drive (the demo data served under a strict Content-Security-Policy)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.db import make_engine, transaction
from investdesk.demo import service as demo
from investdesk.permissions import Actor
from investdesk.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve the app until the block ends; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def strict_csp(app: Any) -> None:
    """Every page must work under a policy with no inline script or style; the app's own policy wins if set."""
    from starlette.requests import Request

    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"

    @app.middleware("http")
    async def _csp(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (`make browser` installs Debian's chromium)")


def copy_of(template: Path, folder: Path) -> Engine:
    """A database of its own for one desk: a copy of the migrated template file in ``folder``."""
    db = folder / "desk.db"
    shutil.copyfile(template, db)
    return make_engine(f"sqlite:///{db}")


@contextmanager
def demo_desk(engine: Engine, folder: Path) -> Iterator[dict[str, Any]]:
    """The demo data loaded into ``engine`` and served by uvicorn under the strict policy (skipped without
    Chromium): its base URL, the engine and the demo accounts (e-mail -> password)."""
    need_chromium()
    with transaction(engine) as s:
        report = demo.load(s, actor=Actor.system("demo"))
    app = create_app(Settings(data_dir=folder / "data"), engine=engine)
    strict_csp(app)
    with serve(app) as url:
        yield {"url": url, "engine": engine, "users": dict(report.users)}
