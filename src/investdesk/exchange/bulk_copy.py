"""Bulk rows for imports, straight to the database driver: into PostgreSQL with ``COPY ... FROM STDIN``
(the ids drawn first from the table's sequence, one ``nextval`` over a series, so every row's id is known in
the order of the rows), into SQLite with the driver's ``executemany`` on values the column types have already
converted. Both are several times faster than SQLAlchemy's executemany for tens of thousands of records,
whose per-row parameter handling costs more than the database's own work.

Only the bulk writer of imports uses it, inside the caller's transaction (a failed import still writes
nothing). Column defaults the ORM would fill (timestamps, version 1, empty notes) are filled here the same way.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Sequence
from enum import Enum
from types import TracebackType
from typing import Any

from sqlalchemy import JSON, Connection, Date, DateTime, Table, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


def _default(column: Any) -> tuple[bool, Any]:
    """(has a default, its value) of a column's Python-side default, as an INSERT would compute it."""
    default = column.default
    if default is None:
        return False, None
    if default.is_scalar:
        return True, default.arg
    if default.is_callable:
        return True, default.arg(None)
    return False, None


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _json(value: Any) -> Any:
    return None if value is None else json.dumps(value, default=str)


def _converter(table: Table, key: str) -> Callable[[Any], Any]:
    """JSON columns (an audit row's before and after) as their text; enums by their value."""
    column = table.columns.get(key)
    return _json if column is not None and isinstance(column.type, JSON) else _plain


def _needs_converting(table: Table, key: str, first: Any) -> bool:
    """Whether a column's values go through :func:`_converter`: JSON and enum columns, and any column whose first
    value is an enum (psycopg would write an enum by its name). Every other value is written as it is."""
    column = table.columns.get(key)
    return (column is not None and isinstance(column.type, JSON | SAEnum)) or isinstance(first, Enum)


def draw_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` ids from the table's sequence, one ``nextval`` over a series: the ids of rows about to be copied."""
    conn = session.connection()
    seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
    return list(conn.scalars(text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                             {"s": seq, "n": n}))


def _copy(raw: Any, table: Table, rows: Sequence[dict[str, Any]], ids: Sequence[int] | None) -> None:
    """One COPY of the rows (every row with the same keys) on the driver's connection, with these ids if given."""
    if not rows:
        return
    keys = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in keys or column.primary_key:
            continue
        present, value = _default(column)
        if present:
            defaults[column.key] = value
    columns = (["id"] if ids is not None else []) + keys + list(defaults)
    fixed = [_converter(table, k)(v) for k, v in defaults.items()]
    # Only the values that need it are converted: calling a converter on every value cost more than the COPY.
    convert = [(i, _converter(table, k)) for i, k in enumerate(keys) if _needs_converting(table, k, rows[0][k])]
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        write = copy.write_row
        for i, row in enumerate(rows):
            values = [row[k] for k in keys]
            for j, f in convert:
                values[j] = f(values[j])
            write(values + fixed if ids is None else [ids[i], *values, *fixed])


class Copier:
    """COPYs on a thread of their own, in the order they are given, into the session's transaction on PostgreSQL:
    while the server takes one table's rows (its indexes, foreign-key checks, the search trigger: most of an
    import's time there), this thread makes the next table's rows instead of waiting for it.

    Until :meth:`wait` (or the end of the ``with`` block) nothing else may use the session's connection, not even
    a query or an autoflush. A failed COPY skips the ones after it and its error is raised here, by :meth:`wait`
    or :meth:`copy`; an error in the ``with`` block stops the copying, and the caller's transaction, rolled back,
    holds nothing of it."""

    def __init__(self, session: Session) -> None:
        self._conn = session.connection()
        raw = self._conn.connection.dbapi_connection
        assert raw is not None
        self._raw = raw
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._stop = False
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None and not self._stop:
                    job()
            except BaseException as e:  # raised again in the caller's thread
                self._error = e
            finally:
                self._jobs.task_done()

    def _put(self, job: Callable[[], None]) -> None:
        if self._error is not None:
            self._raise()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="import-copy", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def _raise(self) -> None:
        error, self._error = self._error, None
        assert error is not None
        self._stop = True
        raise error

    def copy(self, table: Table, rows: Sequence[dict[str, Any]], ids: Sequence[int] | None = None) -> None:
        """COPY the rows (with these ids), after the COPYs given before."""
        if rows:
            self._put(lambda: _copy(self._raw, table, rows, ids))

    def run(self, work: Callable[[Connection], Any]) -> None:
        """Run ``work`` on the session's connection in its turn (a statement between the COPYs)."""
        self._put(lambda: work(self._conn))

    def wait(self) -> None:
        """Wait until everything given so far is written (the connection is then free); raise what failed."""
        if self._thread is not None:
            self._jobs.join()
        if self._error is not None:
            self._raise()

    def _close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Copier:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if error is not None:
            self._stop = True
            self._close()
            return
        try:
            self.wait()
        finally:
            self._close()


def _sqlite_processor(column: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's own conversion on SQLite (its dialect's: a time as the text ``2026-12-01 09:30:00.000000``
    that the ORM writes, not the driver's default ``...+00:00``), remembered per value for dates and times: the
    rows of a sheet share a few hundred days and one "now"."""
    proc = column.type.dialect_impl(dialect).bind_processor(dialect)
    if proc is None or not isinstance(column.type, Date | DateTime):
        return proc
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = seen[value] = proc(value)
            return out

    return convert


def sqlite_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Write the rows (every row with the same keys) with the SQLite driver's executemany, each value through
    its column type's own conversion (dates and times as SQLAlchemy stores them, enums by value, JSON as text)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    keys = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key not in keys and not column.primary_key:
            present, value = _default(column)
            if present:
                defaults[column.key] = value
    procs = [_sqlite_processor(table.columns[k], dialect) for k in keys]
    fixed = []
    for key, value in defaults.items():
        proc = _sqlite_processor(table.columns[key], dialect)
        fixed.append(proc(value) if proc else value)
    names = ", ".join(f'"{c}"' for c in [*keys, *defaults])
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * (len(keys) + len(defaults)))})'
    pairs = list(zip(keys, procs, strict=True))

    def values() -> Any:
        for row in rows:
            yield [p(row[k]) if p else row[k] for k, p in pairs] + fixed

    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        cur.executemany(sql, values())
    finally:
        cur.close()
