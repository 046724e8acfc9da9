"""Sheets written in Hindi: headers such as "निवेशक का नाम", "ज़िला" and "निवेश (करोड़ ₹)" are read like their English
counterparts, and a district named in Devanagari is found through the district list's ``hindi`` column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from investdesk.config import get_settings
from investdesk.exchange import service as exchange
from investdesk.exchange.errors import ImportRejected
from investdesk.exchange.headers import read_header
from investdesk.models import Mou
from tests.exchange.helpers import xlsx
from tests.factories import SYSTEM


@pytest.fixture
def hindi_districts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A district list with its Devanagari names (the shipped list carries them in the same column)."""
    path = tmp_path / "districts.tsv"
    path.write_text("district\taliases\thindi\nLucknow\t\tलखनऊ\nPrayagraj\tAllahabad\tप्रयागराज\n"
                    "Gautam Buddh Nagar\tNoida\tगौतम बुद्ध नगर\nJhansi\t\tझाँसी\n", encoding="utf-8")
    monkeypatch.setenv("INVESTDESK_DISTRICTS_FILE", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_hindi_headers_name_the_same_fields() -> None:
    amount = read_header("निवेश (करोड़ ₹)")
    assert (amount.currency, amount.unit) == ("INR", "crore")
    assert read_header("निवेश").key == amount.key
    assert read_header("ज़िला").key == read_header("ज़िला").key  # nukta typed as one character or two
    assert read_header("लागत (लाख रु.)").unit == "lakh"


def test_a_sheet_in_hindi_imports(session: Session, tmp_path: Path, hindi_districts: Path) -> None:
    rows = [["क्रम संख्या", "परियोजना का नाम", "निवेशक का नाम", "निवेश (करोड़ ₹)", "रोज़गार", "ज़िला", "हस्ताक्षर की तिथि"],
            [1, "Magnet plant", "Tanaka Electric", "4,666", 1200, "लखनऊ", "12-01-2024"],
            [2, "Cold chain", "Kisan Foods", "45", 80, "प्रयागराज", "15-01-2024"],
            [3, "Data centre", "Nimbus DC", "1,200", 300, "गौतम बुद्ध नगर", "20-01-2024"]]
    report = exchange.import_mous(session, actor=SYSTEM, source=exchange.Source.from_path(xlsx(tmp_path / "hi.xlsx",
                                                                                                 rows)))
    assert report.created == 3
    got = {m.title: (m.amount_inr_crore, m.jobs, m.district, [p.name for p in m.parties])
           for m in session.scalars(select(Mou).options(selectinload(Mou.parties)))}
    assert got == {"Magnet plant": (4666.0, 1200, "Lucknow", ["Tanaka Electric"]),
                   "Cold chain": (45.0, 80, "Prayagraj", ["Kisan Foods"]),
                   "Data centre": (1200.0, 300, "Gautam Buddh Nagar", ["Nimbus DC"])}


def test_an_unknown_hindi_district_is_named_in_the_problem(session: Session, tmp_path: Path,
                                                           hindi_districts: Path) -> None:
    rows = [["परियोजना", "ज़िला"], ["Kiosk", "अज्ञातपुर"]]
    with pytest.raises(ImportRejected) as exc:
        exchange.import_mous(session, actor=SYSTEM, source=exchange.Source.from_path(xlsx(tmp_path / "x.xlsx", rows)))
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "ज़िला")]
    assert "अज्ञातपुर" in exc.value.problems[0].problem
    assert session.scalar(select(Mou.id)) is None
