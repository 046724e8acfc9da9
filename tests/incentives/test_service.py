"""The calculator on a real database: leads and MoUs, scoping, policies edited in the app and their audit rows."""

from __future__ import annotations

import datetime as dt
from unittest.mock import ANY

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import NotFound, PermissionDenied, ValidationFailed
from investdesk.incentives import calculator, service
from investdesk.incentives.loader import PolicyFileError
from investdesk.incentives.schemas import CalculateIn, PolicyEdit
from investdesk.models import AuditEvent
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.papers import service as papers
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from tests.factories import SYSTEM, create_organization

MANAGER = Actor(id=None, label="manager@test", role=Role.manager)


def by_id(out: object, policy_id: str) -> object:
    return next(p for p in out.eligible + out.not_eligible if p.policy_id == policy_id)  # type: ignore[attr-defined]


def test_hand_filled_project_in_bundelkhand(session: Session) -> None:
    out = service.calculate(session, actor=SYSTEM, data=CalculateIn(
        sector="Semiconductors", district="jhansi", land=50, building=400, plant_machinery=600, jobs=2000,
        foreign_share=0.26, as_of=dt.date(2026, 12, 1)))
    assert out.disclaimer == "Indicative, subject to the Letter of Comfort"
    assert out.policy_data_date == dt.date(2026, 12, 1) and out.region == "bundelkhand"
    fdi = by_id(out, "fdi_fci_2023")
    cap = next(f for f in fdi.figures if f.incentive_id == "capital_subsidy")  # type: ignore[attr-defined]
    assert cap.amount == 350.0 and len(cap.schedule) == 7
    assert {p.policy_id for p in out.eligible} == {"fdi_fci_2023", "semiconductor_2024", "iiepp_2022"}
    assert any("Semiconductor Policy 2024 cannot be combined" in n for n in out.notes)
    assert by_id(out, "gcc_2024").reasons  # type: ignore[attr-defined]


def test_bad_input_names_the_field(session: Session) -> None:
    with pytest.raises(ValidationError, match="land"):
        CalculateIn(sector="pharmaceuticals", district="Agra", land=-5)
    with pytest.raises(ValidationError, match="building"):
        CalculateIn(sector="pharmaceuticals", district="Agra", building=5e9)
    with pytest.raises(ValidationFailed, match="district: 'Atlantis' is not a district"):
        service.calculate(session, actor=SYSTEM, data=CalculateIn(sector="pharmaceuticals", district="Atlantis"))
    with pytest.raises(ValidationFailed, match="sector: unknown sector 'basket weaving'"):
        service.calculate(session, actor=SYSTEM, data=CalculateIn(sector="basket weaving", district="Agra"))
    with pytest.raises(ValidationFailed, match="sector: give the project's sector"):
        service.calculate(session, actor=SYSTEM, data=CalculateIn(district="Agra"))
    out = service.calculate(session, actor=SYSTEM, data=CalculateIn(sector="tourism", district="Agra", building=80))
    assert out.notes[0] == ("No sector policy names Tourism and hospitality; only the policies open to every sector "
                            "can apply.")


def test_lead_and_mou_fill_the_form_and_mous_are_scoped(session: Session) -> None:
    org = create_organization(session, name="Tanaka Electric", country="JP")
    opp = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Fab", counterpart_id=org.id, sectors=["semiconductors"], district="Lucknow", jobs=800,
        amount={"value": 1000, "unit": "crore"}))
    out = service.calculate(session, actor=SYSTEM, data=CalculateIn(opportunity_id=opp.id, foreign_share=0.5))
    assert out.project.sector == "semiconductors" and out.project.plant_machinery == 1000.0
    assert out.assumptions and "not split" in out.assumptions[0]
    assert next(f for f in by_id(out, "fdi_fci_2023").figures  # type: ignore[attr-defined]
                if f.incentive_id == "capital_subsidy").amount == 300.0
    mou = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Pharma unit", party_ids=[org.id], sector="pharmaceuticals", district="Jhansi",
        amount={"value": 250, "unit": "crore"}))
    session.flush()
    nodal_jhansi = Actor(id=None, label="nodal@test", role=Role.nodal_officer, districts=("Jhansi",))
    out = service.calculate(session, actor=nodal_jhansi, data=CalculateIn(mou_id=mou.id))
    assert by_id(out, "pharma_2023").status == "eligible"  # type: ignore[attr-defined]
    nodal_agra = Actor(id=None, label="nodal@test", role=Role.nodal_officer, districts=("Agra",))
    with pytest.raises(NotFound):
        service.calculate(session, actor=nodal_agra, data=CalculateIn(mou_id=mou.id))


