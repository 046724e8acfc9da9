"""An import's cost is bounded: a row cap checked while the sheet streams, and a workbook that would unpack to
too much (a zip bomb) refused before it is opened. Sizes stay small: the limits are lowered for the test."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.config import get_settings
from investdesk.exchange import tables
from investdesk.exchange.errors import FileTooLarge
from investdesk.exchange.tables import Source
from investdesk.models.enums import Role
from tests.exchange.helpers import MOU_HEADER, counts, mou_rows, xlsx
from tests.exchange.test_api import Api, upload

runner = CliRunner()


@pytest.fixture
def max_rows(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("INVESTDESK_MAX_IMPORT_ROWS", "20")
    get_settings.cache_clear()
    yield 20
    get_settings.cache_clear()


def test_the_row_cap_stops_reading_at_the_limit() -> None:
    """An endless sheet is refused at the first row past the cap: reading streams and stops there."""
    endless = ((n, (f"Project {n}", "Investor")) for n in itertools.count(2))
    numbered = itertools.chain([(1, ("Project Name", "Investor Name"))], endless)
    with pytest.raises(FileTooLarge, match=r"big\.xlsx: more than 1,000 rows .*INVESTDESK_MAX_IMPORT_ROWS=1000"):
        tables._take("big.xlsx", numbered, lambda row: row[0] == "Project Name", None, None, 1000)
    assert next(endless)[0] == 1003  # row 1002 was the one past the cap; nothing after it was read


def test_the_default_cap_is_in_the_settings() -> None:
    assert get_settings().max_import_rows == 100_000


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_import_past_the_cap_is_one_line_naming_file_and_limit(env_db: Engine, tmp_path: Path, max_rows: int,
                                                                  suffix: str) -> None:
    at_cap, past = tmp_path / f"twenty{suffix}", tmp_path / f"more{suffix}"
    for path, n in ((at_cap, max_rows), (past, max_rows + 1)):
        if suffix == ".xlsx":
            xlsx(path, mou_rows(n))
        else:
            path.write_text("\n".join(",".join(map(str, row)) for row in mou_rows(n)), encoding="utf-8")
    before = counts(env_db)
    result = runner.invoke(app, ["mou", "import", str(past), "--dry-run"])
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {past}: more than 20 rows") and "INVESTDESK_MAX_IMPORT_ROWS=20" in lines[0]
    ok = runner.invoke(app, ["mou", "import", str(at_cap), "--dry-run"])
    assert ok.exit_code == 0, ok.output
    assert counts(env_db) == before


def test_the_api_answers_413_past_the_cap(api: Api, engine: Engine, tmp_path: Path, max_rows: int) -> None:
    path = xlsx(tmp_path / "register.xlsx", mou_rows(max_rows + 5))
    refused = upload(api(Role.admin), "/api/mous/import", path)
    assert refused.status_code == 413, refused.text
    assert refused.json()["detail"].startswith("register.xlsx: more than 20 rows")
    assert counts(engine)["mous"] == 0


def _with_member(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    # 16 MB of zeros deflate to about 16 KB: a ratio near 1000, where a real sheet stays under 30.
    path = _with_member(xlsx(tmp_path / "bomb.xlsx", mou_rows(2)), "xl/sharedStrings2.xml", b"\0" * (16 << 20))
    assert path.stat().st_size < 200_000
    with pytest.raises(FileTooLarge, match=r"bomb\.xlsx: part xl/sharedStrings2\.xml unpacks [\d,]+ times its size"):
        tables.read(Source.from_path(path), lambda row: "Project Name" in row)


def test_a_workbook_unpacking_past_the_total_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = xlsx(tmp_path / "wide.xlsx", mou_rows(200))
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 2**16)
    with pytest.raises(FileTooLarge, match=r"wide\.xlsx: the workbook unpacks to .* more than the 0 MB"):
        tables.read(Source.from_path(path), lambda row: "Project Name" in row)
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 512 * 2**20)
    sheet = tables.read(Source.from_path(path), lambda row: "Project Name" in row)
    assert len(sheet.rows) == 200 and sheet.header[1] == MOU_HEADER[1]
