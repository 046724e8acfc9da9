"""Pages for follow-ups, blocker resolution and reports, over the real app and database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.models import Blocker, FollowUp, Mou
from investdesk.models.enums import Role
from tests.factories import SYSTEM
from tests.web.test_pages_pipeline import seed

Pages = Callable[..., TestClient]


def results(html: str) -> str:
    """The list itself, without the page's notices."""
    return html.split('id="results"')[1]


def test_follow_up_added_on_a_record_page_listed_and_done(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    me = pages(Role.officer, user_id=ids["officer"])
    late = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    added = me.post("/followups", data={"entity_type": "organization", "entity_id": str(ids["tanaka"]),
                                        "title": "Send the rare earth policy note", "due_date": late,
                                        "next": f"/organizations/{ids['tanaka']}#followups"})
    assert added.status_code == 303 and added.headers["location"] == f"/organizations/{ids['tanaka']}#followups"
    profile = me.get(f"/organizations/{ids['tanaka']}").text
    assert "Send the rare earth policy note" in profile and "Overdue" in profile
    listing = me.get("/followups").text  # mine, open
    assert "Send the rare earth policy note" in listing and f"/organizations/{ids['tanaka']}" in listing
    # The record and the owner by name, as people call them, not "Organization 6" and an e-mail.
    assert "Tanaka Electric Co. Ltd.</a>" in listing and "Ravi Kumar" in listing
    assert f"Organization {ids['tanaka']}" not in listing and "ravi@invest.up.gov.in" not in listing
    assert "Ravi Kumar" in profile  # the record page's follow-ups box names the owner too
    assert "Send the rare earth policy note" in me.get("/followups", params={"state": "overdue"}).text
    exported = list(csv.DictReader(io.StringIO(me.get("/followups", params={"format": "csv"})
                                               .content.decode("utf-8-sig"))))
    assert [r["title"] for r in exported] == ["Send the rare earth policy note"]
    with Session(engine) as s:
        followup_id = s.scalar(select(FollowUp.id))
    done = me.post(f"/followups/{followup_id}/done", data={"next": "/followups"})
    assert done.status_code == 303 and done.headers["location"] == "/followups"
    assert "Send the rare earth policy note" not in results(me.get("/followups").text)
    assert "Send the rare earth policy note" in results(me.get("/followups", params={"state": "done"}).text)


def test_bad_follow_up_form_says_why_and_writes_nothing(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    missing = client.post("/followups", data={"entity_type": "mou", "entity_id": str(ids["mou"]), "title": ""})
    assert missing.status_code == 303 and missing.headers["location"] == f"/mous/{ids['mou']}"
    assert "Follow-up not added" in client.get(missing.headers["location"]).text
    away = client.post("/followups", data={"entity_type": "mou", "entity_id": "1", "title": "X",
                                           "next": "https://elsewhere.example/"})
    assert away.headers["location"] == "/mous/1"  # never redirected off the site
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 1  # only the valid one
    assert pages(Role.viewer).post("/followups", data={"entity_type": "mou", "entity_id": "1",
                                                       "title": "Y"}).status_code == 403


def test_blocker_resolved_from_the_mou_page(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    with Session(engine) as s, s.begin():
        blocker = blockers.add(s, actor=SYSTEM, mou_id=ids["mou"],
                               data=BlockerCreate(category="power", department="UPPCL",
                                                  raised_on=dt.date.today() - dt.timedelta(days=12)))
        blocker_id = blocker.id
    viewer_page = pages(Role.viewer).get(f"/mous/{ids['mou']}").text
    assert "12 d open" in viewer_page and "/resolve" not in viewer_page  # a viewer sees it, with no form
    client = pages()
    page = client.get(f"/mous/{ids['mou']}").text
    assert "12 d open" in page and f"/blockers/{blocker_id}/resolve" in page
    done = client.post(f"/mous/{ids['mou']}/blockers/{blocker_id}/resolve", data={"note": "Feeder line energised"})
    assert done.status_code == 303
    with Session(engine) as s:
        b = s.get(Blocker, blocker_id)
        assert b is not None and b.resolved_on == dt.date.today() and "Feeder line" in b.notes
    again = client.post(f"/mous/{ids['mou']}/blockers/{blocker_id}/resolve", data={})
    assert again.status_code == 303 and "already resolved" in client.get(again.headers["location"]).text
    jump = client.get(f"/blockers/{blocker_id}")
    assert jump.status_code == 303 and jump.headers["location"] == f"/mous/{ids['mou']}#blockers"



def test_reports_page_shows_each_summary(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages(Role.viewer)
    html = client.get("/reports").text
    assert "Pipeline funnel" in html and "Pipeline by sector" in html and "Critical minerals and rare earths" in html
    assert "Pending MoUs by district" in html and "Jhansi" in html
    assert "MoU conversion by year" in html and "2025" in html
    by_country = client.get("/reports", params={"by": "country", "blockers": "category"}).text
    assert "Pipeline by country" in by_country and "Japan" in by_country
    assert "Open blockers by category" in by_country
    odd = client.get("/reports", params={"by": "<script>", "blockers": "x"})
    assert odd.status_code == 200 and "Pipeline by sector" in odd.text and "<script>" not in odd.text.split(
        "Reports</h1>")[1]


def test_lead_and_mou_edited_from_their_pages(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    form = client.get(f"/opportunities/{ids['magnet']}/edit").text
    assert 'value="Rare earth magnet plant"' in form and 'name="stage"' not in form and 'name="version"' in form
    saved = client.post(f"/opportunities/{ids['magnet']}/edit", data={
        "title": "Rare earth magnet plant", "version": "1", "next_action": "Site visit in Jhansi",
        "next_action_due": "2030-02-01", "amount_value": "1,500", "amount_currency": "INR", "amount_unit": "crore",
        "district": "Jhansi", "sectors": "critical_minerals", "kind": "investment"})
    assert saved.status_code == 303, saved.text[-500:]
    page = client.get(f"/opportunities/{ids['magnet']}").text
    assert "Site visit in Jhansi" in page and "₹1,500 crore" in page
    stale = client.post(f"/opportunities/{ids['magnet']}/edit", data={"title": "Old copy", "version": "1"})
    assert stale.status_code == 422 and "changed by someone else" in stale.text
    empty = client.post(f"/opportunities/{ids['magnet']}/edit", data={"title": "", "version": "2"})
    assert empty.status_code == 422 and 'id="title-error"' in empty.text

    mou_form = client.get(f"/mous/{ids['mou']}/edit").text
    assert 'value="Magnet plant MoU"' in mou_form and 'value="90.0"' in mou_form
    with Session(engine) as s:
        before = s.get(Mou, ids["mou"])
        assert before is not None
        nodal, version = before.nodal_officer_id, before.version
    saved = client.post(f"/mous/{ids['mou']}/edit", data={
        "title": "Magnet plant MoU", "version": str(version), "district": "Jhansi", "amount_value": "95",
        "amount_currency": "INR", "amount_unit": "crore", "nodal_officer_id": str(nodal or ""),
        "party_ids": str(ids["tanaka"]), "notes": "Value revised after the DPR"})
    assert saved.status_code == 303, saved.text[-500:]
    with Session(engine) as s:
        after = s.get(Mou, ids["mou"])
        assert after is not None and after.amount_inr_crore == 95 and not after.assignment_overridden
    trail = pages(Role.viewer).get(f"/mous/{ids['mou']}").text
    assert "/edit" not in trail
    changes = trail.split('id="changes"')[1]
    assert "Update</strong> by admin@test" in changes
    assert 'Amount: <span class="muted">₹90 crore</span> → ₹95 crore' in changes
    assert "Amount inr crore" not in changes  # the field by its label, the figure as the desk writes it
    assert "Value revised after the DPR" in changes  # the notes, before → after
    lead = client.get(f"/opportunities/{ids['magnet']}").text.split('id="changes"')[1]
    assert "Next action" in lead and "Site visit in Jhansi" in lead


def _charts(html: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(unescape(m)) for m in re.findall(r'data-chart="([^"]*)"', html)]


def test_reports_page_draws_four_charts_within_a_date_range(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages(Role.viewer)
    html = client.get("/reports").text
    assert "/vendor/plotly.min.js" in html and "The same through the API" not in html and "/docs" not in html
    funnel, sectors, pending, conversion = _charts(html)
    assert funnel["kind"] == "funnel" and funnel["labels"][0] == "Identified" and funnel["values"][0] >= 2
    assert "Critical minerals and rare earths" in sectors["labels"]
    assert (pending["kind"], pending["labels"], pending["values"]) == ("hbar", ["Jhansi"], [1])
    assert conversion["labels"] == ["2025"] and conversion["series"][0]["values"] == [2]
    # MoUs by signing date: only the June one is in the second half of 2025.
    later = client.get("/reports", params={"from": "2025-03-01", "to": "2025-12-31"}).text
    assert _charts(later)[3]["series"][0]["values"] == [1]
    assert 'value="2025-03-01"' in later and "Leads created and MoUs signed from 1 Mar 2025 to 31 Dec 2025" in later
    # Leads by creation day: none was created in 2030, so the funnel is empty.
    future = client.get("/reports", params={"from": "2030-01-01"}).text
    assert _charts(future)[0]["values"] == [0, 0, 0, 0, 0] and "No leads yet." in future
    # A malformed day is named and ignored; a reversed range is put the right way round.
    bad = client.get("/reports", params={"from": "2025-13-01"})
    assert bad.status_code == 200 and "“2025-13-01” is not a date (YYYY-MM-DD); from is ignored." in bad.text
    swapped = client.get("/reports", params={"from": "2025-12-31", "to": "2025-03-01"}).text
    assert "the dates are swapped" in swapped and _charts(swapped)[3]["series"][0]["values"] == [1]
