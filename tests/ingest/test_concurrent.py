"""Two ``investdesk ingest`` runs over the same folder at the same time: each document is stored once and
each organization or person is created once, whichever run met it first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import Document, ExtractedItem, Organization, Person
from investdesk.models.enums import ItemState
from tests.ingest.corpus import make_folder

N_FILES = 24


@pytest.mark.slow
def test_two_runs_at_once_duplicate_nothing(env_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    files = [str(f) for f in make_folder(folder, N_FILES)]
    base = [sys.executable, "-m", "investdesk", "ingest", "--auto-accept", "--workers", "0", "--batch-size", "2"]
    # One run goes through the files forwards, the other backwards: they meet in the middle, both writing.
    runs = [subprocess.Popen(base + order, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for order in (files, files[::-1])]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    stored = [int(" ".join(out.split()).split(" stored,")[0].rsplit(" ", 1)[-1]) for out, _ in outputs]
    assert sum(stored) == N_FILES and min(stored) > 0, stored  # each file stored by exactly one of the two
    with Session(env_db) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == N_FILES
        assert s.scalar(select(func.count()).select_from(ExtractedItem).where(
            ExtractedItem.state != ItemState.accepted)) == 0
        assert s.execute(select(Organization.normalized_name, Organization.country).group_by(
            Organization.normalized_name, Organization.country).having(func.count() > 1)).all() == []
        assert s.execute(select(Person.normalized_name, Person.organization_id).group_by(
            Person.normalized_name, Person.organization_id).having(func.count() > 1)).all() == []
