"""Option lists for filters and forms, read once per request (small tables only)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk import reference
from investdesk.models import Organization, Sector, User
from investdesk.web.routes.formatting import label


def enum_options(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, label(m)) for m in enum_cls]


def sector_options(session: Session) -> list[tuple[str, str]]:
    return [(sid, name) for sid, name in session.execute(select(Sector.id, Sector.name).order_by(Sector.name))]


def sector_names(session: Session) -> dict[str, str]:
    return dict(sector_options(session))


def district_options() -> list[tuple[str, str]]:
    return [(d, d) for d in reference.districts()]


def user_options(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(User.id, User.name, User.email).where(User.is_active.is_(True)).order_by(User.name))
    return [(uid, name or email) for uid, name, email in rows]


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name, User.email).where(User.id.in_(wanted)))
    return {uid: name or email for uid, name, email in rows}


def organization_options(session: Session, limit: int = 2000) -> list[tuple[int, str]]:
    """Organizations for a picker; beyond a few thousand the form takes an id instead."""
    rows = session.execute(select(Organization.id, Organization.name).where(Organization.merged_into_id.is_(None))
                           .order_by(Organization.name).limit(limit))
    return [(oid, name) for oid, name in rows]
