"""Matchmaking on a constructed data set whose right order is known; every score is the sum of its signals."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.errors import NotFound, ValidationFailed
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate
from investdesk.matchmaking import ranking, service
from investdesk.matchmaking.schemas import MatchResult, TripIn
from investdesk.models import Document, Evidence
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.offerings import service as offerings
from investdesk.offerings.schemas import OfferingCreate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from tests.factories import SYSTEM, create_engagement, create_organization, create_person


def build(session: Session) -> dict[str, int]:
    today = dt.date.today()
    a = create_organization(session, name="Alpha Pharma", acronym=None, country="JP", city="Osaka",
                            sectors=["pharmaceuticals", "medical_devices"])
    b = create_organization(session, name="Beta Medical", acronym=None, country="JP", city="Tokyo",
                            sectors=["pharmaceuticals"])
    c = create_organization(session, name="Gamma Devices", acronym=None, country="JP", city="Tokyo",
                            sectors=["pharmaceuticals", "medical_devices"])
    d = create_organization(session, name="Delta Textiles", acronym=None, country="JP", city="Tokyo",
                            sectors=["textiles"])
    e = create_organization(session, name="Epsilon Labs", acronym=None, country="JP", city="Kyoto",
                            sectors=["pharmaceuticals"])
    f = create_organization(session, name="Zeta Looms", acronym=None, country="JP", city="Tokyo",
                            sectors=["textiles"])
    g = create_organization(session, name="Eta Pharma", acronym=None, country="IN", city="Mumbai",
                            sectors=["pharmaceuticals"])
    tanaka = create_person(session, name="Tanaka Hiroshi", organization_id=a.id)
    create_engagement(session, title="Osaka visit", counterpart_ids=[a.id], participant_ids=[tanaka.id],
                      date=today - dt.timedelta(days=30))
    create_engagement(session, title="Earlier call", counterpart_ids=[a.id], date=today - dt.timedelta(days=400))
    for _ in range(5):
        create_engagement(session, title="Textile fair", counterpart_ids=[d.id], date=today - dt.timedelta(days=10))
    create_engagement(session, title="Kyoto lab", counterpart_ids=[e.id], date=today - dt.timedelta(days=800))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="API plant", counterpart_id=a.id,
                                                                  stage="interested", sectors=["pharmaceuticals"]))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Stents", counterpart_id=b.id,
                                                                  stage="engaged", sectors=["medical_devices"]))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Old", counterpart_id=c.id, stage="dropped",
                                                                  stage_reason="no budget"))
    followups.create(session, actor=SYSTEM, data=FollowUpCreate(entity_type="organization", entity_id=f.id,
                                                                title="Send brochure",
                                                                due_date=today - dt.timedelta(days=3)))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Alpha MoU", party_ids=[a.id], district="Jhansi"))
    doc = Document(sha256="0" * 64, filename="news.txt", text="Gamma Devices plans a plant.")
    session.add(doc)
    session.flush()
    session.add(Evidence(entity_type="organization", entity_id=c.id, document_id=doc.id, sentence="Gamma ..."))
    park = offerings.create_offering(session, actor=SYSTEM, data=OfferingCreate(
        name="Pharma and Medical Device Park", kind="industrial_park", district="Lalitpur"))
    session.flush()
    return {"a": a.id, "b": b.id, "c": c.id, "d": d.id, "e": e.id, "f": f.id, "g": g.id, "park": park.id}


def names(result: MatchResult) -> list[str]:
    return [m.name for m in result.matches]


def assert_sums(result: MatchResult) -> None:
    for m in result.matches:
        assert m.score == pytest.approx(sum(s.points for s in m.signals))
        for s in m.signals:
            assert s.points == pytest.approx(s.count * s.weight) and s.weight == result.weights[s.name]


def test_offering_ranks_the_known_order(session: Session) -> None:
    ids = build(session)
    result = service.for_offering(session, actor=SYSTEM, offering_id=ids["park"])
    assert result.target.sectors == ["medical_devices", "pharmaceuticals"]
    # Alpha: 2 sectors (6) + 2 meetings (2) + recent (2) + open lead (4) + interest (3) + MoU (2) = 19
    # Beta: 1 sector (3) + open lead (4) = 7; Gamma: 2 sectors (6) + 1 document (0.5) = 6.5
    # Epsilon: 1 sector (3) + 1 old meeting (1) = 4; Eta: 1 sector (3). Delta and Zeta share no sector.
    assert names(result) == ["Alpha Pharma", "Beta Medical", "Gamma Devices", "Epsilon Labs", "Eta Pharma"]
    assert [m.score for m in result.matches] == [19, 7, 6.5, 4, 3]
    alpha = result.matches[0]
    assert [s.name for s in alpha.signals] == ["sector", "meeting", "recent_meeting", "open_lead", "interest", "mou"]
    assert_sums(result)


def test_scoping_hides_mous_outside_the_nodal_officers_districts(session: Session) -> None:
    ids = build(session)
    agra = Actor(id=None, label="nodal@test", role=Role.nodal_officer, districts=("Agra",))
    result = service.for_offering(session, actor=agra, offering_id=ids["park"])
    assert result.matches[0].name == "Alpha Pharma" and result.matches[0].score == 17
    assert "mou" not in {s.name for s in result.matches[0].signals}


def test_policy_and_organization_matches(session: Session) -> None:
    ids = build(session)
    fdi = service.for_policy(session, actor=SYSTEM, policy_id="fdi_fci_2023")
    assert "Eta Pharma" not in names(fdi)  # an Indian company brings no foreign capital
    assert all(any(s.name == "foreign" for s in m.signals) for m in fdi.matches)
    assert names(fdi)[0] == "Alpha Pharma"
    assert_sums(fdi)
    pharma = service.for_policy(session, actor=SYSTEM, policy_id="pharma_2023")
    assert names(pharma)[:3] == ["Alpha Pharma", "Beta Medical", "Gamma Devices"]
    assert "Delta Textiles" not in names(pharma)
    org = service.for_organization(session, actor=SYSTEM, organization_id=ids["a"])
    # pharma_2023: 2 sectors (6) + open lead (4) = 10; FDI: foreign (2) + open lead (4) = 6; the park: 2 sectors (6)
    assert [(m.kind, m.id, m.score) for m in org.matches][:3] == [
        ("policy", "pharma_2023", 10), ("policy", "fdi_fci_2023", 6), ("offering", str(ids["park"]), 6)]
    assert "semiconductor_2024" not in [m.id for m in org.matches]
    assert_sums(org)
    with pytest.raises(NotFound):
        service.for_offering(session, actor=SYSTEM, offering_id=999999)


def test_trip_shortlist_puts_open_business_first(session: Session) -> None:
    ids = build(session)
    result = service.for_trip(session, actor=SYSTEM, trip=TripIn(country="jp", cities=["Tokyo"],
                                                                   sectors=["pharmaceuticals"]))
    # Follow up first: Alpha (one trip sector: 16), Beta (3 + 4 + Tokyo 2 = 9), Zeta (overdue 5 + Tokyo 2 = 7);
    # then new fits: Gamma (3 + 0.5 + 2 = 5.5), Epsilon (3 + 1 = 4). Delta: Tokyo and meetings, but textiles only.
    assert names(result) == ["Alpha Pharma", "Beta Medical", "Zeta Looms", "Gamma Devices", "Epsilon Labs"]
    assert [m.tier for m in result.matches] == ["follow_up"] * 3 + ["new"] * 2
    assert [m.score for m in result.matches] == [16, 9, 7, 5.5, 4]
    alpha = result.matches[0]
    assert alpha.contact_person == "Tanaka Hiroshi" and alpha.last_contact == dt.date.today() - dt.timedelta(days=30)
    assert_sums(result)
    assert ids["g"] not in [int(m.id) for m in result.matches]


def test_weights_come_from_settings(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = build(session)
    monkeypatch.setenv("INVESTDESK_MATCH_WEIGHTS", json.dumps({"sector": 10}))
    get_settings.cache_clear()
    try:
        result = service.for_offering(session, actor=SYSTEM, offering_id=ids["park"])
        assert result.weights["sector"] == 10 and result.matches[0].signals[0].points == 20
        assert names(result)[:2] == ["Alpha Pharma", "Gamma Devices"]
        assert_sums(result)
        monkeypatch.setenv("INVESTDESK_MATCH_WEIGHTS", json.dumps({"charm": 1}))
        get_settings.cache_clear()
        with pytest.raises(ValidationFailed, match="INVESTDESK_MATCH_WEIGHTS: unknown signal 'charm'"):
            service.for_offering(session, actor=SYSTEM, offering_id=ids["park"])
        for bad, shown in (("-2", "-2.0"), ("NaN", "nan"), ("1e9", "1000000000.0")):
            monkeypatch.setenv("INVESTDESK_MATCH_WEIGHTS", f'{{"meeting": {bad}}}')
            get_settings.cache_clear()
            with pytest.raises(ValidationFailed, match=f"INVESTDESK_MATCH_WEIGHTS: meeting is {shown}; a weight is "
                                                       "a number from 0 to 1000"):
                service.for_offering(session, actor=SYSTEM, offering_id=ids["park"])
    finally:
        get_settings.cache_clear()


def _everything(session: Session, park: int) -> list[MatchResult]:
    return [service.for_offering(session, actor=SYSTEM, offering_id=park),
            service.for_policy(session, actor=SYSTEM, policy_id="fdi_fci_2023"),
            service.for_policy(session, actor=SYSTEM, policy_id="pharma_2023"),
            service.for_trip(session, actor=SYSTEM, trip=TripIn(country="JP", cities=["Tokyo"],
                                                                sectors=["pharmaceuticals"]))]


def test_counts_restricted_to_few_candidates_rank_as_counts_read_whole(session: Session,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ids = build(session)
    monkeypatch.setattr(ranking, "FEW_CANDIDATES", 1.0)  # always restricted to the candidates
    restricted = _everything(session, ids["park"])
    monkeypatch.setattr(ranking, "FEW_CANDIDATES", 0.0)  # never: each index read whole
    whole = _everything(session, ids["park"])
    assert [r.model_dump() for r in restricted] == [r.model_dump() for r in whole]
    assert all(r.matches for r in whole)


def test_ranking_costs_the_same_statements_however_many_organizations(session: Session, engine: Engine) -> None:
    ids = build(session)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def cost() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            _everything(session, ids["park"])
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    before = cost()
    today = dt.date.today()
    for i in range(30):
        org = create_organization(session, name=f"Kappa {i}", acronym=None, country="JP", city="Tokyo",
                                  sectors=["pharmaceuticals"])
        create_engagement(session, title=f"Call {i}", counterpart_ids=[org.id], date=today - dt.timedelta(days=i))
    session.flush()
    assert cost() == before
    assert len(service.for_offering(session, actor=SYSTEM, offering_id=ids["park"]).matches) == 35
