"""The database failing in the middle of an import, on either backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text


def _failing(engine: Engine, table: str, when_sqlite: str, when_pg: str) -> Iterator[None]:
    """A trigger that refuses the rows of ``table`` that match (``NEW.<column>``) with "disk full (test)"."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text(f"CREATE TRIGGER exchange_test_fail BEFORE INSERT ON {table} "
                              f"WHEN {when_sqlite} BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END"))
        else:
            conn.execute(text("CREATE OR REPLACE FUNCTION exchange_test_fail() RETURNS trigger LANGUAGE plpgsql "
                              "AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$"))
            conn.execute(text(f"CREATE TRIGGER exchange_test_fail BEFORE INSERT ON {table} FOR EACH ROW "
                              f"WHEN ({when_pg}) EXECUTE FUNCTION exchange_test_fail()"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS exchange_test_fail"))
            else:
                conn.execute(text(f"DROP TRIGGER IF EXISTS exchange_test_fail ON {table}"))
                conn.execute(text("DROP FUNCTION IF EXISTS exchange_test_fail()"))


@pytest.fixture
def failing_import_audit(engine: Engine) -> Iterator[None]:
    """A trigger that refuses the import's audit row, the last thing an import writes: a database failure
    after the organizations, MoUs, history and links have gone in."""
    yield from _failing(engine, "audit_events", "NEW.action = 'import'", "NEW.action = 'import'")


@pytest.fixture
def failing_history(engine: Engine) -> Iterator[None]:
    """A trigger that refuses an MoU's second history row: a database failure in the middle of the bulk writes
    (on PostgreSQL, in a COPY on the writer's own thread, with more COPYs queued behind it)."""
    yield from _failing(engine, "mou_status_changes", "NEW.from_status IS NOT NULL", "NEW.from_status IS NOT NULL")
