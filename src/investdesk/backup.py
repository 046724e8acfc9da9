"""Backups that move between SQLite and PostgreSQL: every table as gzip JSON lines, in dependency order,
with the schema revision; a restore replaces everything in one transaction or changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, Integer, Numeric, Table, func, select, text

from investdesk.db import Base
from investdesk.errors import ValidationFailed
from investdesk.schema import current_revision

FORMAT = "investdesk.backup/1"
BATCH = 1000


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        column = table.c[name]
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(column.type, Numeric):
            value = Decimal(value)
        out[name] = value
    return out


def backup(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table to ``path``; returns the row count per table."""
    counts: dict[str, int] = {}
    tmp = path.with_name(path.name + ".part")
    with engine.connect() as conn, gzip.open(tmp, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"format": FORMAT, "revision": current_revision(engine),
                              "written": dt.datetime.now(dt.UTC).isoformat()}) + "\n")
        for table in Base.metadata.sorted_tables:
            counts[table.name] = 0
            for row in conn.execute(select(table)).mappings():
                out.write(json.dumps({"t": table.name, "r": {k: _plain(v) for k, v in row.items()}},
                                     ensure_ascii=False) + "\n")
                counts[table.name] += 1
    tmp.replace(path)  # a backup is either complete or absent
    return counts


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Replace the database's content with the backup's, in one transaction."""
    try:
        stream = gzip.open(path, "rt", encoding="utf-8")
        header = json.loads(stream.readline())
    except (OSError, json.JSONDecodeError, EOFError) as exc:
        raise ValidationFailed(f"{path}: not an InvestDesk backup ({exc})", field="file") from None
    if header.get("format") != FORMAT:
        raise ValidationFailed(f"{path}: not an InvestDesk backup (format {header.get('format')!r})", field="file")
    if header.get("revision") != current_revision(engine):
        raise ValidationFailed(f"{path}: written at schema revision {header.get('revision')}, but the database is at "
                               f"{current_revision(engine)}; run `investdesk db upgrade` on a database of the same "
                               f"version first", field="file")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    counts = {name: 0 for name in tables}
    with stream, engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        pending: dict[str, list[dict[str, Any]]] = {}
        for n, line in enumerate(stream, start=2):
            try:
                item = json.loads(line)
                table = tables[item["t"]]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValidationFailed(f"{path}: line {n} is damaged ({exc})", field="file") from None
            rows = pending.setdefault(table.name, [])
            rows.append(_typed(table, item["r"]))
            counts[table.name] += 1
            if len(rows) >= BATCH:
                _flush(conn, tables, pending)
        _flush(conn, tables, pending)
        if engine.dialect.name == "postgresql":
            for table in tables.values():
                if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                    top = conn.scalar(select(func.max(table.c.id)))
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
                                 {"t": table.name, "v": top or 1, "called": top is not None})
    return counts


def _flush(conn: Any, tables: dict[str, Table], pending: dict[str, list[dict[str, Any]]]) -> None:
    # Rows arrive in dependency order, so writing the tables in that order keeps every foreign key satisfied.
    for table in Base.metadata.sorted_tables:
        rows = pending.get(table.name)
        if rows:
            conn.execute(table.insert(), rows)
            rows.clear()
