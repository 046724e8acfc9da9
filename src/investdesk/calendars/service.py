"""iCalendar feeds: a user's own (behind a secret address) and a mission's itinerary. Nothing commits here."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.calendars.schemas import CalendarEvent
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.errors import NotFound
from investdesk.formatting import record_url
from investdesk.i18n import _
from investdesk.missions import service as missions
from investdesk.models import Engagement, FollowUp, Mission, NotificationPreference, Opportunity, Person, User
from investdesk.models.mission import mission_delegates
from investdesk.models.pipeline import OpportunityStage
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline.service import OPEN

DOMAIN = "investdesk"
ONE_DAY = dt.timedelta(days=1)


def _day(uid: str, summary: str, on: dt.date, url: str, **extra: str) -> CalendarEvent:
    return CalendarEvent(uid=f"{uid}@{DOMAIN}", summary=summary, start=on, end=on + ONE_DAY, url=url, **extra)


def _mission_event(m: Mission) -> CalendarEvent | None:
    if m.start_date is None:
        return None
    end = (m.end_date or m.start_date) + ONE_DAY
    return CalendarEvent(uid=f"mission-{m.id}@{DOMAIN}", summary=f"Mission: {m.name}", start=m.start_date, end=end,
                         url=f"/missions/{m.id}", location=", ".join(m.cities or []))


def user_events(session: Session, user: User) -> list[CalendarEvent]:
    """The user's open follow-ups, the next actions of their open leads and the missions they are on
    (as a delegate whose e-mail is theirs)."""
    out = [_day(f"followup-{f.id}", f"Follow-up: {f.title}", f.due_date, record_url(f.entity_type, f.entity_id))
           for f in session.scalars(select(FollowUp).where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None),
                                                           FollowUp.due_date.is_not(None)))
           if f.due_date is not None]
    for o in session.scalars(select(Opportunity).where(
            Opportunity.owner_id == user.id, Opportunity.next_action_due.is_not(None),
            Opportunity.stage.in_([*OPEN, OpportunityStage.mou_signed]))):
        assert o.next_action_due is not None
        out.append(_day(f"lead-{o.id}-next", f"{o.next_action or 'Next action'}: {o.title}", o.next_action_due,
                        f"/opportunities/{o.id}"))
    on_missions = select(mission_delegates.c.mission_id).join(Person, Person.id == mission_delegates.c.person_id) \
        .where(Person.email.is_not(None), Person.email.ilike(user.email))
    for m in session.scalars(select(Mission).where(Mission.id.in_(on_missions))):
        event = _mission_event(m)
        if event is not None:
            out.append(event)
    return out


def mission_events(session: Session, *, actor: Actor, mission_id: int) -> tuple[Mission, list[CalendarEvent]]:
    """A mission's days and its meetings, by date."""
    require(actor, Perm.read)
    mission = missions.get(session, actor=actor, mission_id=mission_id)
    out = [e for e in [_mission_event(mission)] if e is not None]
    for g in session.scalars(select(Engagement).where(Engagement.mission_id == mission_id,
                                                      Engagement.date.is_not(None)).order_by(Engagement.date)):
        assert g.date is not None
        out.append(_day(f"engagement-{g.id}", g.title or "Meeting", g.date, f"/engagements/{g.id}",
                        location=", ".join(p for p in (g.venue, g.city) if p), description=g.summary or ""))
    return mission, out


def to_ics(name: str, events: list[CalendarEvent], *, now: dt.datetime | None = None) -> bytes:
    """An iCalendar file (RFC 5545) of all-day events."""
    base = get_settings().base_url.rstrip("/")
    stamp = now or utcnow()
    cal = Calendar()
    cal.add("prodid", "-//InvestDesk//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end)
        ev.add("summary", e.summary)
        ev.add("url", base + e.url)
        if e.location:
            ev.add("location", e.location)
        if e.description:
            ev.add("description", e.description)
        cal.add_component(ev)
    return cal.to_ical()


def feed(session: Session, *, token: str) -> bytes:
    """The calendar behind a secret address; a revoked or unknown one is not found."""
    pref = session.scalar(select(NotificationPreference).where(NotificationPreference.calendar_token == token)) \
        if token else None
    user = session.get(User, pref.user_id) if pref is not None else None
    if user is None or not user.is_active:
        raise NotFound(_("no calendar at this address (revoked or mistyped)"), field="secret")
    return to_ics(f"InvestDesk: {user.name or user.email}", user_events(session, user))


def mission_ics(session: Session, *, actor: Actor, mission_id: int) -> tuple[str, bytes]:
    mission, events = mission_events(session, actor=actor, mission_id=mission_id)
    return f"mission-{mission.id}.ics", to_ics(f"Mission: {mission.name}", events)
