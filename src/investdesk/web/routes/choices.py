"""Option lists for filters and forms, read once per request (small tables only) from their areas' services."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from investdesk import places
from investdesk.formatting import label
from investdesk.organizations import service as organizations
from investdesk.sectors import service as sectors
from investdesk.users import service as users


def enum_options(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, label(m)) for m in enum_cls]


def sector_options(session: Session) -> list[tuple[str, str]]:
    return sectors.options(session)


def sector_names(session: Session) -> dict[str, str]:
    return dict(sectors.options(session))


def district_options() -> list[tuple[str, str]]:
    return [(d, d) for d in places.districts()]


def user_options(session: Session) -> list[tuple[int, str]]:
    return users.options(session)


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    return users.names(session, ids)


def organization_options(session: Session, limit: int = 2000) -> list[tuple[int, str]]:
    """Organizations for a picker; beyond a few thousand the form takes an id instead."""
    return organizations.options(session, limit)
