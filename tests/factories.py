"""Plain helpers that create test records through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementCreate
from investdesk.missions import service as missions
from investdesk.missions.schemas import MissionCreate
from investdesk.models import Engagement, Mission, Organization, Person, User
from investdesk.models.enums import Role
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationCreate
from investdesk.people import service as people
from investdesk.people.schemas import PersonCreate
from investdesk.permissions import Actor

SYSTEM = Actor.system("test")


def create_organization(session: Session, **overrides: Any) -> Organization:
    data = {"name": "Kansai Pharmaceutical Industries Association", "acronym": "KPIA",
            "kind": "industry_association", "country": "JP", "sectors": ["pharmaceuticals"]}
    data.update(overrides)
    return organizations.create(session, actor=SYSTEM, data=OrganizationCreate(**data))


def create_person(session: Session, **overrides: Any) -> Person:
    data: dict[str, Any] = {"name": "Hayashi Yoshikazu", "honorific": "Dr.", "titles": ["Director General"],
                            "side": "counterpart"}
    data.update(overrides)
    return people.create(session, actor=SYSTEM, data=PersonCreate(**data))


def create_mission(session: Session, **overrides: Any) -> Mission:
    data: dict[str, Any] = {"name": "Uttar Pradesh delegation to Japan", "home_jurisdiction": "Uttar Pradesh",
                            "countries": ["JP"], "cities": ["Osaka", "Tokyo"]}
    data.update(overrides)
    return missions.create(session, actor=SYSTEM, data=MissionCreate(**data))


def create_engagement(session: Session, **overrides: Any) -> Engagement:
    data: dict[str, Any] = {"title": "Meeting", "city": "Osaka", "country": "JP"}
    data.update(overrides)
    return engagements.create(session, actor=SYSTEM, data=EngagementCreate(**data))


def add_user(session: Session, email: str, role: Role = Role.officer, **fields: Any) -> User:
    """A user row as an admin would add it (no password), flushed."""
    user = User(email=email, name=fields.pop("name", email.split("@")[0].title()), role=role, **fields)
    session.add(user)
    session.flush()
    return user


def at_ist(day: dt.date, hour: int = 7, minute: int = 0) -> dt.datetime:
    """That day's local time in the agency's default zone (Asia/Kolkata), as UTC."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Asia/Kolkata")).astimezone(dt.UTC)
