"""Database schema management: Alembic migrations and the shipped reference data."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.db import check_connection
from investdesk.models import Sector

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# Tables the migrations create by hand that have no model: SQLite's FTS5 index of search_entries (search_fts and its
# shadow tables). Autogenerate and the schema check leave them alone.
UNMODELLED_PREFIXES = ("search_fts",)


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIXES))


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """The PostgreSQL-only GIN indexes of the search words are absent on SQLite by design (``ddl_if``)."""
    return not (type_ == "index" and (name or "").startswith("ix_search_entries_tsv_") and not reflected
                and compare_to is None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` and load the shipped sector list."""
    check_connection(engine)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    with Session(engine) as session, session.begin():
        sync_sectors(session)
        if revision == "head":
            from investdesk.search.index import fill_if_empty

            fill_if_empty(session)


def ensure_current(engine: Engine) -> None:
    """Upgrade when the database is behind; cheap when it is current."""
    check_connection(engine)
    if current_revision(engine) != head_revision():
        upgrade(engine)


def sector_rows() -> list[dict[str, str]]:
    text = resources.files("investdesk.extraction").joinpath("data/sectors.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def sync_sectors(session: Session) -> None:
    """Insert or update the sector list shipped with the package (idempotent)."""
    existing = {s.id: s for s in session.scalars(select(Sector))}
    for row in sector_rows():
        sector = existing.get(row["id"])
        if sector is None:
            session.add(Sector(id=row["id"], name=row["name"], covers=row["covers"]))
        else:
            sector.name, sector.covers = row["name"], row["covers"]
