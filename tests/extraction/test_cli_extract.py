"""``investdesk extract`` and ``investdesk evaluate`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

CORPUS = Path(__file__).parent / "corpus"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True, input=stdin,
                          timeout=120)


def test_one_file_prints_one_contract_object() -> None:
    path = CORPUS / "ohio-germany-mission.txt"
    proc = run("extract", str(path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    schema = json.loads(run("extract", "--schema").stdout)
    jsonschema.validate(data, schema)
    assert data["schema"] == "investdesk.extraction/1"
    assert data["source"]["path"] == str(path) and len(data["source"]["sha256"]) == 64
    assert data["home"]["jurisdiction"] == "Ohio"


def test_several_files_print_json_lines_and_bad_ones_fail_alone(tmp_path: Path) -> None:
    bad = tmp_path / "junk.bin"
    bad.write_bytes(bytes(range(20)) * 100)
    files = [str(CORPUS / "ohio-germany-mission.txt"), str(bad), str(CORPUS / "gujarat-uae-roadshow.txt")]
    proc = run("extract", *files)
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert [json.loads(line)["home"]["jurisdiction"] for line in lines] == ["Ohio", "Gujarat"]
    assert f"{bad}: not a supported document type" in proc.stderr and "Traceback" not in proc.stderr


def test_stdin_and_table_format() -> None:
    text = (CORPUS / "odisha-korea-investors-meet.txt").read_text()
    proc = run("extract", "-", stdin=text)
    assert proc.returncode == 0 and json.loads(proc.stdout)["home"]["jurisdiction"] == "Odisha"
    table = run("extract", str(CORPUS / "odisha-korea-investors-meet.txt"), "--format", "table")
    assert table.returncode == 0 and "Hanseong Steel Corporation" in table.stdout


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    proc = run("extract", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().endswith("nope.txt: no such file") and len(proc.stderr.strip().splitlines()) == 1


def test_evaluate_prints_the_scores() -> None:
    proc = run("evaluate", str(CORPUS), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["docs"] == 3 and report["macro_f1"] >= 0.85
    assert set(report["fields"]) >= {"delegates", "engagements_org_city", "opportunities", "home_acc"}
