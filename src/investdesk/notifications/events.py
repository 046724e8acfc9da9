"""Where notifications come from. Nothing commits here.

- Events inside a service: the services write an audit row for every change; ``from_audit`` (run before each
  flush) reads the new ones and writes the notifications they call for, in the same transaction, so the
  change and its notifications commit (or roll back) together.
- Events found by time: the jobs call ``followups_due``, ``pending_mous``, ``enquiry_deadlines`` and
  ``escalated_blockers``; each event has a dedupe key, so a job run twice raises it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from investdesk import i18n
from investdesk.followups.service import record_name
from investdesk.formatting import label, record_url
from investdesk.i18n import N_, _, ngettext
from investdesk.models import AuditEvent, Blocker, ExtractedItem, FollowUp, Mou, Opportunity, User
from investdesk.models.enums import BlockerCategory, EscalationLevel, ItemState, Role
from investdesk.mous.service import CLOSED
from investdesk.notifications.service import notify
from investdesk.permissions import Actor

ENQUIRY_WARNING = dt.timedelta(hours=24)


# Titles are given to notify() as functions, so that each is written in its reader's language.
def _due_title(when: str, due: dt.date, title: str) -> str:
    return f"{_(when)} {i18n.date(due)}: {title}"


def _conflict_title(who: str, name: str, at: dt.datetime) -> str:
    return _("%(who)s tried to change %(name)s after your change of %(when)s, working on an older copy; their "
             "change was not saved, so check with them", who=who, name=name, when=i18n.datetime(at))


def _pending_title(updated: dt.datetime, title: str) -> str:
    return _("MoU pending (no status update since %(day)s): %(title)s", day=i18n.date(updated), title=title)


def _enquiry_title(what: str, due: dt.datetime, title: str) -> str:
    return _("Enquiry %(what)s (%(day)s UTC): %(title)s", what=_(what), day=i18n.datetime(due), title=title)


def _escalation_title(level: EscalationLevel, category: BlockerCategory, title: str) -> str:
    return _("Blocker escalated to %(level)s: %(value)s on %(title)s", level=label(level).lower(),
             value=label(category).lower(), title=title)


def from_audit(session: Session) -> None:
    """Notifications for the audit rows about to be written: a lead given to someone else; a document a user
    stored whose extracted items wait for review (the one who stored it reviews it)."""
    for row in [o for o in session.new if isinstance(o, AuditEvent)]:
        if row.entity_type == "document" and row.action == "ingest" and row.actor_id and row.entity_id:
            waiting = session.scalar(select(func.count()).select_from(ExtractedItem).where(
                ExtractedItem.document_id == row.entity_id, ExtractedItem.state == ItemState.pending)) or 0
            if waiting:
                name = (row.after or {}).get("filename") or f"#{row.entity_id}"
                notify(session, user_ids=[row.actor_id], kind="document_review",
                       title=partial(ngettext, "%(num)s extracted item of %(name)s waits for your review",
                                     "%(num)s extracted items of %(name)s wait for your review", waiting, name=name),
                       url=f"/documents/{row.entity_id}", dedupe_key=f"document_review:{row.entity_id}", flush=False)
        if row.entity_type == "opportunity" and row.after and row.entity_id is not None:
            owner = row.after.get("owner_id")
            was = (row.before or {}).get("owner_id")
            if owner and owner != was and owner != row.actor_id:
                opp = session.get(Opportunity, row.entity_id)
                title = opp.title if opp is not None else f"#{row.entity_id}"
                notify(session, user_ids=[owner], kind="lead_assigned",
                       title=partial(_, "Lead assigned to you by %(actor)s: %(title)s", actor=row.actor, title=title),
                       url=f"/opportunities/{row.entity_id}",
                       dedupe_key=f"lead_assigned:{row.entity_id}:{row.at or dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}",
                       flush=False)


def followups_due(session: Session, *, today: dt.date) -> int:
    """Follow-ups due tomorrow (or today), and those overdue, to their owners: once per follow-up and due date."""
    tomorrow = today + dt.timedelta(days=1)
    made = 0
    rows = session.scalars(select(FollowUp).where(FollowUp.done_at.is_(None), FollowUp.owner_id.is_not(None),
                                                  FollowUp.due_date <= tomorrow).order_by(FollowUp.id))
    for f in rows:
        assert f.due_date is not None
        kind = "followup_overdue" if f.due_date < today else "followup_due"
        # One "due" per follow-up and date: told the day before, or on the day when added too late for that.
        when = {today: N_("Due today,"), tomorrow: N_("Due tomorrow,")}.get(f.due_date, N_("Overdue since"))
        made += len(notify(session, user_ids=[f.owner_id], kind=kind,
                           title=partial(_due_title, when, f.due_date, f.title),
                           url=record_url(f.entity_type, f.entity_id), dedupe_key=f"{kind}:{f.id}:{f.due_date}"))
    return made


def pending_mous(session: Session, *, now: dt.datetime, after_days: int) -> int:
    """MoUs that turned pending, to their nodal officer and account manager: once per status update."""
    cutoff = now - dt.timedelta(days=after_days)
    made = 0
    rows = session.scalars(select(Mou).where(Mou.status.not_in(CLOSED), Mou.status_updated_at < cutoff,
                                             or_(Mou.nodal_officer_id.is_not(None),
                                                 Mou.account_manager_id.is_not(None))).order_by(Mou.id))
    for m in rows:
        made += len(notify(session, user_ids=[m.nodal_officer_id, m.account_manager_id], kind="mou_pending",
                           title=partial(_pending_title, m.status_updated_at, m.title),
                           url=f"/mous/{m.id}", dedupe_key=f"mou_pending:{m.id}:{m.status_updated_at:%Y%m%d%H%M%S}"))
    return made


def enquiry_deadlines(session: Session, *, now: dt.datetime) -> int:
    """Unanswered enquiries within a day of their first-response deadline, or past it, to their owner."""
    made = 0
    rows = session.scalars(select(Opportunity).where(
        Opportunity.is_enquiry.is_(True), Opportunity.first_responded_at.is_(None),
        Opportunity.owner_id.is_not(None), Opportunity.first_response_due <= now + ENQUIRY_WARNING)
        .order_by(Opportunity.id))
    for o in rows:
        assert o.first_response_due is not None
        due = o.first_response_due if o.first_response_due.tzinfo else o.first_response_due.replace(tzinfo=dt.UTC)
        kind = "enquiry_overdue" if due < now else "enquiry_deadline"
        what = N_("past its response deadline") if kind == "enquiry_overdue" else N_("due for a first response")
        made += len(notify(session, user_ids=[o.owner_id], kind=kind,
                           title=partial(_enquiry_title, what, due, o.title),
                           url=f"/opportunities/{o.id}", dedupe_key=f"{kind}:{o.id}"))
    return made


def level_users(session: Session, level: EscalationLevel, department: str | None) -> list[int]:
    """Who sits at an escalation level: department heads are the managers of the department (all managers
    when none names it); the chief secretary's review is the administrators."""
    if level is EscalationLevel.chief_secretary:
        return list(session.scalars(select(User.id).where(User.role == Role.admin, User.is_active.is_(True))))
    if level is EscalationLevel.department_head:
        managers = list(session.scalars(select(User).where(User.role == Role.manager, User.is_active.is_(True))))
        named = [u.id for u in managers if department and department in (u.departments or [])]
        return named or [u.id for u in managers]
    return []


