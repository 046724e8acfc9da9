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
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Table, text
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


def copy_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], *, with_ids: bool = False) -> list[int]:
    """Write the rows (every row with the same keys) with one COPY; with ``with_ids`` first draw an id per row
    from the table's sequence and return them in the order of the rows."""
    if not rows:
        return []
    keys = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in keys or column.primary_key:
            continue
        present, value = _default(column)
        if present:
            defaults[column.key] = value
    ids: list[int] = []
    conn = session.connection()
    if with_ids:
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        ids = list(conn.scalars(text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                                {"s": seq, "n": len(rows)}))
    columns = (["id"] if with_ids else []) + keys + list(defaults)
    fixed = [_converter(table, k)(v) for k, v in defaults.items()]
    # Only the values that need it are converted: calling a converter on every value cost more than the COPY.
    convert = [(i, _converter(table, k)) for i, k in enumerate(keys) if _needs_converting(table, k, rows[0][k])]
    names = ", ".join(f'"{c}"' for c in columns)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[attr-defined]
        for i, row in enumerate(rows):
            values = [ids[i]] if with_ids else []
            start = len(values)
            values += [row[k] for k in keys]
            for j, f in convert:
                values[start + j] = f(values[start + j])
            values += fixed
            copy.write_row(values)
    return ids


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
