"""A real ``investdesk ingest`` killed with SIGKILL part-way leaves a consistent database, and running
the same command again finishes the rest without duplicating anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import Document, Engagement, Evidence, ExtractedItem, Mission, Organization, Person
from investdesk.models.enums import ItemState, ReviewState
from tests.ingest.corpus import make_folder

N_FILES = 60


def _documents(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Document)) or 0


def _check_consistent(engine: Engine, documents_dir: Path) -> int:
    """Every stored document is whole: items, records and evidence all there, its file kept."""
    with Session(engine) as s:
        docs = list(s.scalars(select(Document)))
        for doc in docs:
            assert doc.review_state is ReviewState.accepted, doc.filename
            assert (documents_dir / doc.stored_path).is_file()  # type: ignore[operator]
            items = list(s.scalars(select(ExtractedItem).where(ExtractedItem.document_id == doc.id)))
            assert items, doc.filename
            assert all(i.state is ItemState.accepted and i.record_id is not None for i in items), doc.filename
            evidence = s.scalar(select(func.count()).select_from(Evidence).where(Evidence.document_id == doc.id))
            assert evidence == len(items), doc.filename
            assert s.scalar(select(func.count()).select_from(Mission).where(Mission.document_id == doc.id)) == 1
        # Nothing written outside a whole document: every engagement and mission belongs to a stored one.
        ids = {d.id for d in docs}
        assert set(s.scalars(select(Engagement.document_id))) <= ids
        assert set(s.scalars(select(Mission.document_id))) <= ids
        dupes = s.execute(select(Organization.normalized_name, Organization.country).group_by(
            Organization.normalized_name, Organization.country).having(func.count() > 1)).all()
        assert dupes == []
        people = s.execute(select(Person.normalized_name, Person.organization_id).group_by(
            Person.normalized_name, Person.organization_id).having(func.count() > 1)).all()
        assert people == []
        return len(docs)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigkill_part_way_then_rerun_completes(env_db: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    make_folder(folder, N_FILES)
    documents_dir = Path(os.environ["INVESTDESK_DATA_DIR"]) / "documents"
    command = [sys.executable, "-m", "investdesk", "ingest", str(folder), "--auto-accept", "--workers", "1",
               "--batch-size", "2"]
    proc = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while _documents(env_db) < 8:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "ingest ended early"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "the extraction process should be running"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # The extraction process notices its parent is gone and ends by itself: no orphan keeps running.
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers):
        assert time.monotonic() < deadline, f"extraction processes outlived the killed ingest: {workers}"
        time.sleep(0.2)
    stored = _check_consistent(env_db, documents_dir)
    assert 8 <= stored < N_FILES

    rerun = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N_FILES - stored} stored, {stored} already ingested, 0 errors" in " ".join(rerun.stdout.split())
    assert _check_consistent(env_db, documents_dir) == N_FILES

    again = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "nothing changed" in again.stdout
    assert _documents(env_db) == N_FILES
