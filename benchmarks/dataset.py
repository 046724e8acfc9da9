"""Generators and bulk loading shared by the benchmarks that build a large data set (web.py, pipeline.py).

Rows are plain dicts keyed by column name, made from a seeded ``random.Random`` so a run is repeatable; they are
written with ``insert(table)`` in batches (one executemany each) or, on PostgreSQL when asked, with COPY.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, create_engine, insert, text

from investdesk.db import Base
from investdesk.models.enums import OpportunityKind, OpportunityStage, OrgKind

Row = dict[str, Any]

WORDS = ("Tanaka Sakura Hokuto Daehan Hanbit Seojin Kansai Minato Nagoya Keller Bergmann Orion Vega Lumen Atlas "
         "Nova Zenith Kestrel Aurora Meridian Helix Quanta Vertex Cobalt Indigo Saffron Banyan Lotus").split()
TAIL = ("Electric", "Motors", "Materials", "Robotics", "Pharma", "Semiconductors", "Batteries", "Textiles", "Foods")
COUNTRIES = ("JP", "KR", "DE", "US", "AE", "SG", "FR", "GB", "TW", "NL")
STAGE_WEIGHTS = {OpportunityStage.identified: 30, OpportunityStage.engaged: 25, OpportunityStage.interested: 20,
                 OpportunityStage.mou_signed: 10, OpportunityStage.grounded: 5, OpportunityStage.on_hold: 6,
                 OpportunityStage.dropped: 4}


def batches(rows: list[Row], size: int = 5000) -> Iterator[list[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def organization_rows(rnd: random.Random, n: int, now: dt.datetime) -> list[Row]:
    """``n`` organizations with made-up names, ids 1..n."""
    orgs = [{"id": i, "name": f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(TAIL)} {i}",
             "normalized_name": f"org {i}", "kind": rnd.choice(list(OrgKind)).value,
             "country": rnd.choice(COUNTRIES), "notes": "", "version": 1, "created_at": now, "updated_at": now}
            for i in range(1, n + 1)]
    for o in orgs:
        o["normalized_name"] = o["name"].lower()
    return orgs


def opportunity_rows(rnd: random.Random, n: int, *, n_orgs: int, n_owners: int, districts: list[str],
                     sectors: list[str], now: dt.datetime) -> tuple[list[Row], list[Row], list[Row]]:
    """``n`` leads (ids 1..n) spread over the stages by STAGE_WEIGHTS, each with one sector and the stage change
    that put it where it is: (opportunities, opportunity_sectors, opportunity_stage_changes)."""
    stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    opps: list[Row] = []
    opp_sectors: list[Row] = []
    history: list[Row] = []
    for i in range(1, n + 1):
        stage = rnd.choices(stages, weights)[0]
        value = round(rnd.uniform(5, 5000), 1)
        opps.append({"id": i, "title": f"{rnd.choice(TAIL)} unit {i} for {rnd.choice(WORDS)}",
                     "counterpart_id": rnd.randint(1, n_orgs), "kind": rnd.choice(list(OpportunityKind)).value,
                     "stage": stage.value, "stage_reason": "waiting" if stage in (OpportunityStage.on_hold,
                                                                                  OpportunityStage.dropped) else None,
                     "stage_changed_at": now, "jobs": rnd.randint(10, 3000), "country": rnd.choice(COUNTRIES),
                     "district": rnd.choice(districts), "owner_id": rnd.randint(1, n_owners),
                     "amount_value": value, "amount_currency": "INR", "amount_unit": "crore",
                     "amount_inr_crore": value, "amount_usd_million": round(value * 0.12, 2),
                     "next_action_due": dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randint(0, 400)),
                     "is_enquiry": False, "notes": "", "version": 1, "created_at": now, "updated_at": now})
        opp_sectors.append({"opportunity_id": i, "sector_id": rnd.choice(sectors)})
        history.append({"opportunity_id": i, "from_stage": None, "to_stage": stage.value, "changed_at": now})
    return opps, opp_sectors, history


def table_of(model: Any) -> Table:
    """The Table of a mapped class, or the Table itself (association tables)."""
    return model.__table__ if hasattr(model, "__table__") else model


def insert_rows(conn: Connection, model: Any, rows: Iterable[Row], *, size: int = 5000, copy: bool = False) -> int:
    """Write ``rows`` in the connection's transaction: ``insert(table)`` in batches of ``size``, or with
    ``copy=True`` on PostgreSQL one COPY (every row must have the first row's keys; not for tables with JSON
    columns, which go by insert). Returns the row count."""
    table = table_of(model)
    if copy and conn.dialect.name == "postgresql" and not any(isinstance(c.type, JSON) for c in table.c):
        return _copy_rows(conn, table, rows)
    n = 0
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            conn.execute(insert(table), batch)
            n, batch = n + len(batch), []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


def _copy_rows(conn: Connection, table: Table, rows: Iterable[Row]) -> int:
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    columns = list(first)
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = conn.connection.driver_connection  # the psycopg connection, in this transaction
    cursor = raw.cursor()
    n = 0
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in itertools.chain((first,), it):
            copy.write_row([row[c] for c in columns])
            n += 1
    return n


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, move each id sequence past the ids written explicitly, so later inserts get fresh ids."""
    if conn.dialect.name != "postgresql":
        return
    for t in Base.metadata.sorted_tables:
        if "id" in t.c and t.c.id.autoincrement is not False and t.name != "sectors":
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {t.name}))"))


@contextmanager
def scratch_database(backend: str, pg_server: str, pg_database: str, scratch: Path) -> Iterator[str]:
    """A database for one run, by URL: on PostgreSQL ``pg_database`` created afresh on ``pg_server`` and dropped
    afterwards (connections still open are closed by force), on SQLite a file in ``scratch``."""
    if backend != "postgresql":
        yield f"sqlite:///{scratch / 'investdesk.db'}"
        return
    admin = create_engine(pg_server.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{pg_database}"'))
    try:
        yield f"{pg_server}/{pg_database}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'))
        admin.dispose()