def test_a_policy_edited_in_the_app_changes_the_next_calculation_and_is_audited(session: Session) -> None:
    form = CalculateIn(sector="pharmaceuticals", district="Agra", building=100, plant_machinery=100)
    before = by_id(service.calculate(session, actor=SYSTEM, data=form), "pharma_2023")
    assert before.total == 30.0  # type: ignore[attr-defined]
    text = service.get_policy(session, actor=SYSTEM, policy_id="pharma_2023").text
    edited = text.replace("    rate: 15\n    instalments: 5\n", "    rate: 20\n    instalments: 5\n")
    assert edited != text
    today = dt.date.today()
    row = service.edit_policy(session, actor=MANAGER, policy_id="pharma_2023",
                              data=PolicyEdit(document=edited, effective_from=today, note="G.O. read"))
    session.flush()
    after = by_id(service.calculate(session, actor=SYSTEM, data=form), "pharma_2023")
    assert after.total == 30.0 and "version" in after.version  # type: ignore[attr-defined]
    cap = next(f for f in after.figures if f.incentive_id == "capital_subsidy")  # type: ignore[attr-defined]
    assert [r.amount for r in cap.readings] == [40.0, 30.0]
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "incentive_policy")).one()
    assert event.entity_id == row.id and event.actor == "manager@test" and "pharma_2023" in event.summary
    assert "rate: 20" in event.after["document"] and "rate: 15" in event.before["document"]
    # Future-dated versions wait for their day; the one read today stays.
    service.edit_policy(session, actor=MANAGER, policy_id="pharma_2023", data=PolicyEdit(
        document=edited.replace("rate: 20\n    instalments: 5", "rate: 5\n    instalments: 5"),
        effective_from=today + dt.timedelta(days=30)))
    session.flush()
    again = by_id(service.calculate(session, actor=SYSTEM, data=form), "pharma_2023")
    assert [r.amount for r in next(f for f in again.figures  # type: ignore[attr-defined]
                                   if f.incentive_id == "capital_subsidy").readings] == [40.0, 30.0]


def test_edits_are_checked_and_limited_to_managers(session: Session) -> None:
    text = service.get_policy(session, actor=SYSTEM, policy_id="gcc_2024").text
    officer = Actor(id=None, label="officer@test", role=Role.officer)
    with pytest.raises(PermissionDenied):
        service.edit_policy(session, actor=officer, policy_id="gcc_2024",
                            data=PolicyEdit(document=text, effective_from=dt.date.today()))
    with pytest.raises(PolicyFileError, match=r"gcc_2024 \(edited\) line \d+: validity.valid_from"):
        service.edit_policy(session, actor=MANAGER, policy_id="gcc_2024", data=PolicyEdit(
            document=text.replace("valid_from: 2025-05-06", "valid_from: someday"), effective_from=dt.date.today()))
    with pytest.raises(ValidationFailed, match="id: the policy's id must stay 'gcc_2024'"):
        service.edit_policy(session, actor=MANAGER, policy_id="gcc_2024", data=PolicyEdit(
            document=text.replace("id: gcc_2024", "id: gcc_2030"), effective_from=dt.date.today()))
    with pytest.raises(NotFound):
        service.edit_policy(session, actor=MANAGER, policy_id="nope", data=PolicyEdit(
            document=text, effective_from=dt.date.today()))
    assert session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "incentive_policy")).all() == []


def test_the_meeting_brief_carries_the_estimate_of_the_largest_open_lead(session: Session) -> None:
    org = create_organization(session, name="Tanaka Electric", country="JP")
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Small", counterpart_id=org.id, sectors=["semiconductors"], district="Lucknow",
        amount={"value": 10, "unit": "crore"}))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Fab", counterpart_id=org.id, sectors=["semiconductors"], district="Jhansi", jobs=800,
        amount={"value": 1000, "unit": "crore"}))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="No district", counterpart_id=org.id, sectors=["semiconductors"],
        amount={"value": 5000, "unit": "crore"}))
    brief = papers.organization_brief(session, actor=SYSTEM, organization_id=org.id)
    section = next(s for s in brief.sections if s.title == "Incentive estimate")
    assert "Jhansi" in section.note and "Indicative, subject to the Letter of Comfort" in section.note
    expected = service.calculate(session, actor=SYSTEM, data=CalculateIn(sector="semiconductors", district="Jhansi",
                                                                          plant_machinery=1000, jobs=800))
    assert section.rows == [[r.short_name, calculator.crore(r.total), ANY] for r in expected.eligible][:4]
    largest = expected.eligible[0]
    assert largest.total > 0 and section.rows[0][2].startswith(next(f.label for f in largest.figures if f.counted))
    bare = create_organization(session, name="No Leads Ltd", country="JP")
    assert not [s for s in papers.organization_brief(session, actor=SYSTEM, organization_id=bare.id).sections
                if s.title == "Incentive estimate"]
