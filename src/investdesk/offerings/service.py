"""What the state offers (parks, clusters, corridors...) and its named policies."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.models import Offering, Policy
from investdesk.offerings.schemas import OfferingCreate, PolicyCreate
from investdesk.permissions import Actor, Perm, require


def find_offering(session: Session, name: str) -> Offering | None:
    """An offering with this name, whatever its case."""
    return session.scalar(select(Offering).where(func.lower(Offering.name) == name.strip().lower()))


def find_policy(session: Session, name: str) -> Policy | None:
    return session.scalar(select(Policy).where(func.lower(Policy.name) == name.strip().lower()))


def create_offering(session: Session, *, actor: Actor, data: OfferingCreate) -> Offering:
    """Create an offering, or return the one already known by that name."""
    require(actor, Perm.write_records)
    existing = find_offering(session, data.name)
    if existing is not None:
        return existing
    offering = Offering(**data.model_dump())
    session.add(offering)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="offering", entity_id=offering.id,
                 after=audit.snapshot(offering), summary=f"created offering {offering.name}")
    return offering


def create_policy(session: Session, *, actor: Actor, data: PolicyCreate) -> Policy:
    """Create a policy, or return the one already known by that name."""
    require(actor, Perm.write_records)
    existing = find_policy(session, data.name)
    if existing is not None:
        return existing
    policy = Policy(**data.model_dump())
    session.add(policy)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="policy", entity_id=policy.id,
                 after=audit.snapshot(policy), summary=f"created policy {policy.name}")
    return policy


def list_offerings(session: Session, *, actor: Actor) -> list[Offering]:
    require(actor, Perm.read)
    return list(session.scalars(select(Offering).order_by(Offering.name)))


def list_policies(session: Session, *, actor: Actor) -> list[Policy]:
    require(actor, Perm.read)
    return list(session.scalars(select(Policy).order_by(Policy.name)))
