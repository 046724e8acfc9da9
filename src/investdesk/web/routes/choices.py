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


def district_options() -> list[tuple[str, str]]:
    return [(d, d) for d in places.districts()]


def user_options(session: Session) -> list[tuple[int, str]]:
    return users.options(session)


def user_names(session: Session, ids: set[int | None],
               known: list[tuple[int, str]] | None = None) -> dict[int, str]:
    """The names of these users; those among ``known`` (the page's ``user_options``, the same names) without
    another look-up."""
    have = dict(known or ())
    out = {i: have[i] for i in ids if i in have}
    return out | users.names(session, {i for i in ids if i not in out})


def organization_options(session: Session, limit: int = 2000) -> list[tuple[int, str]]:
    """Organizations for a picker; beyond a few thousand the form takes an id instead."""
    return organizations.options(session, limit)
