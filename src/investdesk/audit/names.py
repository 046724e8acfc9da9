"""The names behind the ids an audit row holds (users, organizations, sectors), read in one query each, so a
record's history reads "Owner: — → Rahul Mishra" rather than "Owner id: — → 3"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.models import Organization, Sector, User


def _ids(values: Iterable[object]) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def lookup(session: Session, *, users: Iterable[object] = (), organizations: Iterable[object] = (),
           sectors: Iterable[object] = ()) -> dict[str, dict[object, str]]:
    """Names by id: ``{"user": {3: "Rahul Mishra"}, "organization": {...}, "sector": {...}}``."""
    out: dict[str, dict[object, str]] = {"user": {}, "organization": {}, "sector": {}}
    if wanted := _ids(users):
        out["user"] = {i: name or email for i, name, email in
                       session.execute(select(User.id, User.name, User.email).where(User.id.in_(wanted)))}
    if wanted := _ids(organizations):
        out["organization"] = {i: n for i, n in session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(wanted)))}
    if wanted_s := {s for s in sectors if isinstance(s, str)}:
        out["sector"] = {i: n for i, n in session.execute(
            select(Sector.id, Sector.name).where(Sector.id.in_(wanted_s)))}
    return out
