"""Sector ids: the shipped list, looked up by id or by name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import ValidationFailed
from investdesk.extraction.normalize import normalize
from investdesk.i18n import _
from investdesk.models import Sector


def list_sectors(session: Session) -> list[Sector]:
    return list(session.scalars(select(Sector).order_by(Sector.id)))


def options(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every sector, by name: a filter's or a form's choices."""
    return [(sid, name) for sid, name in session.execute(select(Sector.id, Sector.name).order_by(Sector.name))]


def resolve(session: Session, values: Iterable[str], *, field: str = "sectors") -> list[Sector]:
    """Sectors named by id ("electric_mobility"), name ("Electric mobility and batteries") or a part of a
    name that belongs to one sector only ("batteries", "food processing")."""
    values = [v for v in values if v and v.strip()]
    if not values:
        return []
    by_key: dict[str, Sector] = {}
    parts: dict[str, list[Sector]] = {}
    for s in session.scalars(select(Sector)):
        by_key[s.id] = s
        by_key[normalize(s.name)] = s
        for part in re.split(r",\s*|\s+and\s+", s.name):
            parts.setdefault(normalize(part), []).append(s)
    for key, owners in parts.items():
        if len(owners) == 1 and key:
            by_key.setdefault(key, owners[0])
    out: list[Sector] = []
    for v in values:
        sector = by_key.get(v.strip()) or by_key.get(normalize(v)) or by_key.get(normalize(v).replace(" ", "_"))
        if sector is None:
            raise ValidationFailed(_('%(field)s: unknown sector %(v)s (see `investdesk sectors`)', field=field,
                                     v=repr(v)), field=field)
        if sector not in out:
            out.append(sector)
    return sorted(out, key=lambda s: s.id)
