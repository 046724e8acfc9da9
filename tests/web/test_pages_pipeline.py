"""Pages of the pipeline: home, opportunities (table, board, moves), MoUs (register, status, pending)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.db import utcnow
from investdesk.models import Mou, MouStatusChange, Opportunity, OpportunityStageChange, User
from investdesk.models.enums import MouStatus, OpportunityStage, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from tests import factories

Pages = Callable[..., TestClient]


def seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        officer = User(email="ravi@invest.up.gov.in", name="Ravi Kumar", role=Role.officer)
        nodal = User(email="nodal.jhansi@up.gov.in", name="Sunita Rao", role=Role.nodal_officer, districts=["Jhansi"])
        s.add_all([officer, nodal])
        s.flush()
        tanaka = factories.create_organization(s, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company",
                                               sectors=["critical_minerals"])
        factories.create_engagement(s, title="Magnet plant visit", counterpart_ids=[tanaka.id], country="JP")
        factories.create_engagement(s, title="Seoul round table", country="KR")
        magnet = pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(
            title="Rare earth magnet plant", counterpart_id=tanaka.id, stage="interested",
            sectors=["critical_minerals"],
            amount=AmountIn(value=1200, currency="INR", unit="crore"), jobs=800, district="Jhansi", country="JP",
            owner_id=officer.id, next_action="Share land options", next_action_due=dt.date(2030, 1, 15)))
        pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(
            title="Battery cell line", stage="engaged", sectors=["electric_mobility"],
            amount=AmountIn(value=300, currency="USD", unit="million"), district="Lucknow", owner_id=officer.id))
        mou = mous.create(s, actor=factories.SYSTEM, data=MouCreate(
            # Registered without naming the lead, so the lead stays "interested" for the tests that move it.
            title="Magnet plant MoU", party_ids=[tanaka.id], signed_date=dt.date(2025, 1, 10),
            amount=AmountIn(value=90, currency="INR", unit="crore"), jobs=400, district="Jhansi",
            department="Industrial Development"))
        fresh = mous.create(s, actor=factories.SYSTEM, data=MouCreate(title="Warehouse MoU", district="Agra",
                                                                      signed_date=dt.date(2025, 6, 1)))
        s.flush()
        mou.status_updated_at = utcnow() - dt.timedelta(days=90)  # pending: no update for three months
        s.commit()
        return {"officer": officer.id, "nodal": nodal.id, "tanaka": tanaka.id, "magnet": magnet.id, "mou": mou.id,
                "fresh": fresh.id}


def test_home_shows_figures_charts_pending_and_my_follow_ups(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    html = pages(Role.officer, user_id=ids["officer"]).get("/").text
    charts = [json.loads(m.replace("&#34;", '"').replace("&amp;", "&"))
              for m in re.findall(r'data-chart="([^"]*)"', html)]
    funnel, sectors, countries = charts
    assert funnel["labels"][:3] == ["Identified", "Engaged", "Interested"]
    assert funnel["values"][:3] == [2, 2, 1]  # reached: both leads got past identified, one to interested
    assert "Critical minerals and rare earths" in sectors["labels"]
    assert sorted(countries["labels"]) == ["Japan", "South Korea"]
    assert "Magnet plant MoU" in html and "Warehouse MoU" not in html.split("Pending MoUs")[2]
    assert "Share land options" in html  # the officer's next action
    assert '<script src="/vendor/plotly.min.js"' in html and "cdn" not in html.lower()


def test_opportunity_table_filters_sorts_and_exports(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    table = client.get("/opportunities").text
    assert "Rare earth magnet plant" in table and "Ravi Kumar" in table and "₹1,200 crore" in table
    jhansi = client.get("/opportunities", params={"district": "Jhansi"}).text
    assert "Rare earth magnet plant" in jhansi and "Battery cell line" not in jhansi
    by_amount = client.get("/opportunities", params={"sort": "-amount"}).text
    assert by_amount.index("Battery cell line") < by_amount.index("Rare earth magnet plant")  # USD 300 m > 1,200 cr
    rows = list(csv.DictReader(io.StringIO(client.get("/opportunities", params={
        "counterpart_id": ids["tanaka"], "format": "csv"}).content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Rare earth magnet plant"]
    assert rows[0]["counterpart"] == "Tanaka Electric Co. Ltd." and rows[0]["amount_inr_crore"] == "1200.0"
    assert rows[0]["sectors"] == "critical_minerals" and rows[0]["stage"] == "interested"
    everything = client.get("/opportunities", params={"format": "csv", "per_page": 1}).content.decode("utf-8-sig")
    assert len(everything.strip().splitlines()) == 3  # header and both leads, whatever the page size


def test_board_shows_each_stage_with_count_and_value(pages: Pages, engine: Engine) -> None:
    seed(engine)
    html = pages().get("/opportunities/board").text
    for stage in OpportunityStage:
        assert f'data-stage="{stage.value}"' in html
    interested = html.split('data-stage="interested"')[1].split('data-stage="mou_signed"')[0]
    assert "Rare earth magnet plant" in interested and "₹1,200 crore" in interested
    assert "Next stage: MoU signed" in interested


def test_moving_a_lead_records_the_change_and_asks_a_reason_where_needed(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    url = f"/opportunities/{ids['magnet']}/move"
    no_reason = client.post(url, data={"to_stage": "on_hold", "version": "1"})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text and "needs a reason" in no_reason.text
    moved = client.post(url, data={"to_stage": "on_hold", "reason": "Awaiting board approval", "version": "1"})
    assert moved.status_code == 303 and moved.headers["location"] == f"/opportunities/{ids['magnet']}"
    detail = client.get(moved.headers["location"]).text
    assert "moved to On hold" in detail and "Awaiting board approval" in detail
    stale = client.post(url, data={"to_stage": "interested", "version": "1"})
    assert stale.status_code == 422 and "changed by someone else" in stale.text
    board = client.post(url + "?district=Jhansi", data={"to_stage": "interested", "version": "2", "from": "board"},
                        headers={"HX-Request": "true", "HX-Target": "board"})
    assert board.status_code == 200 and board.text.lstrip().startswith('<div id="board"')
    assert "Battery cell line" not in board.text  # the board keeps its district filter
    refused = client.post(url, data={"to_stage": "dropped", "version": "3", "from": "board"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 400 and refused.text == ""  # the board stays; the reason comes as a notice
    assert "needs%20a%20reason" in refused.headers["HX-Error"]
    with Session(engine) as s:
        history = s.scalars(select(OpportunityStageChange.to_stage).where(
            OpportunityStageChange.opportunity_id == ids["magnet"]).order_by(OpportunityStageChange.id)).all()
        assert history == [OpportunityStage.interested, OpportunityStage.on_hold, OpportunityStage.interested]


def test_officer_cannot_move_someone_elses_lead(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    other = pages(Role.officer, user_id=ids["officer"] + 100)
    res = other.post(f"/opportunities/{ids['magnet']}/move", data={"to_stage": "mou_signed"})
    assert res.status_code == 403 and "only the leads they own" in res.text
    with Session(engine) as s:
        lead = s.get(Opportunity, ids["magnet"])
        assert lead is not None and lead.stage is OpportunityStage.interested
        version = lead.version
    owner = pages(Role.officer, user_id=ids["officer"])  # the same role, owning the lead: the move goes through
    moved = owner.post(f"/opportunities/{ids['magnet']}/move", data={"to_stage": "mou_signed", "version": version})
    assert moved.status_code == 303, moved.text
    with Session(engine) as s:
        assert s.get(Opportunity, ids["magnet"]).stage is OpportunityStage.mou_signed


def test_new_lead_form_validates_beside_the_fields(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages()
    bad = client.post("/opportunities/new", data={"title": "", "amount_value": "lots", "district": "Atlantis",
                                                  "jobs": "-5"})
    assert bad.status_code == 422
    assert 'id="title-error"' in bad.text and 'id="amount-error"' in bad.text and 'id="jobs-error"' in bad.text
    assert 'value="lots"' in bad.text  # what was typed stays in the form
    district = client.post("/opportunities/new", data={"title": "Drone assembly", "district": "Atlantis"})
    assert district.status_code == 422 and 'id="district-error"' in district.text and "Atlantis" in district.text
    ok = client.post("/opportunities/new", data={"title": "Drone assembly", "district": "Allahabad",
                                                 "amount_value": "1,500", "amount_unit": "crore",
                                                 "sectors": "aerospace_defence"})
    assert ok.status_code == 303
    with Session(engine) as s:
        opp = s.scalar(select(Opportunity).where(Opportunity.title == "Drone assembly"))
        assert opp is not None and opp.district == "Prayagraj" and opp.amount_inr_crore == 1500


def test_mou_pages_register_update_status_and_list_pending(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    detail = client.get(f"/mous/{ids['mou']}").text
    assert "Magnet plant MoU" in detail and "Pending update" in detail and "Tanaka Electric" in detail
    pending = client.get("/mous/pending").text
    group = pending.split("By district and nodal officer")[1].split("</table>")[0]
    assert "Jhansi" in group and "Sunita Rao" in group and "Agra" not in group
    version = re.search(r'name="version" value="(\d+)"', detail).group(1)  # type: ignore[union-attr]
    bad = client.post(f"/mous/{ids['mou']}/status", data={"status": "teleported", "version": version})
    assert bad.status_code == 422 and 'id="status-error"' in bad.text
    stale = client.post(f"/mous/{ids['mou']}/status", data={"status": "approvals", "version": str(int(version) - 1)})
    assert stale.status_code == 422 and "changed by someone else" in stale.text
    ok = client.post(f"/mous/{ids['mou']}/status", data={"status": "land_allotted", "note": "Plot 14, Jhansi node",
                                                        "version": version})
    assert ok.status_code == 303
    after = client.get(ok.headers["location"]).text
    assert "Status updated to land allotted." in after and "Plot 14, Jhansi node" in after
    assert "Pending update" not in after
    assert "Magnet plant MoU" not in client.get("/mous/pending").text.split("By district")[1]
    with Session(engine) as s:
        assert s.get(Mou, ids["mou"]).status is MouStatus.land_allotted
        assert s.scalar(select(func.count()).select_from(MouStatusChange)
                        .where(MouStatusChange.mou_id == ids["mou"])) == 2
    blocker = client.post(f"/mous/{ids['mou']}/blockers", data={"category": "power"})
    assert blocker.status_code == 303 and "Power" in client.get(f"/mous/{ids['mou']}").text
    bad_blocker = client.post(f"/mous/{ids['mou']}/blockers", data={"category": "", "raised_on": "yesterday"})
    assert bad_blocker.status_code == 422 and 'id="category-error"' in bad_blocker.text


def test_mou_register_form(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    prefilled = client.get("/mous/new", params={"opportunity_id": ids["magnet"]}).text
    assert 'value="Rare earth magnet plant"' in prefilled
    bad = client.post("/mous/new", data={"title": "X", "party_ids": ["999"], "signed_date": "31/02/2025"})
    assert bad.status_code == 422 and ('id="signed_date-error"' in bad.text or 'id="party_ids-error"' in bad.text)
    ok = client.post("/mous/new", data={"title": "Cluster MoU", "party_ids": [str(ids["tanaka"])],
                                        "signed_date": "2025-03-01", "amount_value": "50", "amount_unit": "crore",
                                        "district": "Jhansi"})
    assert ok.status_code == 303
    with Session(engine) as s:
        mou = s.scalar(select(Mou).where(Mou.title == "Cluster MoU"))
        assert mou is not None and mou.nodal_officer_id == ids["nodal"]  # small MoU: the district's nodal officer


def test_nodal_officer_sees_only_the_mous_of_their_district(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    nodal = pages(Role.nodal_officer, user_id=ids["nodal"], districts=("Jhansi",))
    listing = nodal.get("/mous").text
    assert "Magnet plant MoU" in listing and "Warehouse MoU" not in listing
    assert nodal.get(f"/mous/{ids['fresh']}").status_code == 404
    rows = nodal.get("/mous", params={"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "Warehouse" not in rows[1]


def test_mou_export_and_search(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages()
    rows = list(csv.DictReader(io.StringIO(client.get("/mous/pending", params={"format": "csv"})
                                           .content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Magnet plant MoU"] and rows[0]["pending"] == "True"
    assert rows[0]["parties"] == "Tanaka Electric Co. Ltd." and rows[0]["status"] == "signed"
    found = client.get("/search", params={"q": "magnet"}).text
    for kind in ("Opportunities", "MoUs", "Meetings"):
        section = found.split(f"<h2>{kind}")[1].split("</section>")[0]
        assert "agnet" in section, kind
    suggest = client.get("/search/suggest", params={"q": "magnet"}).text
    assert "Rare earth magnet plant" in suggest and "All results for" in suggest


def test_pages_offer_only_what_the_user_may_do(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    with Session(engine) as s:
        loose = pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(title="Unowned textile park"))
        asha = User(email="asha@invest.up.gov.in", name="Asha Verma", role=Role.officer)
        s.add(asha)
        s.commit()
        loose_id, asha_id = loose.id, asha.id
    viewer = pages(Role.viewer)
    board = viewer.get("/opportunities/board").text
    assert "Next stage" not in board and 'draggable="true"' not in board and "Drag a card" not in board
    assert "Upload documents" not in viewer.get("/").text
    assert "Claim" not in viewer.get(f"/opportunities/{loose_id}").text

    other = pages(Role.officer, user_id=asha_id)
    board = other.get("/opportunities/board").text
    card = board[board.index(f'data-id="{loose_id}"') - 200:board.index(f'data-id="{loose_id}"')]
    assert 'draggable="false"' in card and "claim it first" in board
    assert 'draggable="true"' not in board  # every lead here is someone else's or unowned
    detail = other.get(f"/opportunities/{loose_id}").text
    assert ">Claim</button>" in detail and "Move lead" not in detail and "claim it first" in detail
    assert "Upload documents" in other.get("/").text
    refused = other.get(f"/opportunities/{ids['magnet']}/edit")
    assert refused.status_code == 303 and refused.headers["location"] == f"/opportunities/{ids['magnet']}"

    claimed = other.post(f"/opportunities/{loose_id}/claim", data={"version": "1"})
    assert claimed.status_code == 303, claimed.text[-3000:]
    with Session(engine) as s:
        assert s.get(Opportunity, loose_id).owner_id == asha_id
    detail = other.get(f"/opportunities/{loose_id}").text
    assert "Move lead" in detail and ">Claim</button>" not in detail
    board = other.get("/opportunities/board").text
    assert f'draggable="true" data-id="{loose_id}"' in board
    late = pages(Role.officer, user_id=ids["officer"]).post(f"/opportunities/{loose_id}/claim", data={"version": "2"})
    assert late.status_code == 303 and "already%20has%20an%20owner" in late.headers["set-cookie"]


def test_a_refused_edit_keeps_what_was_typed(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    other = pages(Role.officer, user_id=ids["officer"] + 100)
    res = other.post(f"/opportunities/{ids['magnet']}/edit",
                     data={"title": "Rare earth magnet plant", "next_action": "Call the plant manager on Monday",
                           "version": "1"})
    assert res.status_code == 403
    assert "Call the plant manager on Monday" in res.text and "only the leads they own" in res.text
    with Session(engine) as s:
        assert s.get(Opportunity, ids["magnet"]).next_action == "Share land options"


def test_mou_form_from_a_lead_carries_its_facts_and_moves_it(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    with Session(engine) as s:
        lead = pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(
            title="Cell line", counterpart_id=ids["tanaka"], stage="interested", sectors=["electric_mobility"],
            amount=AmountIn(value=300, currency="USD", unit="million"), jobs=900, district="Lucknow"))
        s.commit()
        lead_id = lead.id
    client = pages()
    form = client.get("/mous/new", params={"opportunity_id": lead_id}).text
    assert 'value="Cell line"' in form and 'value="300"' in form and 'value="USD"' in form
    assert '<option value="million" selected>' in form and 'value="900"' in form
    assert re.search(r'<option value="electric_mobility"[^>]*selected', form)
    assert re.search(r'<option value="Lucknow"[^>]*selected', form)
    assert re.search(rf'<option value="{ids["tanaka"]}"[^>]*selected', form)
    ok = client.post("/mous/new", data={"title": "Cell line MoU", "opportunity_id": str(lead_id),
                                        "party_ids": [str(ids["tanaka"])], "signed_date": "2025-03-01",
                                        "amount_value": "300", "amount_currency": "USD", "amount_unit": "million",
                                        "district": "Lucknow", "sector": "electric_mobility"})
    assert ok.status_code == 303, ok.text
    with Session(engine) as s:
        assert s.get(Opportunity, lead_id).stage is OpportunityStage.mou_signed


def test_pending_page_names_nodal_officer_and_account_manager_in_their_columns(pages: Pages, engine: Engine) -> None:
    seed(engine)
    with Session(engine) as s:
        s.add(User(email="asha.verma@invest.up.gov.in", name="Asha Verma", role=Role.manager))
        s.flush()
        big = mous.create(s, actor=factories.SYSTEM, data=MouCreate(
            title="Data centre MoU", district="Agra", signed_date=dt.date(2025, 1, 5),
            amount=AmountIn(value=5000, currency="INR", unit="crore")))
        s.flush()
        big.status_updated_at = utcnow() - dt.timedelta(days=90)
        s.commit()
    client = pages()
    pending = client.get("/mous/pending").text
    group = pending.split("By district and nodal officer")[1].split("</table>")[0]
    assert "<th>Nodal officer</th><th>Account manager</th>" in group
    agra = next(r for r in group.split("<tr>") if "Agra" in r)
    assert "Asha Verma" in agra and "Unassigned" not in agra and "@" not in agra
    listing = pending.split('id="results"')[1]
    row = next(r for r in listing.split("<tr>") if "Data centre MoU" in r)
    assert re.search(r"<td>—</td>\s*<td>Asha Verma</td>", row)
    # The total comes from the groups: a full page and the page after it both say there are two.
    for page in (1, 2, 5):
        paged = client.get("/mous/pending", params={"per_page": 1, "page": page}).text
        assert "1–1 of <strong>2</strong>" in paged or "2–2 of <strong>2</strong>" in paged, page
        assert "2 pending" in paged


def _funnel(html: str) -> list[int]:
    chart = re.findall(r'data-chart="([^"]*)"', html)[0]
    values: list[int] = json.loads(chart.replace("&#34;", '"').replace("&amp;", "&"))["values"]
    return values


def test_home_figures_follow_a_change_at_once_and_stay_within_each_scope(pages: Pages, engine: Engine) -> None:
    """The home page's figures are remembered a few seconds per scope, yet a lead recorded meanwhile counts on
    the next page, and a nodal officer never gets the figures remembered for a manager (nor the reverse)."""
    ids = seed(engine)

    def manager() -> TestClient:  # the actor is the app's: set again before each request
        return pages(Role.manager, user_id=ids["officer"])

    def nodal() -> TestClient:
        return pages(Role.nodal_officer, user_id=ids["nodal"], districts=("Agra",))

    def pending_card(client: TestClient) -> str:
        return client.get("/").text.split("<h2>Pending MoUs</h2>")[1].split("</section>")[0]

    before = _funnel(manager().get("/").text)
    with Session(engine) as s:
        pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(title="Solar glass line",
                                                                           stage="identified"))
        s.commit()
    assert _funnel(manager().get("/").text)[0] == before[0] + 1  # reached "identified": one more
    assert "Magnet plant MoU" in pending_card(manager())  # Jhansi's, pending
    assert "Magnet plant MoU" not in pending_card(nodal())  # not in Agra's scope
    assert "Magnet plant MoU" in pending_card(manager())
