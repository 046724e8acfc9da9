"""Meeting briefs and mission reports: the records of an organization, a person or a mission, gathered with the
caller's scope (MoUs outside a nodal officer's districts never appear) and the sentences they were read from.
Nothing is written here.

Other areas may add a section to every organization brief (an incentive estimate, say) with
:func:`register_brief_section`; a section that fails to build is left out, never the brief.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementFilter
from investdesk.errors import InvestDeskError
from investdesk.formatting import date, label
from investdesk.i18n import N_, _
from investdesk.missions import service as missions
from investdesk.models import (
    Engagement,
    FollowUp,
    Mou,
    Offering,
    Opportunity,
    Organization,
    Person,
    Policy,
    Sector,
    User,
)
from investdesk.models.enums import OpportunityStage, Side
from investdesk.mous import service as mous
from investdesk.organizations import service as organizations
from investdesk.papers.schemas import (
    Brief,
    CityStop,
    DayRow,
    FollowUpRow,
    MatchRow,
    MeetingRow,
    MissionReport,
    MouRow,
    OrgProfile,
    PaperMeta,
    PaperSection,
    PersonRow,
)
from investdesk.papers.sources import SourceList
from investdesk.people import service as people
from investdesk.permissions import Actor, Perm, require
from investdesk.reports.review import lead_rows
from investdesk.reports.schemas import LeadRow

# A brief is read in the car: the latest meetings, the largest leads and MoUs; the rest are
# counted and left to InvestDesk (the mission report lists every meeting).
BRIEF_MEETINGS = 6
BRIEF_ROWS = 6
BRIEF_PEOPLE = 10  # with the meetings, leads and MoUs above, a brief stays within two pages
BRIEF_OUTCOME = 280  # characters of a meeting's summary in a brief (a mission report prints it whole)
SectionBuilder = Callable[[Session, Actor, Organization], PaperSection | None]
_BRIEF_SECTIONS: list[SectionBuilder] = []
OPEN_LEADS = (OpportunityStage.identified, OpportunityStage.engaged, OpportunityStage.interested,
              OpportunityStage.on_hold)


def register_brief_section(builder: SectionBuilder) -> SectionBuilder:
    """Add a section to every organization brief (usable as a decorator); it returns None to add nothing."""
    _BRIEF_SECTIONS.append(builder)
    return builder


def meta(actor: Actor, title: str, subtitle: str = "", built_from: Iterable[str] = ()) -> PaperMeta:
    return PaperMeta(title=title, subtitle=subtitle, agency=get_settings().agency_name, prepared_by=actor.label,
                     generated_at=utcnow(), built_from=[b for b in built_from if b])


_COUNTS = {
    "meeting": (N_("%(num)s meeting"), N_("%(num)s meetings")),
    "open lead": (N_("%(num)s open lead"), N_("%(num)s open leads")),
    "lead": (N_("%(num)s lead"), N_("%(num)s leads")),
    "MoU": (N_("%(num)s MoU"), N_("%(num)s MoUs")),
    "person": (N_("%(num)s person"), N_("%(num)s persons")),
    "follow-up": (N_("%(num)s follow-up"), N_("%(num)s follow-ups")),
    "source sentence": (N_("%(num)s source sentence"), N_("%(num)s source sentences")),
}


def _plural(n: int, word: str) -> str:
    """"3 meetings", in the reader's language."""
    one, many = _COUNTS[word]
    return _(one if n == 1 else many, num=n)


def person_row(p: Person, org_name: str | None = None) -> PersonRow:
    return PersonRow(id=p.id, name=" ".join(x for x in (p.honorific, p.name) if x), titles=list(p.titles or []),
                     organization=org_name, side=p.side.value, email=p.email)


def _with_titles(p: Person) -> str:
    return f"{p.name} ({', '.join(p.titles)})" if p.titles else p.name


def org_profile(org: Organization) -> OrgProfile:
    return OrgProfile(id=org.id, name=org.name, acronym=org.acronym, kind=org.kind.value.replace("_", " "),
                      country=org.country, city=org.city, website=org.website, sectors=[s.name for s in org.sectors],
                      aliases=[a.alias for a in org.aliases])


def _meetings(session: Session, flt: EngagementFilter, sources: SourceList,
              limit: int = BRIEF_MEETINGS) -> tuple[list[Engagement], int]:
    stmt = engagements.filtered(flt)
    rows = list(session.scalars(stmt.limit(limit)))
    total = len(rows) if len(rows) < limit else session.scalar(
        select(func.count()).select_from(stmt.order_by(None).with_only_columns(Engagement.id).subquery())) or 0
    for e in rows:
        about = (_("Meeting “%(title)s” of %(day)s", title=e.title or _("untitled"), day=date(e.date)) if e.date
                 else _("Meeting “%(title)s”", title=e.title or _("untitled")))
        sources.sentence("engagement", e.id, about, e.evidence, e.document_id)
        sources.want("engagement", e.id, about)
    return rows, total


