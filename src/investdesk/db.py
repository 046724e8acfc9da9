"""Engine, sessions and the one transaction helper.

Services take a ``Session`` and never commit. Whoever owns the unit of work
(a request, a CLI command, a job) opens it with :func:`transaction`, which
commits once on success and rolls back everything on error.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    MetaData,
    any_,
    bindparam,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DataError, DisconnectionError, IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session

from investdesk.config import Settings, get_settings
from investdesk.errors import Conflict, DatabaseUnavailable, ValidationFailed
from investdesk.i18n import _

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def among(bind: Session | Connection, column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``column = ANY(one array)``, the same statement whatever the number of
    values, so the driver parses it once: an IN list of 500 values costs more to send than to run."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    if dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        datetime: DateTime(timezone=True),
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")  # as the driver's timeout: under a burst, a writer waits its turn
    cursor.close()


def _private_sqlite_file(url: str) -> None:
    """Create a new SQLite database file readable by its owner only (it holds password and token hashes);
    SQLite gives its -wal and -shm files the same permissions. An existing file is left as it is."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists() and path.parent.is_dir():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:  # created meanwhile by another process: theirs, with these same rules
            pass


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with SQLite in WAL mode and foreign keys on; PostgreSQL as is. Every session keeps the search
    index current on flush: its listener is registered before the first engine exists (imported here, not at the
    top, as the index reads the models that read this module)."""
    import investdesk.search.index  # noqa: F401
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            # A file: QueuePool, with room for 15 request sessions and 5 look-ups (see get_engine).
            kwargs.setdefault("pool_size", 5)
            kwargs.setdefault("max_overflow", 15)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 15)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "checkin", _stamp_checkin)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


PING_AFTER_IDLE = 10.0  # seconds a pooled connection may rest before it is checked on its way out


def _stamp_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection that rested in the pool is checked before use (the server may have restarted or closed it),
    and replaced when dead; one in steady use is not, so a busy server does not pay a round trip per request."""
    rested = record.info.get("checked_in")
    if rested is not None and time.monotonic() - rested < PING_AFTER_IDLE:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as exc:
        raise DisconnectionError(str(exc)) from exc


_engines: dict[str, Engine] = {}
AUTH_LOOKUPS = 5  # connections kept for the authentication look-ups of web/auth.py


def get_engine(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    url = settings.sqlalchemy_url
    if url not in _engines:
        if url.startswith("sqlite:///"):
            settings.ensure_data_dir()
        # Room for every request session at once (web/deps.py lets no more in) and the 5 authentication
        # look-ups (web/auth.py), so no thread ever waits for a connection. All of them stay in the pool once
        # opened: with only 5 kept (and the rest as overflow, closed on return) a busy server opened and closed a
        # PostgreSQL connection every few requests (1,100 a minute under 200 users: a new backend each time).
        # Last in, first out: a quiet server keeps using the same few, and the others rest (checked when used).
        _engines[url] = make_engine(url, pool_size=settings.db_pool_size + AUTH_LOOKUPS, max_overflow=0,
                                    pool_use_lifo=True)
    return _engines[url]


def session_factory(engine: Engine) -> Callable[[], Session]:
    """What opens a session on this engine. A plain ``Session``: a ``sessionmaker`` builds a class of its own
    each time it is made, and SQLAlchemy then sets up its event dispatch for that class, on every request."""
    return partial(Session, bind=engine, expire_on_commit=False, autoflush=True)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with one clear line when the database can't be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = " ".join(str(exc.orig or exc).split())
        raise DatabaseUnavailable(_('cannot reach the database at %(render_as_string)s: %(reason)s',
                                    render_as_string=engine.url.render_as_string(), reason=reason)) from None


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit once on success, roll back everything on error."""
    engine = engine or get_engine()
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def user_errors() -> Iterator[None]:
    """Around a request's or a command's unit of work: what the database refuses is the caller's mistake,
    told in one line, never a server error. Services check what they refer to and name the field; this is
    the last line behind them. (Jobs that handle these errors themselves, such as ingest, do not use it.)"""
    try:
        yield
    except (OverflowError, DataError) as exc:  # an id past 2^31, an amount past its precision
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        raise ValidationFailed(_('a value is out of range for the database (%(reason)s)', reason=reason)) from None
    except IntegrityError as exc:
        reason = " ".join(str(exc.orig or exc).split())[:200]
        raise Conflict(_('the change refers to a missing record or repeats a unique value (%(reason)s)',
                         reason=reason)) from None
