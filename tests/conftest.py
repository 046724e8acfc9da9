"""Test databases: a fresh, migrated SQLite file for every test, and the same on
PostgreSQL when INVESTDESK_TEST_DATABASE_URL is set (a set but unreachable URL
fails the run instead of skipping)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.db import Base, make_engine, session_factory, transaction
from investdesk.migrate import sync_sectors, upgrade
from investdesk.models import User
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor
from tests.factories import add_user

CLI_USER = "cli-admin@investdesk.test"
# An app started in a test (TestClient as a context manager) runs no scheduled jobs unless the test asks.
os.environ.setdefault("INVESTDESK_SCHEDULER", "false")
PG_URL = os.environ.get("INVESTDESK_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated from empty; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    if not PG_URL:
        pytest.skip("INVESTDESK_TEST_DATABASE_URL is not set")
    engine = make_engine(PG_URL)
    try:
        with engine.begin() as conn:
            # Start from nothing: the schema must come from the migrations alone.
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # the run must fail, not skip, when the database is set but unreachable
        pytest.fail(f"INVESTDESK_TEST_DATABASE_URL={PG_URL} is set but unusable: {exc}", pytrace=False)
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with Session(engine) as session, session.begin():
        sync_sectors(session)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database at the current schema, on each configured backend."""
    if request.param == "postgresql":
        eng = request.getfixturevalue("pg_engine")
        _truncate_all(eng)
        yield eng
        return
    template = request.getfixturevalue("sqlite_template")
    path = tmp_path / "investdesk.db"
    shutil.copyfile(template, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    s = session_factory(engine)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture
def actor() -> Actor:
    return Actor.system("test")


@pytest.fixture
def env_db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Point the CLI's settings (INVESTDESK_*) at the test database."""
    from investdesk.config import get_settings

    monkeypatch.setenv("INVESTDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INVESTDESK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    # Record commands act as a named user: the operator of these tests is an admin.
    with transaction(engine) as session:
        session.add(User(email=CLI_USER, name="Command Line Admin", role=Role.admin))
    monkeypatch.setenv("INVESTDESK_USER", CLI_USER)
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


@pytest.fixture
def cli(env_db: Engine) -> Callable[..., tuple[int, str]]:
    """Run an ``investdesk`` command in-process on the test database, as the CLI admin: (exit status, output)."""
    from typer.testing import CliRunner

    from investdesk.cli import app

    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    return invoke


@pytest.fixture
def new_mou(env_db: Engine) -> Callable[[], int]:
    """Record an MoU ("Solar glass", Kanpur Nagar) as the system when called; its id."""
    from investdesk.mous import service as mous
    from investdesk.mous.schemas import MouCreate

    def make() -> int:
        with transaction(env_db) as s:
            return mous.create(s, actor=Actor.system("test"), data=MouCreate(title="Solar glass",
                                                                             district="Kanpur Nagar")).id

    return make


@pytest.fixture
def api(engine: Engine, tmp_path: object) -> Iterator[Callable[..., TestClient]]:
    """A client of the real app on the test database, acting as a user of the given role."""
    app = create_app(Settings(data_dir=tmp_path), engine=engine)  # type: ignore[arg-type]

    def as_role(role: Role = Role.admin, user_id: int | None = None, **scope: tuple[str, ...]) -> TestClient:
        app.dependency_overrides[get_actor] = lambda: Actor(id=user_id, label=f"{role.value}@test", role=role,
                                                            **scope)
        return TestClient(app, raise_server_exceptions=False)

    yield as_role
    app.dependency_overrides.clear()


@pytest.fixture
def users(engine: Engine) -> dict[str, int]:
    """An officer, a nodal officer, a manager of the Revenue department and an admin, committed."""
    with transaction(engine) as session:
        made = {
            "officer": add_user(session, "asha@agency.test", Role.officer, name="Asha Rao"),
            "nodal": add_user(session, "vikram@agency.test", Role.nodal_officer, name="Vikram Singh",
                              districts=["Agra"]),
            "manager": add_user(session, "meera@agency.test", Role.manager, name="Meera Das",
                                departments=["Revenue"]),
            "admin": add_user(session, "chief@agency.test", Role.admin, name="Chief Admin"),
        }
        return {k: u.id for k, u in made.items()}
