"""The monthly pipeline report: the month's new leads, stage changes and drops with reasons, and the ten largest
open leads, checked against the records and read back from the PDF."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from investdesk.papers import files, reviews
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, StageMove
from investdesk.reports import service as reports
from tests.factories import SYSTEM, create_organization
from tests.papers.data import pdf_text


def test_month_movement_drops_and_largest_leads(session: Session) -> None:
    org = create_organization(session, name="Minato Materials")
    ids = []
    for i in range(14):
        lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
            title=f"Lead {i:02d}", counterpart_id=org.id, stage="identified", sectors=["semiconductors"],
            country="JP", amount=AmountIn(value=100 + 10 * i, currency="INR", unit="crore")))
        ids.append(lead.id)
    pipeline.move(session, actor=SYSTEM, opportunity_id=ids[0], data=StageMove(to_stage="engaged", force=True))
    pipeline.move(session, actor=SYSTEM, opportunity_id=ids[13], data=StageMove(to_stage="dropped", force=True,
                                                                                reason="Chose another state"))
    month = dt.date.today().strftime("%Y-%m")
    report = reviews.pipeline_monthly(session, actor=SYSTEM, month=month)
    assert report.new_leads_total == 14
    assert report.moved_to == {"engaged": 1, "dropped": 1}
    assert [(d.title, d.reason) for d in report.drops] == [("Lead 13", "Chose another state")]
    assert [lead.title for lead in report.largest] == [f"Lead {i:02d}" for i in range(12, 2, -1)]
    assert report.funnel == reports.funnel(session, actor=SYSTEM)
    text = pdf_text(files.pipeline_monthly(session, actor=SYSTEM, month=month).content)
    assert "Lead 13: Chose another state" in text and "14 new leads" in text
    for lead in report.largest:
        assert lead.title in text
    quiet = reviews.pipeline_monthly(session, actor=SYSTEM, month="2001-02")
    assert quiet.new_leads_total == 0 and "No leads were recorded or moved in February 2001." in quiet.missing


def test_month_bounds() -> None:
    assert reviews.month_bounds("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert reviews.month_bounds("2025-12") == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
    assert reviews.month_bounds(None, today=dt.date(2026, 1, 15)) == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