def _clip(text: str, limit: int | None) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis; whole when it fits."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def meeting_row(e: Engagement, numbers: dict[tuple[str, int], list[int]], *,
                outcome_chars: int | None = None) -> MeetingRow:
    ours = [p for p in e.participants if p.side is Side.home]
    return MeetingRow(id=e.id, date=e.date, city=e.city, country=e.country, title=e.title or _("(untitled meeting)"),
                      counterparts=[o.name for o in e.counterparts], our_side=[_with_titles(p) for p in ours],
                      their_side=[_with_titles(p) for p in e.participants if p.side is not Side.home],
                      topics=list(e.topics or []), outcome=_clip(e.summary or "", outcome_chars),
                      sources=numbers.get(("engagement", e.id), []))


def _mou_rows(session: Session, actor: Actor, where: ColumnElement[bool], limit: int = 200) -> tuple[list[Mou], int]:
    """The MoUs in the actor's scope, open ones and the largest first (at most ``limit``), and how many."""
    stmt = mous.scoped(select(Mou).where(where), actor)
    total = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Mou.id).subquery())) or 0
    closed = Mou.status.in_(mous.CLOSED)
    rows = list(session.scalars(stmt.options(selectinload(Mou.blockers))
                                .order_by(closed, Mou.amount_inr_crore.desc().nulls_last(), Mou.id).limit(limit)))
    return rows, total


def mou_row(m: Mou, expected: bool = False) -> MouRow:
    blockers = [_("%(category)s%(department)s: %(description)s — open since %(day)s, %(level)s",
                  category=label(b.category), department=f" ({b.department})" if b.department else "",
                  description=b.description or _("no description"), day=date(b.raised_on),
                  level=label(b.escalation_level))
                for b in m.blockers if b.resolved_on is None]
    return MouRow(id=m.id, title=m.title, status=label(m.status), signed_date=m.signed_date,
                  value_inr_crore=m.amount_inr_crore, jobs=m.jobs, district=m.district, blockers=blockers,
                  expected=expected)


def _terms(sector: Sector) -> list[str]:
    words = [sector.name, *sector.covers.split(",")]
    return [re.sub(r"s\b", "", w.strip().lower()) for w in words if len(w.strip()) > 3]


def matches(session: Session, sectors: list[Sector]) -> list[MatchRow]:
    """Policies and offerings whose name or description names one of the sectors; policies that name no sector
    at all apply to every sector and are listed too."""
    all_sectors = list(session.scalars(select(Sector)))
    wanted = {s.id for s in sectors}
    out: list[MatchRow] = []
    named: list[tuple[str, Offering | Policy]] = [("policy", p) for p in session.scalars(select(Policy).limit(200))]
    named += [("offering", o) for o in session.scalars(select(Offering).limit(200))]
    for kind, item in named:
        text = re.sub(r"s\b", "", f"{item.name} {item.description}".lower())
        hits = [s for s in all_sectors if any(t in text for t in _terms(s))]
        mine = [s.name for s in hits if s.id in wanted]
        if mine or (kind == "policy" and not hits and wanted):
            detail = item.description or (f"{item.kind.value.replace('_', ' ')}, {item.district}"
                                          if isinstance(item, Offering) and item.district else "")
            out.append(MatchRow(kind=kind, name=item.name, detail=detail, sectors=mine or [_("all sectors")]))
    return out


def _extra_sections(session: Session, actor: Actor, org: Organization) -> list[PaperSection]:
    out = []
    for builder in _BRIEF_SECTIONS:
        try:
            section = builder(session, actor, org)
        except InvestDeskError as exc:  # a section that cannot be built says so; the brief stands
            section = PaperSection(title=getattr(builder, "title", builder.__name__), note=exc.message)
        if section is not None:
            out.append(section)
    return out


def _leads_of(session: Session, org_id: int) -> tuple[list[LeadRow], int]:
    where = (Opportunity.counterpart_id == org_id, Opportunity.stage.in_(OPEN_LEADS))
    total = session.scalar(select(func.count()).select_from(Opportunity).where(*where)) or 0
    stmt = (select(Opportunity).where(*where)
            .order_by(Opportunity.amount_inr_crore.desc().nulls_last(), Opportunity.id).limit(BRIEF_ROWS))
    return lead_rows(session, stmt), total


