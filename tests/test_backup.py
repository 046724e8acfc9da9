"""Backup and restore round trips, on each backend and from SQLite to the other backend."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk import backup
from investdesk.db import Base, make_engine, transaction
from investdesk.demo import service as demo
from investdesk.errors import ValidationFailed
from investdesk.models import Mou, Organization
from investdesk.schema import upgrade
from tests.factories import SYSTEM, create_organization


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_round_trip_restores_everything_and_ids_keep_counting(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as s:
        demo.load(s, actor=SYSTEM)
    before = _counts(engine)
    with Session(engine) as s:
        mou = s.scalars(select(Mou).order_by(Mou.id)).first()
        assert mou is not None
        snapshot = (mou.title, mou.signed_date, mou.amount_value, mou.status, mou.status_updated_at)
    file = tmp_path / "desk.backup.gz"
    written = backup.backup(engine, file)
    assert written["organizations"] == before["organizations"] > 0
    with transaction(engine) as s:
        create_organization(s, name="Added after the backup")
    restored = backup.restore(engine, file)
    assert _counts(engine) == before and restored["mous"] == before["mous"]
    with Session(engine) as s:
        again = s.get(Mou, mou.id)
        assert again is not None
        assert (again.title, again.signed_date, again.amount_value, again.status, again.status_updated_at) == snapshot
    with Session(engine) as s:
        top = s.scalar(select(func.max(Organization.id)))
    with transaction(engine) as s:  # new rows take fresh ids after a restore (sequences reset on PostgreSQL)
        org = create_organization(s, name="New after restore")
        assert top is not None and org.id == top + 1


def test_sqlite_backup_restores_on_the_other_backend(engine: Engine, tmp_path: Path) -> None:
    source = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade(source)
    with transaction(source) as s:
        demo.load(s, actor=SYSTEM)
    file = tmp_path / "x.gz"
    backup.backup(source, file)
    backup.restore(engine, file)
    assert _counts(engine) == _counts(source)
    source.dispose()


def test_damaged_or_foreign_files_change_nothing(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as s:
        create_organization(s)
    before = _counts(engine)
    junk = tmp_path / "junk.gz"
    junk.write_bytes(b"not gzip at all")
    with pytest.raises(ValidationFailed, match="not an InvestDesk backup"):
        backup.restore(engine, junk)
    damaged = tmp_path / "damaged.gz"
    good = tmp_path / "good.gz"
    backup.backup(engine, good)
    lines = gzip.open(good, "rt").read().splitlines()
    with gzip.open(damaged, "wt") as out:
        out.write("\n".join(lines + ['{"t": "organizations", "r": {broken']) + "\n")
    with pytest.raises(ValidationFailed, match="line .* is damaged"):
        backup.restore(engine, damaged)
    assert _counts(engine) == before
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 1
