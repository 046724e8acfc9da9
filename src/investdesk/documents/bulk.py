"""Engagements and the mission of an accepted document, written together: one INSERT for the meetings and
one per link table.

A document brings several meetings at once; writing them through the one-at-a-time service costs a round
trip per lookup and per link. Here each is validated with the same schema (``EngagementCreate``), the rows
are inserted in bulk, and each gets the same audit row the service writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.engagements.schemas import EngagementCreate
from investdesk.missions.schemas import MissionCreate
from investdesk.models import Engagement, Mission, Organization
from investdesk.models.engagement import engagement_counterparts, engagement_participants, engagement_sectors
from investdesk.models.mission import mission_delegates
from investdesk.permissions import Actor, Perm, require


@dataclass
class NewEngagement:
    record: Engagement
    data: EngagementCreate
    counterpart_names: list[str]


@dataclass
class EngagementBatch:
    """Engagements queued by the review of one document, written by :meth:`flush`."""

    session: Session
    actor: Actor
    queued: list[NewEngagement] = field(default_factory=list)

    def add(self, data: EngagementCreate, counterpart_names: list[str]) -> Engagement:
        require(self.actor, Perm.write_records)
        record = Engagement(**data.model_dump(exclude={"counterpart_ids", "participant_ids", "sectors"}))
        self.session.add(record)
        self.queued.append(NewEngagement(record, data, counterpart_names))
        return record

    def flush(self) -> list[Engagement]:
        """Insert the queued engagements and their links; returns them with their ids."""
        if not self.queued:
            return []
        self.session.flush()
        links: dict[Table, list[dict[str, object]]] = {
            engagement_counterparts: [], engagement_participants: [], engagement_sectors: []}
        for new in self.queued:
            eid = new.record.id
            links[engagement_counterparts] += [{"engagement_id": eid, "organization_id": o}
                                               for o in dict.fromkeys(new.data.counterpart_ids)]
            links[engagement_participants] += [{"engagement_id": eid, "person_id": p}
                                               for p in dict.fromkeys(new.data.participant_ids)]
            links[engagement_sectors] += [{"engagement_id": eid, "sector_id": s}
                                          for s in dict.fromkeys(new.data.sectors)]
        for table, rows in links.items():
            if rows:
                self.session.execute(insert(table), rows)
        for new in self.queued:
            e = new.record
            after = audit.snapshot(e, extra={"counterpart_ids": list(dict.fromkeys(new.data.counterpart_ids)),
                                             "participant_ids": list(dict.fromkeys(new.data.participant_ids)),
                                             "sectors": sorted(set(new.data.sectors))})
            label = ", ".join(new.counterpart_names) or e.title
            audit.record(self.session, actor=self.actor, action="create", entity_type="engagement", entity_id=e.id,
                         after=after, summary=f"recorded engagement with {label}")
        done = [n.record for n in self.queued]
        self.queued = []
        return done


def create_mission(session: Session, *, actor: Actor, data: MissionCreate) -> Mission:
    """A document's mission with its delegates: the ids come from this review's own resolution, so the rows
    are written directly (one INSERT each for the mission and its delegates) with the service's audit row."""
    require(actor, Perm.write_records)
    mission = Mission(**data.model_dump(exclude={"delegate_ids"}))
    session.add(mission)
    session.flush()
    delegate_ids = list(dict.fromkeys(data.delegate_ids))
    if delegate_ids:
        session.execute(insert(mission_delegates), [{"mission_id": mission.id, "person_id": p} for p in delegate_ids])
    audit.record(session, actor=actor, action="create", entity_type="mission", entity_id=mission.id,
                 after=audit.snapshot(mission, extra={"delegate_ids": delegate_ids}),
                 summary=f"created mission {mission.name}")
    return mission


def counterpart_country(session: Session, org_ids: list[int]) -> str | None:
    for oid in org_ids:
        org = session.get(Organization, oid)
        if org is not None and org.country:
            return org.country
    return None
