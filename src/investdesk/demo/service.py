"""The demo data set: a fictional week of a state delegation in Japan, loaded through the services.

Loading is idempotent: records are looked up by name first, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementCreate
from investdesk.enquiries import service as enquiries
from investdesk.enquiries.schemas import EnquiryCreate
from investdesk.errors import PermissionDenied
from investdesk.extraction.normalize import normalize_org, normalize_person
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate
from investdesk.i18n import _
from investdesk.missions import service as missions
from investdesk.missions.schemas import MissionCreate
from investdesk.models import Engagement, FollowUp, Mission, Mou, Opportunity, Organization, Person, User
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, StatusUpdate
from investdesk.offerings import service as offerings
from investdesk.offerings.schemas import OfferingCreate, PolicyCreate
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationCreate
from investdesk.people import service as people
from investdesk.people.schemas import PersonCreate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from investdesk.users import service as users


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    users: list[tuple[str, str]] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def demo_data() -> dict[str, Any]:
    return json.loads(resources.files("investdesk.demo").joinpath("data.json").read_text(encoding="utf-8"))


def _organizations(session: Session, actor: Actor, data: dict[str, Any], report: DemoReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for row in data["organizations"]:
        key = row["key"]
        name_key = normalize_org(row["name"])
        existing = session.scalar(select(Organization.id).where(Organization.normalized_name == name_key))
        if existing is None:
            fields = {k: v for k, v in row.items() if k != "key"}
            existing = organizations.create(session, actor=actor, data=OrganizationCreate(**fields)).id
            report.count("organizations")
        ids[key] = existing
    return ids


def _people(session: Session, actor: Actor, data: dict[str, Any], orgs: dict[str, int],
            report: DemoReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for row in data["people"]:
        existing = session.scalar(select(Person.id).where(Person.normalized_name == normalize_person(row["name"])))
        if existing is None:
            fields = {k: v for k, v in row.items() if k not in {"key", "organization"}}
            fields["organization_id"] = orgs.get(row.get("organization", ""))
            existing = people.create(session, actor=actor, data=PersonCreate(**fields)).id
            report.count("people")
        ids[row["key"]] = existing
    return ids


def _mission(session: Session, actor: Actor, data: dict[str, Any], orgs: dict[str, int], persons: dict[str, int],
             report: DemoReport) -> int:
    m = data["mission"]
    existing = session.scalar(select(Mission.id).where(Mission.name == m["name"]))
    if existing is not None:
        return existing
    mission = missions.create(session, actor=actor, data=MissionCreate(
        name=m["name"], home_jurisdiction=m["home_jurisdiction"], home_agency_id=orgs[m["home_agency"]],
        countries=m["countries"], cities=m["cities"], start_date=dt.date.fromisoformat(m["start_date"]),
        end_date=dt.date.fromisoformat(m["end_date"]), delegate_ids=[persons[k] for k in m["delegates"]]))
    report.count("missions")
    return mission.id


def _engagements(session: Session, actor: Actor, data: dict[str, Any], mission_id: int, orgs: dict[str, int],
                 persons: dict[str, int], report: DemoReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for row in data["engagements"]:
        existing = session.scalar(select(Engagement.id).where(Engagement.mission_id == mission_id,
                                                              Engagement.title == row["title"]))
        if existing is None:
            existing = engagements.create(session, actor=actor, data=EngagementCreate(
                title=row["title"], mission_id=mission_id, date=dt.date.fromisoformat(row["date"]), city=row["city"],
                country="JP", venue=row.get("venue"), counterpart_ids=[orgs[k] for k in row["counterparts"]],
                participant_ids=[persons[k] for k in row["participants"]], sectors=row["sectors"],
                topics=row["topics"], summary=row["summary"])).id
            report.count("engagements")
        ids[row["title"]] = existing
    return ids


def _offerings_and_policies(session: Session, actor: Actor, data: dict[str, Any], report: DemoReport) -> None:
    for row in data["offerings"]:
        if offerings.find_offering(session, row["name"]) is None:
            offerings.create_offering(session, actor=actor, data=OfferingCreate(**row))
            report.count("offerings")
    for row in data["policies"]:
        if offerings.find_policy(session, row["name"]) is None:
            offerings.create_policy(session, actor=actor, data=PolicyCreate(**row))
            report.count("policies")


def _leads_and_mous(session: Session, actor: Actor, data: dict[str, Any], orgs: dict[str, int],
                    meetings: dict[str, int], report: DemoReport) -> None:
    today = utcnow().date()
    lead_ids: dict[str, int] = {}
    for row in data["opportunities"]:
        existing = session.scalar(select(Opportunity.id).where(Opportunity.title == row["title"]))
        if existing is None:
            due = row.get("due_in_days")
            existing = pipeline.create(session, actor=actor, data=OpportunityCreate(
                title=row["title"], counterpart_id=orgs[row["counterpart"]], kind=row["kind"], stage=row["stage"],
                stage_reason=row.get("stage_reason"), sectors=row["sectors"],
                amount=AmountIn(**row["amount"]) if row.get("amount") else None, jobs=row.get("jobs"),
                country="JP", district=row.get("district"), next_action=row.get("next_action"),
                next_action_due=today + dt.timedelta(days=due) if due is not None else None,
                source_engagement_id=meetings.get(row.get("engagement", "")))).id
            report.count("opportunities")
        lead_ids[row["title"]] = existing
    for row in data["mous"]:
        if session.scalar(select(Mou.id).where(Mou.title == row["title"])) is not None:
            continue
        signed = dt.date.fromisoformat(row["signed_date"])
        mou = mous.create(session, actor=actor, data=MouCreate(
            title=row["title"], party_ids=[orgs[k] for k in row["parties"]],
            opportunity_id=lead_ids.get(row.get("opportunity", "")), signed_date=signed,
            amount=AmountIn(**row["amount"]), jobs=row.get("jobs"), sector=row.get("sector"),
            district=row.get("district"), department=row.get("department")))
        mou.status_updated_at = dt.datetime.combine(signed, dt.time(10), tzinfo=dt.UTC)
        session.flush()  # the version the status updates below are made on
        for status, day, note in row["history"]:
            at = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=dt.UTC)
            mou = mous.update_status(session, actor=actor, mou_id=mou.id, at=at,
                                     data=StatusUpdate(status=status, note=note, version=mou.version))
        for b in row.get("blockers", []):
            blockers.add(session, actor=actor, mou_id=mou.id, data=BlockerCreate(
                category=b["category"], department=b["department"], description=b["description"],
                raised_on=today - dt.timedelta(days=b["raised_days_ago"])))
        report.count("mous")
    blockers.escalate(session, actor=actor, today=today)


def _enquiries_and_follow_ups(session: Session, actor: Actor, data: dict[str, Any], orgs: dict[str, int],
                              report: DemoReport) -> None:
    now = utcnow()
    owner_ids = dict(session.execute(select(User.email, User.id)).all())
    for row in data["enquiries"]:
        if session.scalar(select(Opportunity.id).where(Opportunity.title == row["title"])) is None:
            enquiries.create(session, actor=actor, data=EnquiryCreate(
                title=row["title"], counterpart_id=orgs[row["counterpart"]], sectors=row["sectors"], country="JP",
                owner_id=owner_ids.get(row["owner"]), received_at=now - dt.timedelta(days=row["received_days_ago"])))
            report.count("enquiries")
    targets = {
        "organization": lambda key: orgs[key],
        "opportunity": lambda title: session.scalar(select(Opportunity.id).where(Opportunity.title == title)),
        "mou": lambda title: session.scalar(select(Mou.id).where(Mou.title == title)),
    }
    for row in data["follow_ups"]:
        kind, key = row["on"]
        entity_id = targets[kind](key)
        if session.scalar(select(FollowUp.id).where(FollowUp.entity_type == kind, FollowUp.entity_id == entity_id,
                                                    FollowUp.title == row["title"])) is None:
            followups.create(session, actor=actor, data=FollowUpCreate(
                entity_type=kind, entity_id=entity_id, title=row["title"], owner_id=owner_ids.get(row["owner"]),
                due_date=now.date() + dt.timedelta(days=row["due_in_days"])))
            report.count("follow_ups")


def load(session: Session, *, actor: Actor) -> DemoReport:
    """Load (or complete) the demo data set; returns what was created. Refused in production: the demo
    accounts' passwords are published."""
    if get_settings().is_production:
        raise PermissionDenied(_("investdesk demo is refused with INVESTDESK_ENVIRONMENT=production: its accounts' "
                               "passwords are published in the README; load it into a development database only"))
    data = demo_data()
    report = DemoReport()
    report.users = users.ensure_demo_users(session)
    if report.users:
        report.created["users"] = len(report.users)
    orgs = _organizations(session, actor, data, report)
    persons = _people(session, actor, data, orgs, report)
    mission_id = _mission(session, actor, data, orgs, persons, report)
    meetings = _engagements(session, actor, data, mission_id, orgs, persons, report)
    _offerings_and_policies(session, actor, data, report)
    _leads_and_mous(session, actor, data, orgs, meetings, report)
    _enquiries_and_follow_ups(session, actor, data, orgs, report)
    session.flush()
    return report
