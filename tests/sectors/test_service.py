"""Sectors named the ways officers and sheets name them: by id, by name, or by a part only one sector has."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from investdesk.errors import ValidationFailed
from investdesk.sectors import service


def test_a_sector_by_id_name_or_unique_part(session: Session) -> None:
    ids = {s.id for s in service.list_sectors(session)}
    assert "electric_mobility" in ids
    by_name = dict((name, sid) for sid, name in service.options(session))
    name = next(n for n, sid in by_name.items() if sid == "electric_mobility")
    for way in ("electric_mobility", name, name.upper(), "  " + name.lower() + " "):
        assert [s.id for s in service.resolve(session, [way])] == ["electric_mobility"]
    # The same sector named twice is one; the result is in id order; blanks are skipped.
    twice = service.resolve(session, [name, "electric_mobility", "", "  "])
    assert [s.id for s in twice] == ["electric_mobility"]
    assert service.resolve(session, []) == []


def test_an_unknown_sector_names_the_field_and_the_value(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        service.resolve(session, ["electric_mobility", "time travel"], field="sector")
    assert exc.value.field == "sector" and "'time travel'" in exc.value.message
