"""Merging two organizations moves every link, keeps the names, is audited and can be undone."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.models import (
    AuditEvent,
    Engagement,
    Evidence,
    Mission,
    Mou,
    Opportunity,
    Organization,
    OrganizationAlias,
    Person,
)
from investdesk.models.engagement import engagement_counterparts
from investdesk.models.enums import Role
from investdesk.models.mou import mou_parties
from investdesk.models.organization import organization_sectors
from investdesk.organizations import service as organizations
from investdesk.permissions import Actor
from investdesk.resolution.index import OrgIndex
from investdesk.resolution.merge import merge, undo_merge
from tests.factories import SYSTEM, create_engagement, create_organization, create_person


def _links(session: Session) -> dict[str, Any]:
    """Every organization link in the database, as plain sorted data."""
    session.expire_all()
    return {
        "counterparts": sorted(session.execute(select(engagement_counterparts)).all()),
        "parties": sorted(session.execute(select(mou_parties)).all()),
        "sectors": sorted(session.execute(select(organization_sectors)).all()),
        "people": sorted(session.execute(select(Person.id, Person.organization_id)).all()),
        "leads": sorted(session.execute(select(Opportunity.id, Opportunity.counterpart_id)).all()),
        "missions": sorted(session.execute(select(Mission.id, Mission.home_agency_id)).all()),
        "aliases": sorted(session.execute(select(OrganizationAlias.organization_id, OrganizationAlias.alias)).all()),
        "evidence": sorted(session.execute(select(Evidence.id, Evidence.entity_id)).all()),
        "orgs": sorted(session.execute(select(Organization.id, Organization.name, Organization.acronym,
                                              Organization.country, Organization.city,
                                              Organization.merged_into_id)).all()),
    }


@pytest.fixture
def pair(session: Session) -> tuple[Organization, Organization]:
    keep = create_organization(session, name="Kansai Pharmaceutical Industries Association", acronym=None,
                               country="JP", sectors=["pharmaceuticals"], aliases=["Kansai Pharma"])
    other = create_organization(session, name="KPIA Osaka", acronym="KPIA", country=None, city="Osaka",
                                sectors=["medical_devices", "pharmaceuticals"], aliases=["Kansai Pharma", "KPIA-O"])
    both = create_engagement(session, counterpart_ids=[keep.id, other.id])
    create_engagement(session, counterpart_ids=[other.id])
    create_person(session, organization_id=other.id)
    session.add(Opportunity(title="R&D centre", counterpart_id=other.id, sectors=[], history=[]))
    session.add(Mou(title="KPIA MoU", parties=[other]))
    session.add(Mou(title="Joint MoU", parties=[keep, other]))
    session.add(Mission(name="UP delegation", home_agency_id=other.id))
    session.add(Evidence(entity_type="organization", entity_id=other.id, document_id=_document(session),
                         sentence="KPIA met the delegation."))
    session.add(Evidence(entity_type="engagement", entity_id=both.id, document_id=_document(session), sentence="x"))
    session.flush()
    return keep, other


def _document(session: Session) -> int:
    from investdesk.models import Document

    doc = session.scalar(select(Document))
    if doc is None:
        doc = Document(sha256="0" * 64, filename="a.txt", text="KPIA met the delegation.")
        session.add(doc)
        session.flush()
    return doc.id


def test_merge_moves_every_link_and_undo_restores_it(session: Session, pair: tuple[Organization, Organization]) -> None:
    keep, other = pair
    before = _links(session)
    event = merge(session, actor=SYSTEM, keep_id=keep.id, other_id=other.id)
    after = _links(session)

    assert all(org != other.id for _eng, org in after["counterparts"])
    assert len(after["counterparts"]) == len(before["counterparts"]) - 1  # the engagement with both keeps one row
    assert {org for _m, org in after["parties"]} == {keep.id}
    assert {org for _p, org in after["people"]} == {keep.id}
    assert {org for _o, org in after["leads"]} == {keep.id}
    assert {org for _m, org in after["missions"]} == {keep.id}
    assert ("medical_devices" in {s for org, s in after["sectors"] if org == keep.id})
    keep_aliases = {a for org, a in after["aliases"] if org == keep.id}
    assert {"KPIA Osaka", "KPIA-O", "Kansai Pharma"} <= keep_aliases
    assert [a for _org, a in after["aliases"]].count("Kansai Pharma") == 1  # the same alias is kept once
    merged = session.get(Organization, keep.id)
    assert merged is not None and merged.acronym == "KPIA" and merged.city == "Osaka" and merged.country == "JP"
    assert session.get(Organization, other.id).merged_into_id == keep.id  # type: ignore[union-attr]
    assert session.scalar(select(Evidence.entity_id).where(Evidence.entity_type == "organization")) == keep.id
    # The merged record no longer shows, and its names now lead to the kept one.
    rows, total = organizations.list_organizations(session, actor=SYSTEM)
    assert [o.id for o in rows] == [keep.id] and total == 1
    assert OrgIndex.load(session).match("KPIA Osaka") == keep.id
    stored = session.get(AuditEvent, event.id)
    assert stored is not None and stored.action == "merge" and stored.before and stored.after

    undo = undo_merge(session, actor=SYSTEM, audit_event_id=event.id)
    assert undo.action == "unmerge"
    assert _links(session) == before
    with pytest.raises(InvalidTransition, match="already undone"):
        undo_merge(session, actor=SYSTEM, audit_event_id=event.id)


def test_merge_refusals(session: Session, pair: tuple[Organization, Organization]) -> None:
    keep, other = pair
    with pytest.raises(InvalidTransition, match="into itself"):
        merge(session, actor=SYSTEM, keep_id=keep.id, other_id=keep.id)
    with pytest.raises(NotFound, match="other_id: organization 999"):
        merge(session, actor=SYSTEM, keep_id=keep.id, other_id=999)
    viewer = Actor(id=None, label="v", role=Role.viewer)
    with pytest.raises(PermissionDenied):
        merge(session, actor=viewer, keep_id=keep.id, other_id=other.id)
    event = merge(session, actor=SYSTEM, keep_id=keep.id, other_id=other.id)
    with pytest.raises(InvalidTransition, match="already merged"):
        merge(session, actor=SYSTEM, keep_id=other.id, other_id=keep.id)
    officer = Actor(id=None, label="o", role=Role.officer)
    with pytest.raises(PermissionDenied):
        undo_merge(session, actor=officer, audit_event_id=event.id)
    not_merge = session.scalar(select(AuditEvent.id).where(AuditEvent.action == "create"))
    assert not_merge is not None
    with pytest.raises(InvalidTransition, match="not an organization merge"):
        undo_merge(session, actor=SYSTEM, audit_event_id=not_merge)


def test_merge_survives_a_commit_and_undo_works_in_a_later_transaction(
        session: Session, pair: tuple[Organization, Organization]) -> None:
    keep, other = pair
    before = _links(session)
    event_id = merge(session, actor=SYSTEM, keep_id=keep.id, other_id=other.id).id
    session.commit()
    assert session.scalar(select(Engagement.id).where(Engagement.counterparts.any(Organization.id == other.id))) is None
    undo_merge(session, actor=SYSTEM, audit_event_id=event_id)
    session.commit()
    assert _links(session) == before
