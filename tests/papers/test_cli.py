"""Papers from the command line, acting as the named user; files written whole or not at all."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from tests.papers.data import generate, pdf_text

runner = CliRunner()


def _data(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        data = generate(session, n_mous=12)
        assert data.org and data.mission
        return {"org": data.org.id, "mission": data.mission.id}


def test_brief_report_and_pack_commands_write_their_files(env_db: Engine, tmp_path: Path) -> None:
    ids = _data(env_db)
    tmp_path = tmp_path / "papers"
    tmp_path.mkdir()
    brief = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "organization", str(ids["org"]), "-o", str(brief)])
    assert result.exit_code == 0, result.output
    assert "Meeting brief: Hokuto Precision Motors" in pdf_text(brief.read_bytes())
    for suffix in ("pdf", "docx"):
        out = tmp_path / f"mission.{suffix}"
        result = runner.invoke(app, ["report", "mission", str(ids["mission"]), "-o", str(out)])
        assert result.exit_code == 0 and out.stat().st_size > 5000, result.output
    pack = tmp_path / "pack.xlsx"
    result = runner.invoke(app, ["pack", "mous", "--from", "2021-01-01", "--to", "2025-12-31", "--district",
                                 "Lucknow", "-o", str(pack)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(io.BytesIO(pack.read_bytes()))["Districts"].iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["District", "Lucknow", "Total"] and rows[1][1] == 3
    monthly = tmp_path / "pipeline.pdf"
    result = runner.invoke(app, ["report", "pipeline-monthly", "-o", str(monthly)])
    assert result.exit_code == 0 and monthly.read_bytes().startswith(b"%PDF"), result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf", "mission.docx", "mission.pdf",
                                                         "pack.xlsx", "pipeline.pdf"]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def test_bad_input_is_one_line_exit_2_and_no_file(env_db: Engine, tmp_path: Path) -> None:
    _data(env_db)
    tmp_path = tmp_path / "papers"
    tmp_path.mkdir()
    cases = [(["pack", "mous", "--from", "2025-01-01", "--to", "2024-01-01", "-o", str(tmp_path / "p.pdf")],
              "is before from"),
             (["pack", "mous", "--from", "first of May", "-o", str(tmp_path / "p.pdf")], "--from"),
             (["pack", "mous", "-o", str(tmp_path / "p.csv")], "must end in .pdf or .xlsx"),
             (["brief", "organization", "4242", "-o", str(tmp_path / "b.pdf")], "organization 4242 not found"),
             (["report", "mission", "1", "-o", str(tmp_path / "nowhere" / "m.pdf")], "does not exist")]
    for args, message in cases:
        proc = _run(args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_pack_for_a_financial_year_from_the_command_line(env_db: Engine, tmp_path: Path) -> None:
    _data(env_db)
    by_year, by_dates = tmp_path / "fy.xlsx", tmp_path / "dates.xlsx"
    result = runner.invoke(app, ["pack", "mous", "--fy", "FY 2023-24", "-o", str(by_year)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["pack", "mous", "--from", "2023-04-01", "--to", "2024-03-31", "-o", str(by_dates)])
    assert result.exit_code == 0, result.output
    year = load_workbook(io.BytesIO(by_year.read_bytes()))["Districts"]
    dates = load_workbook(io.BytesIO(by_dates.read_bytes()))["Districts"]
    assert list(year.iter_rows(values_only=True)) == list(dates.iter_rows(values_only=True))
    by_year.unlink()
    result = runner.invoke(app, ["pack", "mous", "--fy", "2023", "--to", "2024-01-01", "-o", str(by_year)])
    assert not by_year.exists()
    # The command's error (rendered as one line, exit 2, by the entry point) names the option; no file is written.
    assert "fy: give a financial year or a date range (from, to), not both" in str(result.exception)
