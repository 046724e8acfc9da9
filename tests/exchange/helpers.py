"""Spreadsheets built in the test, and the row counts that show whether anything was written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.db import Base
from investdesk.models import AuditEvent, Mou, MouStatusChange, Opportunity, Organization
from investdesk.models.mou import mou_parties
from tests.conftest import CLI_USER

MOU_HEADER = ["S. No.", "Project Name", "Investor Name", "MoU Value (Rs Cr)", "Employment", "District", "Sector",
              "Date of Signing", "Status", "MoU No."]


def xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def mou_rows(n: int, **last: Any) -> list[list[Any]]:
    """A header and n valid MoU rows (new investors each), the last one changed by ``last``."""
    rows: list[list[Any]] = [list(MOU_HEADER)]
    for i in range(1, n + 1):
        rows.append([i, f"Project {i}", f"Investor {i} Pvt Ltd", 10 * i, 100 + i, "Lucknow", "Pharmaceuticals",
                     "12-01-2024", "Signed", f"GIS-{i}"])
    for key, value in last.items():
        rows[-1][MOU_HEADER.index(key)] = value
    return rows


TABLES: dict[str, Any] = {"mous": Mou, "mou_status_changes": MouStatusChange, "mou_parties": mou_parties,
                          "organizations": Organization, "opportunities": Opportunity, "audit_events": AuditEvent}


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {name: s.scalar(select(func.count()).select_from(t)) or 0 for name, t in TABLES.items()}


def wipe(engine: Engine) -> None:
    """Empty every table but the shipped sector list and the command line's user: a fresh database to import
    into."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "users":
                conn.execute(table.delete().where(table.c.email != CLI_USER))
            elif table.name != "sectors":
                conn.execute(table.delete())
