"""Database schema management: Alembic migrations and the shipped reference data."""

from __future__ import annotations

import ast
import csv
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from investdesk.db import check_connection
from investdesk.models import Sector

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported by the functions that migrate, not here: a command on a current database (every one but
# the first after an upgrade) checks the revision with ensure_current() and never loads it.
MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@lru_cache(maxsize=1)
def shipped_head() -> str | None:
    """The head revision read from the revision files' own ``revision`` and ``down_revision`` lines: the
    revision no other one revises (what Alembic's head_revision() says, without importing Alembic and every
    revision module). None when the files do not give exactly one head; the caller then asks Alembic."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))}
        try:
            revision, down = ast.literal_eval(found["revision"]), ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        revisions.add(revision)
        revised.update([down] if isinstance(down, str) else list(down or ()))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions recorded in the database's ``alembic_version`` table (none on an empty database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return []
        return list(conn.scalars(text("SELECT version_num FROM alembic_version")))


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
    from alembic import command

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
    """Upgrade when the database is behind; cheap when it is current (Alembic is not even imported)."""
    check_connection(engine)
    head = shipped_head()
    if head is not None and stored_revisions(engine) == [head]:
        return
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
