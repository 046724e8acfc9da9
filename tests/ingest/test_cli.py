"""``investdesk ingest``, ``documents``, ``review`` and ``org merge|unmerge`` on a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.models import AuditEvent, Document, Organization
from tests.ingest.corpus import make_folder

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point (user errors: one line, exit 2)."""
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def assert_user_error(proc: subprocess.CompletedProcess[str], message: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_ingest_review_and_reingest(env_db: Engine, tmp_path: Path) -> None:
    files = make_folder(tmp_path / "in", 3)
    (tmp_path / "in" / "noise.bin").write_bytes(bytes(range(256)) * 8)
    code, out = invoke("ingest", str(tmp_path / "in"), "--workers", "0")
    assert code == 1, out
    assert "3 stored, 0 already ingested, 1 errors" in out and "noise.bin: not a supported document type" in out

    code, out = invoke("documents", "list", "--state", "pending", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and all(r["items_pending"] == r["items_total"] > 0 for r in rows)
    first, second = rows[-1]["id"], rows[-2]["id"]
    code, out = invoke("documents", "show", str(first), "--format", "json")
    detail = json.loads(out)
    assert detail["filename"] == "report-0000.txt" and detail["items"][0]["state"] == "pending"

    item = detail["items"][1]["id"]
    code, out = invoke("review", "reject", str(first), "--item", str(item))
    assert code == 0 and "rejected 1 item(s); review state pending" in out
    code, out = invoke("review", "accept", str(first))
    assert code == 0 and "review state accepted" in out, out
    code, out = invoke("review", "reject", str(second))
    assert code == 0 and "review state rejected" in out
    assert_user_error(run_cli("review", "accept", "999"), "document 999 not found")
    assert_user_error(run_cli("review", "accept", str(first), "--item", str(item)), "already")
    code, out = invoke("documents", "list", "--state", "pending", "--format", "json")
    assert len(json.loads(out)) == 1
    code, out = invoke("org", "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) >= 2

    code, out = invoke("ingest", str(files[0]), str(tmp_path / "in" / "*.txt"))
    assert code == 0, out
    assert "already ingested as document" in out and "nothing changed: every document was already ingested" in out
    with Session(env_db) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 3


def test_org_merge_and_unmerge(env_db: Engine) -> None:
    invoke("org", "add", "Kansai Pharmaceutical Industries Association", "--country", "JP")
    invoke("org", "add", "KPIA", "--acronym", "KPIA")
    code, out = invoke("org", "merge", "1", "2")
    assert code == 0 and "merged organization 2 into 1" in out, out
    audit_id = int(out.rsplit("unmerge", 1)[1].split()[0])
    code, out = invoke("org", "list", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [1] and "KPIA" in json.loads(out)[0]["aliases"]
    code, out = invoke("org", "unmerge", str(audit_id))
    assert code == 0 and f"undid merge {audit_id}" in out
    code, out = invoke("org", "list", "--format", "json")
    assert sorted(r["id"] for r in json.loads(out)) == [1, 2]
    assert_user_error(run_cli("org", "unmerge", str(audit_id)), "already undone")
    assert_user_error(run_cli("org", "merge", "1", "77"), "organization 77 not found")
    with Session(env_db) as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "organization")
                                 .order_by(AuditEvent.id)))
        assert actions == ["create", "create", "merge", "unmerge"]
        assert s.scalar(select(Organization.merged_into_id).where(Organization.id == 2)) is None