def escalated_blockers(session: Session, blockers: Iterable[Blocker]) -> int:
    """Blockers that reached a new level, to the people at that level and those following the MoU
    (mailed at once)."""
    made = 0
    for b in blockers:
        users = [*level_users(session, b.escalation_level, b.department), b.mou.nodal_officer_id,
                 b.mou.account_manager_id]
        made += len(notify(session, user_ids=users, kind="blocker_escalated",
                           title=partial(_escalation_title, b.escalation_level, b.category, b.mou.title),
                           url=f"/mous/{b.mou_id}",
                           dedupe_key=f"blocker_escalated:{b.id}:{b.escalation_level.value}"))
    return made


def edit_conflict(session: Session, *, refused: Actor, entity_type: str, entity_id: int) -> int:
    """An edit refused because the record changed since it was read: whoever made the change that stands is
    told who was refused, so the two can settle it. Nothing is said to someone refused by their own change."""
    last = session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id,
        AuditEvent.actor_id.is_not(None)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).first()
    if last is None or last.actor_id == refused.id:
        return 0
    url = record_url(entity_type, entity_id)
    name = record_name(session, entity_type, entity_id) or f"{entity_type} {entity_id}"
    who = refused.name or refused.label
    return len(notify(session, user_ids=[last.actor_id], kind="edit_conflict",
                      title=partial(_conflict_title, who, name, last.at), url=url,
                      dedupe_key=f"edit_conflict:{entity_type}:{entity_id}:{last.id}:{refused.id or who}"))
