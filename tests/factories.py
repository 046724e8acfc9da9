"""Plain helpers that create test records through the services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from investdesk.models import Organization
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationCreate
from investdesk.permissions import Actor

SYSTEM = Actor.system("test")


def create_organization(session: Session, **overrides: Any) -> Organization:
    data = {"name": "Kansai Pharmaceutical Industries Association", "acronym": "KPIA",
            "kind": "industry_association", "country": "JP", "sectors": ["pharmaceuticals"]}
    data.update(overrides)
    return organizations.create(session, actor=SYSTEM, data=OrganizationCreate(**data))
