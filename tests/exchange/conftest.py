"""The database failing in the middle of an import, on either backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text


@pytest.fixture
def failing_import_audit(engine: Engine) -> Iterator[None]:
    """A trigger that refuses the import's audit row, the last thing an import writes: a database failure
    after the organizations, MoUs, history and links have gone in."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER exchange_test_fail BEFORE INSERT ON audit_events "
                              "WHEN NEW.action = 'import' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END"))
        else:
            conn.execute(text("CREATE OR REPLACE FUNCTION exchange_test_fail() RETURNS trigger LANGUAGE plpgsql "
                              "AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$"))
            conn.execute(text("CREATE TRIGGER exchange_test_fail BEFORE INSERT ON audit_events FOR EACH ROW "
                              "WHEN (NEW.action = 'import') EXECUTE FUNCTION exchange_test_fail()"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS exchange_test_fail"))
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS exchange_test_fail ON audit_events"))
                conn.execute(text("DROP FUNCTION IF EXISTS exchange_test_fail()"))
