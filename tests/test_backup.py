"""Backup and restore: round trips on each backend and across them; a manifest checked before anything is
replaced; one consistent snapshot while others write; stored documents included; private files."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from investdesk import backup
from investdesk.db import Base, make_engine, transaction
from investdesk.demo import service as demo
from investdesk.errors import ValidationFailed
from investdesk.migrate import upgrade
from investdesk.models import AuditEvent, Document, Mou, Organization
from tests.documents.helpers import store as store_document
from tests.factories import SYSTEM, create_organization


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]


def _rewrite(path: Path, lines: list[dict[str, Any]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("".join(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n" for obj in lines))


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> tuple[Engine, Path]:
    """A database with a few organizations and one stored document; the backup of it."""
    with transaction(engine) as s:
        for n in range(3):
            create_organization(s, name=f"Organization {n}", acronym=None)
        store_document(s, tmp_path)
    file = tmp_path / "desk.backup.gz"
    backup.backup(engine, file, documents_dir=tmp_path / "documents")
    return engine, file


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
    assert written.tables["organizations"]["rows"] == before["organizations"] > 0
    assert {name: t["rows"] for name, t in written.tables.items()} == before
    with transaction(engine) as s:
        create_organization(s, name="Added after the backup")
    restored = backup.restore(engine, file)
    assert _counts(engine) == before and restored.tables["mous"]["rows"] == before["mous"]
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


def test_the_manifest_holds_revision_counts_and_digests_and_the_file_is_private(desk: tuple[Engine, Path]) -> None:
    engine, file = desk
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    manifest = backup.verify(file)
    assert manifest.tables["organizations"]["rows"] == _counts(engine)["organizations"] == 3
    assert all(len(t["sha256"]) == 64 for t in manifest.tables.values())
    assert len(manifest.documents) == 1 and manifest.missing_documents == []
    last = _lines(file)[-1]["manifest"]
    assert last["revision"] == manifest.revision is not None and last["tables"] == manifest.tables


def test_documents_are_restored_byte_identical(desk: tuple[Engine, Path], tmp_path: Path) -> None:
    engine, file = desk
    with Session(engine) as s:
        rel = s.scalar(select(Document.stored_path))
    assert rel is not None
    original = (tmp_path / "documents" / rel).read_bytes()
    elsewhere = tmp_path / "restored-documents"
    backup.restore(engine, file, documents_dir=elsewhere)
    assert (elsewhere / rel).read_bytes() == original


def _truncated(file: Path) -> None:
    data = file.read_bytes()
    file.write_bytes(data[: len(data) * 2 // 3])


def _flipped_byte(file: Path) -> None:
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x01
    file.write_bytes(bytes(data))


def _flipped_character_recompressed(file: Path) -> None:
    lines = _lines(file)
    row = next(line for line in lines if line.get("t") == "organizations")
    row["r"]["name"] = row["r"]["name"].replace("O", "0")
    _rewrite(file, lines)


def _edited_row_count(file: Path) -> None:
    lines = _lines(file)
    lines[-1]["manifest"]["tables"]["organizations"]["rows"] = 2
    _rewrite(file, lines)


def _row_dropped(file: Path) -> None:
    lines = _lines(file)
    lines.remove(next(line for line in lines if line.get("t") == "organizations"))
    _rewrite(file, lines)


def _no_manifest(file: Path) -> None:
    _rewrite(file, _lines(file)[:-1])


def _document_changed(file: Path) -> None:
    lines = _lines(file)
    doc = next(line for line in lines if "d" in line)
    doc["b"] = "QUJD"  # "ABC"
    _rewrite(file, lines)


def _unknown_column(file: Path) -> None:
    lines = _lines(file)
    next(line for line in lines if line.get("t") == "organizations")["r"]["colour"] = "blue"
    _rewrite(file, lines)


def _null_in_required(file: Path) -> None:
    lines = _lines(file)
    next(line for line in lines if line.get("t") == "organizations")["r"]["name"] = None
    _rewrite(file, lines)


@pytest.mark.parametrize("damage, message", [
    (_truncated, "truncated"),
    (_flipped_byte, "backup"),
    (_flipped_character_recompressed, "table organizations: the rows do not match the manifest's sha256"),
    (_edited_row_count, "table organizations: the manifest says 2 rows, the file holds 3"),
    (_row_dropped, "table organizations: the manifest says 3 rows, the file holds 2"),
    (_no_manifest, "ends before its manifest (truncated)"),
    (_document_changed, "do not match the manifest's size and sha256"),
    (_unknown_column, "table organizations row id 1: unknown column colour"),
    (_null_in_required, "table organizations row id 1: column name is empty (null) but required"),
])
def test_a_damaged_file_is_refused_before_anything_changes(desk: tuple[Engine, Path], tmp_path: Path,
                                                           damage: Any, message: str) -> None:
    engine, file = desk
    with transaction(engine) as s:
        create_organization(s, name="Written after the backup")
    before = _counts(engine)
    damage(file)
    with pytest.raises(ValidationFailed, match="nothing was changed") as verified:
        backup.verify(file)
    assert message in verified.value.message and str(file) in verified.value.message
    with pytest.raises(ValidationFailed) as restored:
        backup.restore(engine, file, documents_dir=tmp_path / "other")
    assert message in restored.value.message
    assert _counts(engine) == before
    assert not (tmp_path / "other").exists()


def test_foreign_files_are_refused(engine: Engine, tmp_path: Path) -> None:
    junk = tmp_path / "junk.gz"
    junk.write_bytes(b"not gzip at all")
    with pytest.raises(ValidationFailed, match="not a readable backup"):
        backup.verify(junk)
    old = tmp_path / "old.gz"
    _rewrite(old, [{"format": "investdesk.backup/1", "revision": "x"}])
    with pytest.raises(ValidationFailed, match="not an InvestDesk backup"):
        backup.restore(engine, old)


def test_the_snapshot_is_consistent_while_another_thread_writes(engine: Engine, tmp_path: Path) -> None:
    """While the backup reads, another thread commits an organization with its audit row, after the audit
    table was read and before the organizations are: the backup holds neither, or both."""
    with transaction(engine) as s:
        create_organization(s, name="Before the backup")
    tables = [t.name for t in Base.metadata.sorted_tables]
    assert tables.index("audit_events") < tables.index("organizations")
    wrote: list[int] = []
    writer: threading.Thread | None = None

    def write() -> None:
        with transaction(engine) as s:
            wrote.append(create_organization(s, name="Written during the backup").id)

    def before_select(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal writer
        if writer is None and statement.lstrip().upper().startswith("SELECT") and "FROM organizations" in statement:
            writer = threading.Thread(target=write)
            writer.start()
            writer.join(timeout=30)

    event.listen(engine, "before_cursor_execute", before_select)
    try:
        file = tmp_path / "during.gz"
        backup.backup(engine, file)
    finally:
        event.remove(engine, "before_cursor_execute", before_select)
    assert writer is not None and wrote, "the writer did not run during the backup"
    lines = _lines(file)
    orgs = {line["r"]["id"] for line in lines if line.get("t") == "organizations"}
    audited = {line["r"]["entity_id"] for line in lines
               if line.get("t") == "audit_events" and line["r"]["entity_type"] == "organization"}
    assert orgs == audited and wrote[0] not in orgs
    with Session(engine) as s:  # the write itself went through
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_id == wrote[0]))


def _cli(args: list[str], engine: Engine, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INVESTDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "INVESTDESK_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_cli_backup_verify_and_a_truncated_restore(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as s:
        create_organization(s)
    data = tmp_path / "data"
    file = tmp_path / "cli.backup.gz"
    made = _cli(["backup", str(file)], engine, data)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    checked = _cli(["backup", "verify", str(file)], engine, data)
    assert checked.returncode == 0 and "intact" in checked.stdout, checked.stderr
    before = _counts(engine)
    _truncated(file)
    for args in (["backup", "verify", str(file)], ["restore", str(file), "--yes"], ["restore", str(file)]):
        proc = _cli(args, engine, data)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert len(lines) == 1 and "truncated" in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert _counts(engine) == before
