"""What the state offers (parks, clusters, corridors...) and its named policies."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.models import Document, Offering, Policy
from investdesk.offerings.schemas import OfferingCreate, PolicyCreate
from investdesk.permissions import Actor, Perm, require
from investdesk.updates import load_all

Named = TypeVar("Named", Offering, Policy)


def _find(session: Session, model: type[Named], name: str) -> Named | None:
    return session.scalar(select(model).where(func.lower(model.name) == name.strip().lower()))


def find_offering(session: Session, name: str) -> Offering | None:
    """An offering with this name, whatever its case."""
    return _find(session, Offering, name)


def find_policy(session: Session, name: str) -> Policy | None:
    """A policy with this name, whatever its case."""
    return _find(session, Policy, name)


def _create_named(session: Session, actor: Actor, model: type[Named], data: OfferingCreate | PolicyCreate,
                  label: str) -> Named:
    """Create a record known by its name, or return the one already known by that name."""
    require(actor, Perm.write_records)
    existing = _find(session, model, data.name)
    if existing is not None:
        return existing
    if data.document_id is not None:
        load_all(session, Document, [data.document_id], "document_id")
    record = model(**data.model_dump())
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type=label, entity_id=record.id,
                 after=audit.snapshot(record), summary=f"created {label} {record.name}")
    return record


def create_offering(session: Session, *, actor: Actor, data: OfferingCreate) -> Offering:
    """Create an offering, or return the one already known by that name."""
    return _create_named(session, actor, Offering, data, "offering")


def create_policy(session: Session, *, actor: Actor, data: PolicyCreate) -> Policy:
    """Create a policy, or return the one already known by that name."""
    return _create_named(session, actor, Policy, data, "policy")


def list_offerings(session: Session, *, actor: Actor) -> list[Offering]:
    require(actor, Perm.read)
    return list(session.scalars(select(Offering).order_by(Offering.name)))


def list_policies(session: Session, *, actor: Actor) -> list[Policy]:
    require(actor, Perm.read)
    return list(session.scalars(select(Policy).order_by(Policy.name)))
