"""Offerings and policies the state pitches: created once by name, audited, refused to readers who may not write."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import NotFound, PermissionDenied
from investdesk.models import AuditEvent
from investdesk.models.enums import Role
from investdesk.offerings import service
from investdesk.offerings.schemas import OfferingCreate, PolicyCreate
from investdesk.permissions import Actor
from tests.factories import SYSTEM

VIEWER = Actor(id=None, label="viewer@test", role=Role.viewer)
OFFICER = Actor(id=None, label="officer@test", role=Role.officer)


def test_an_offering_is_created_once_by_its_name_whatever_its_case(session: Session) -> None:
    park = service.create_offering(session, actor=OFFICER, data=OfferingCreate(
        name="Pharma and Medical Device Park", kind="industrial_park", district="Lalitpur"))
    again = service.create_offering(session, actor=OFFICER,
                                    data=OfferingCreate(name="  pharma and medical device PARK"))
    assert again.id == park.id and again.district == "Lalitpur"  # the second call does not overwrite the first
    assert service.find_offering(session, "PHARMA AND MEDICAL DEVICE PARK") is park
    assert [o.name for o in service.list_offerings(session, actor=VIEWER)] == ["Pharma and Medical Device Park"]
    created = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "offering")).all()
    assert [(e.action, e.entity_id) for e in created] == [("create", park.id)]


def test_a_policy_is_listed_by_name_and_audited(session: Session) -> None:
    gcc = service.create_policy(session, actor=SYSTEM, data=PolicyCreate(name="GCC Policy", year=2024))
    fdi = service.create_policy(session, actor=SYSTEM, data=PolicyCreate(name="FDI & FCI Policy", year=2023))
    assert [p.id for p in service.list_policies(session, actor=VIEWER)] == [fdi.id, gcc.id]
    assert service.find_policy(session, "gcc policy") is gcc and service.find_policy(session, "GCC") is None


def test_a_viewer_may_read_but_not_create(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        service.create_offering(session, actor=VIEWER, data=OfferingCreate(name="Bio-Innovation Cluster"))
    with pytest.raises(PermissionDenied):
        service.create_policy(session, actor=VIEWER, data=PolicyCreate(name="Semiconductor Policy"))
    assert service.list_offerings(session, actor=VIEWER) == []


def test_bad_input_names_the_field(session: Session) -> None:
    with pytest.raises(ValidationError) as empty:
        OfferingCreate(name="")
    assert empty.value.errors()[0]["loc"] == ("name",)
    with pytest.raises(ValidationError) as year:
        PolicyCreate(name="Old policy", year=1066)
    assert year.value.errors()[0]["loc"] == ("year",)
    with pytest.raises(NotFound):  # a source document that does not exist is refused, nothing written
        service.create_offering(session, actor=OFFICER, data=OfferingCreate(name="Data centre park", document_id=999))
    assert service.find_offering(session, "Data centre park") is None