def organization_brief(session: Session, *, actor: Actor, organization_id: int) -> Brief:
    """Who the organization is, our meetings with it, its open leads and MoUs, what we can offer its sectors,
    the people we know there, and the sentences all this was read from."""
    require(actor, Perm.read)
    org = organizations.get(session, actor=actor, organization_id=organization_id)
    sources = SourceList()
    sources.want("organization", org.id, f"Organization {org.name}")
    engs, total = _meetings(session, EngagementFilter(organization_id=org.id), sources)
    staff = list(session.scalars(select(Person).where(Person.organization_id == org.id)
                                 .order_by(Person.name, Person.id).limit(BRIEF_PEOPLE)))
    staff_total = len(staff) if len(staff) < BRIEF_PEOPLE else session.scalar(
        select(func.count()).select_from(Person).where(Person.organization_id == org.id)) or 0
    for p in staff:
        sources.want("person", p.id, f"Person {p.name}")
    leads, leads_total = _leads_of(session, org.id)
    signed, mous_total = _mou_rows(session, actor, Mou.parties.any(Organization.id == org.id), BRIEF_ROWS)
    numbers = sources.resolve(session)
    brief = Brief(meta=meta(actor, _('Meeting brief: %(name)s', name=org.name), org_profile(org).kind, [
        _('organization %(id)s', id=org.id), _plural(total, "meeting"), _plural(leads_total, "open lead"),
        _plural(mous_total, "MoU"), _plural(staff_total, "person"), _plural(len(sources.items), "source sentence")]),
        subject="organization", organization=org_profile(org),
        meetings=[meeting_row(e, numbers, outcome_chars=BRIEF_OUTCOME) for e in engs],
        meetings_total=total, leads=leads, leads_total=leads_total, mous=[mou_row(m) for m in signed],
        mous_total=mous_total,
        matches=matches(session, list(org.sectors)), people=[person_row(p, org.name) for p in staff],
        people_total=staff_total, sections=_extra_sections(session, actor, org), sources=sources.items)
    brief.missing = _missing(brief, org.name)
    return brief


def person_brief(session: Session, *, actor: Actor, person_id: int) -> Brief:
    """A person's meetings with us, their organization's profile, leads and MoUs, and their colleagues."""
    require(actor, Perm.read)
    person = people.get(session, actor=actor, person_id=person_id)
    org = (organizations.get(session, actor=actor, organization_id=person.organization_id)
           if person.organization_id is not None else None)
    sources = SourceList()
    sources.want("person", person.id, f"Person {person.name}")
    engs, total = _meetings(session, EngagementFilter(person_id=person.id), sources)
    colleagues: list[Person] = []
    leads: list[LeadRow] = []
    signed: list[Mou] = []
    leads_total = mous_total = colleagues_total = 0
    if org is not None:
        sources.want("organization", org.id, f"Organization {org.name}")
        same_org = (Person.organization_id == org.id) & (Person.id != person.id)
        colleagues = list(session.scalars(select(Person).where(same_org).order_by(Person.name, Person.id)
                                          .limit(BRIEF_PEOPLE)))
        colleagues_total = len(colleagues) if len(colleagues) < BRIEF_PEOPLE else session.scalar(
            select(func.count()).select_from(Person).where(same_org)) or 0
        leads, leads_total = _leads_of(session, org.id)
        signed, mous_total = _mou_rows(session, actor, Mou.parties.any(Organization.id == org.id), BRIEF_ROWS)
    numbers = sources.resolve(session)
    brief = Brief(meta=meta(actor, _('Meeting brief: %(name)s', name=person.name), ", ".join(person.titles or []), [
        _('person %(id)s', id=person.id), _('organization %(id)s', id=org.id) if org else "", _plural(total, "meeting"),
        _plural(leads_total, "open lead"), _plural(mous_total, "MoU"),
        _plural(len(sources.items), "source sentence")]),
        subject="person", person=person_row(person, org.name if org else None),
        organization=org_profile(org) if org else None,
        meetings=[meeting_row(e, numbers, outcome_chars=BRIEF_OUTCOME) for e in engs],
        meetings_total=total, leads=leads, leads_total=leads_total, mous=[mou_row(m) for m in signed],
        mous_total=mous_total,
        matches=matches(session, list(org.sectors)) if org else [],
        people=[person_row(p, org.name if org else None) for p in colleagues], people_total=colleagues_total,
        sources=sources.items)
    brief.missing = _missing(brief, person.name)
    if org is None:
        brief.missing.insert(0, _('No organization is recorded for %(name)s.', name=person.name))
    return brief


def _missing(brief: Brief, name: str) -> list[str]:
    out = []
    if not brief.meetings:
        out.append(_('No meetings with %(name)s are recorded: this would be the first.', name=name))
    if not brief.leads:
        out.append(_("No open leads."))
    if not brief.mous:
        out.append(_("No MoUs you may see."))
    if not brief.sources:
        out.append(_("No source sentences: these records were entered by hand."))
    return out


