"""The schema comes from the migrations: upgrading from empty gives exactly the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from investdesk.db import Base
from investdesk.migrate import current_revision, head_revision, include_name, include_object, sector_rows, upgrade
from investdesk.models import Sector


def test_upgrade_from_empty_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                     "include_name": include_name,
                                                                     "include_object": include_object}), Base.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_every_model_table_exists(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrade_twice_changes_nothing_and_ships_sectors(engine: Engine) -> None:
    upgrade(engine)
    with Session(engine) as s:
        ids = list(s.scalars(select(Sector.id).order_by(Sector.id)))
    assert ids == sorted(r["id"] for r in sector_rows())
    assert "critical_minerals" in ids and len(ids) >= 25
