"""The unit of work of a CLI command: one transaction on the configured database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.db import get_engine, transaction, user_errors
from investdesk.schema import ensure_current


def engine() -> Engine:
    """The configured database, upgraded to the current schema when behind."""
    eng = get_engine(get_settings())
    ensure_current(eng)
    return eng


@contextmanager
def unit_of_work() -> Iterator[Session]:
    with user_errors(), transaction(engine()) as session:
        yield session