def _itinerary(rows: list[MeetingRow]) -> list[DayRow]:
    days: OrderedDict[dt.date | None, OrderedDict[str, list[MeetingRow]]] = OrderedDict()
    for m in sorted(rows, key=lambda m: (m.date is None, m.date or dt.date.min, m.id)):
        days.setdefault(m.date, OrderedDict()).setdefault(m.city or _("City not recorded"), []).append(m)
    return [DayRow(date=d, cities=[CityStop(city=c, meetings=ms) for c, ms in cities.items()])
            for d, cities in days.items()]


def mission_report(session: Session, *, actor: Actor, mission_id: int) -> MissionReport:
    """A draft of the delegation's report: purpose, delegation, itinerary with each meeting's counterparts and
    outcome, leads opened and MoUs signed or expected, follow-ups with owners, and the sources."""
    require(actor, Perm.read)
    mission = missions.get(session, actor=actor, mission_id=mission_id)
    sources = SourceList()
    sources.want("mission", mission.id, f"Mission {mission.name}")
    engs, total = _meetings(session, EngagementFilter(mission_id=mission.id), sources, limit=500)
    eng_ids = [e.id for e in engs]
    lead_stmt = (select(Opportunity).where(Opportunity.source_engagement_id.in_(eng_ids or [-1]))
                 .order_by(Opportunity.amount_inr_crore.desc().nulls_last(), Opportunity.id))
    leads = lead_rows(session, lead_stmt)
    lead_ids = [lead.id for lead in leads]
    signed, _signed_total = _mou_rows(session, actor, Mou.opportunity_id.in_(lead_ids or [-1]))
    with_mou = {m.opportunity_id for m in signed}
    expected = [MouRow(id=lead.id, title=lead.title, status=_("expected (lead %(stage)s)", stage=label(lead.stage)),
                       signed_date=None, value_inr_crore=lead.value_inr_crore, jobs=None, district=None,
                       expected=True)
                for lead in leads if lead.stage in (OpportunityStage.interested, OpportunityStage.mou_signed)
                and lead.id not in with_mou]
    followups = _followups(session, mission.id, eng_ids, lead_ids)
    numbers = sources.resolve(session)
    rows = [meeting_row(e, numbers) for e in engs]
    report = MissionReport(
        meta=meta(actor, _('Mission report: %(name)s',
                           name=mission.name), _("Draft for the mission officer to complete"), [
            _('mission %(id)s', id=mission.id), _plural(total, "meeting"), _plural(len(leads), "lead"),
            _plural(len(signed), "MoU"), _plural(len(followups), "follow-up"),
            _plural(len(sources.items), "source sentence")]),
        mission_id=mission.id, name=mission.name, purpose=mission.notes or "",
        home_agency=mission.home_agency.name if mission.home_agency else None,
        countries=list(mission.countries or []), cities=list(mission.cities or []), start_date=mission.start_date,
        end_date=mission.end_date, delegation=[person_row(p) for p in mission.delegates], days=_itinerary(rows),
        meetings_total=total, leads=leads, mous=[mou_row(m) for m in signed] + expected, followups=followups,
        sources=sources.items)
    if not rows:
        report.missing.append(_("No meetings are recorded for this mission: add them, or ingest the trip report."))
    if not report.purpose:
        report.missing.append(_("Purpose: not recorded (the mission's notes are empty); write it here."))
    if not leads:
        report.missing.append(_("No leads were opened from the mission's meetings."))
    if not report.delegation:
        report.missing.append(_("No delegates are recorded."))
    return report


def _followups(session: Session, mission_id: int, eng_ids: list[int], lead_ids: list[int]) -> list[FollowUpRow]:
    labels = {"mission": _("the mission"), "engagement": _("meeting"), "opportunity": _("lead")}
    cond = or_((FollowUp.entity_type == "mission") & (FollowUp.entity_id == mission_id),
               (FollowUp.entity_type == "engagement") & FollowUp.entity_id.in_(eng_ids or [-1]),
               (FollowUp.entity_type == "opportunity") & FollowUp.entity_id.in_(lead_ids or [-1]))
    rows = session.execute(select(FollowUp, User.name, User.email).outerjoin(User, User.id == FollowUp.owner_id)
                           .where(cond).order_by(FollowUp.due_date.asc().nulls_last(), FollowUp.id).limit(200))
    return [FollowUpRow(id=f.id, title=f.title, on=f"{labels[f.entity_type]} {f.entity_id}"
                        if f.entity_type != "mission" else labels["mission"], owner=name or email, due=f.due_date,
                        done=f.done_at is not None) for f, name, email in rows]
