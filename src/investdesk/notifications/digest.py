"""The daily digest: per user, at the local time they chose, written to the outbox. Nothing commits here.

Built for many users at once: each section is one query over a batch of users (not one per user), so 2,000
users over 100,000 leads take seconds (``benchmarks/notifications.py``). "Due" and "overdue" are those of
``followups.service.due_state``, as on the home page and the follow-ups page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from investdesk import i18n
from investdesk.config import get_settings
from investdesk.followups.service import due_state, due_window
from investdesk.formatting import record_url
from investdesk.i18n import N_, _, ngettext
from investdesk.models import Blocker, FollowUp, Mou, NotificationPreference, Opportunity, OutboxMessage, User
from investdesk.models.enums import EscalationLevel, OpportunityStage, Role
from investdesk.mous.service import CLOSED
from investdesk.notifications import outbox
from investdesk.notifications.events import ENQUIRY_WARNING
from investdesk.pipeline.service import OPEN

BATCH = 500
LEAD_STAGES = [*OPEN, OpportunityStage.mou_signed]  # as the home page's agenda


@dataclass
class Item:
    title: str
    url: str
    note: str = ""


@dataclass
class Digest:
    user: User
    day: dt.date
    sections: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())

    def context(self) -> dict[str, Any]:
        """What the templates show: each section's first SHOWN items, its total and where the rest are."""
        return {"day": self.day, "sections": [
            {"title": t, "entries": items[:SHOWN], "total": len(items), "more": max(0, len(items) - SHOWN),
             "list_url": LISTS[t]} for t, items in self.sections.items() if items]}


TITLES = (N_("Overdue"), N_("Due this week"), N_("Pending MoUs"), N_("Blockers at your level"),
          N_("Enquiries near their deadline"))
# A digest is read in a minute: each section lists its first items and links to the whole list.
SHOWN = 15
LISTS = {"Overdue": "/followups?state=overdue", "Due this week": "/followups", "Pending MoUs": "/mous/pending",
         "Blockers at your level": "/reports", "Enquiries near their deadline": "/opportunities?stage=identified"}


def build(session: Session, users: list[User], *, now: dt.datetime, today: dt.date) -> list[Digest]:
    """The digests of ``users`` (each section one query for the whole batch)."""
    out: list[Digest] = []
    for start in range(0, len(users), BATCH):
        out.extend(_build_batch(session, users[start:start + BATCH], now=now, today=today))
    return out


def _build_batch(session: Session, users: list[User], *, now: dt.datetime, today: dt.date) -> list[Digest]:
    digests = {u.id: Digest(user=u, day=today) for u in users}
    for d in digests.values():
        for title in TITLES:
            d.sections[title] = []
    ids = list(digests)
    last = due_window(today)[1]

    def due_item(uid: int | None, due: dt.date | None, title: str, url: str, sub: str = "") -> None:
        state = due_state(due, today)
        if state is not None and uid is not None and due is not None:
            note = _('due %(day)s', day=i18n.date(due)) + (f", {sub}" if sub else "")
            section = N_("Overdue") if state == "overdue" else N_("Due this week")
            digests[uid].sections[section].append(Item(title, url, note))

    # Plain columns, not ORM objects: a digest run reads some 100,000 rows.
    for owner, due, title, kind, record in session.execute(
            select(FollowUp.owner_id, FollowUp.due_date, FollowUp.title, FollowUp.entity_type, FollowUp.entity_id)
            .where(FollowUp.owner_id.in_(ids), FollowUp.done_at.is_(None), FollowUp.due_date <= last)
            .order_by(FollowUp.due_date, FollowUp.id)):
        due_item(owner, due, title, record_url(kind, record))
    for oid, owner, title, action, due in session.execute(
            select(Opportunity.id, Opportunity.owner_id, Opportunity.title, Opportunity.next_action,
                   Opportunity.next_action_due)
            .where(Opportunity.owner_id.in_(ids), Opportunity.stage.in_(LEAD_STAGES),
                   Opportunity.next_action_due <= last).order_by(Opportunity.next_action_due, Opportunity.id)):
        due_item(owner, due, action or title, f"/opportunities/{oid}", title)

    cutoff = now - dt.timedelta(days=get_settings().pending_after_days)
    id_set = set(ids)
    for mid, title, updated, nodal, manager in session.execute(
            select(Mou.id, Mou.title, Mou.status_updated_at, Mou.nodal_officer_id, Mou.account_manager_id)
            .where(Mou.status.not_in(CLOSED), Mou.status_updated_at < cutoff,
                   or_(Mou.nodal_officer_id.in_(ids), Mou.account_manager_id.in_(ids)))
            .order_by(Mou.status_updated_at)):
        item = Item(title, f"/mous/{mid}", _('no update since %(day)s', day=i18n.date(updated)))
        for uid in {i for i in (nodal, manager) if i is not None and i in id_set}:
            digests[uid].sections[N_("Pending MoUs")].append(item)

    _blockers(session, digests, today)

    for oid, owner, title, due in session.execute(
            select(Opportunity.id, Opportunity.owner_id, Opportunity.title, Opportunity.first_response_due)
            .where(Opportunity.owner_id.in_(ids), Opportunity.is_enquiry.is_(True),
                   Opportunity.first_responded_at.is_(None), Opportunity.first_response_due <= now + ENQUIRY_WARNING)
            .order_by(Opportunity.first_response_due)):
        if owner is not None:
            digests[owner].sections[N_("Enquiries near their deadline")].append(
                Item(title, f"/opportunities/{oid}",
                     _('answer by %(day)s UTC', day=i18n.datetime(due) if due else '—')))
    return list(digests.values())


def _blockers(session: Session, digests: dict[int, Digest], today: dt.date) -> None:
    """Open blockers at each user's level: the officer's (their MoUs), the department head's (managers of
    the department), the chief secretary's (administrators)."""
    users = [d.user for d in digests.values()]
    ids = [u.id for u in users]
    heads = [u for u in users if u.role is Role.manager]
    admins = [u for u in users if u.role is Role.admin]
    id_set = set(ids)
    stmt = select(Blocker.mou_id, Blocker.category, Blocker.department, Blocker.raised_on,
                  Blocker.escalation_level, Mou.title, Mou.nodal_officer_id, Mou.account_manager_id) \
        .join(Mou, Mou.id == Blocker.mou_id).where(Blocker.resolved_on.is_(None))
    wanted: list[Any] = [(Blocker.escalation_level == EscalationLevel.officer)
                         & or_(Mou.nodal_officer_id.in_(ids), Mou.account_manager_id.in_(ids))]
    if heads:
        wanted.append(Blocker.escalation_level == EscalationLevel.department_head)
    if admins:
        wanted.append(Blocker.escalation_level == EscalationLevel.chief_secretary)
    admin_ids = {u.id for u in admins}
    for mou_id, category, department, raised, level, title, nodal, manager in session.execute(
            stmt.where(or_(*wanted)).order_by(Blocker.raised_on)):
        if level is EscalationLevel.officer:
            who = {i for i in (nodal, manager) if i is not None and i in id_set}
        elif level is EscalationLevel.department_head:
            named = [u.id for u in heads if department and department in (u.departments or [])]
            who = set(named or [u.id for u in heads])
        else:
            who = admin_ids
        item = Item(f"{category.value.replace('_', ' ')} on {title}", f"/mous/{mou_id}",
                    _('open %(days)s days, %(value)s', days=(today - raised).days, value=level.value.replace('_', ' ')))
        for uid in who:
            digests[uid].sections[N_("Blockers at your level")].append(item)


def due_users(session: Session, *, now: dt.datetime, today: dt.date, local_time: str) -> list[User]:
    """Active users whose digest time has come today and who have not had today's digest."""
    stmt = (select(User).outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(User.is_active.is_(True),
                   or_(NotificationPreference.user_id.is_(None),
                       (NotificationPreference.digest_enabled.is_(True))
                       & (NotificationPreference.digest_time <= local_time)
                       & or_(NotificationPreference.last_digest_on.is_(None),
                             NotificationPreference.last_digest_on < today))))
    users = list(session.scalars(stmt.order_by(User.id)))
    if local_time < "08:00":  # users without preferences get theirs at 08:00, the default time
        with_prefs = set(session.scalars(select(NotificationPreference.user_id)
                                         .where(NotificationPreference.user_id.in_([u.id for u in users]))))
        users = [u for u in users if u.id in with_prefs]
    return users


def send_digests(session: Session, *, now: dt.datetime, today: dt.date, local_time: str) -> tuple[int, int]:
    """Write today's digest of every user whose time has come to the outbox; (written, empty)."""
    users = due_users(session, now=now, today=today, local_time=local_time)
    prefs = {p.user_id: p for p in session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id.in_([u.id for u in users])))} if users else {}
    written = empty = 0
    keys = {f"digest:{u.id}:{today.isoformat()}" for u in users}
    sent = set(session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys)))) \
        if keys else set()
    for digest in build(session, users, now=now, today=today):
        uid = digest.user.id
        pref = prefs.get(uid)
        if pref is None:
            pref = NotificationPreference(user_id=uid)
            session.add(pref)
        pref.last_digest_on = today
        if digest.empty:  # nothing to say: no mail
            empty += 1
            continue
        key = f"digest:{uid}:{today.isoformat()}"
        if key in sent:
            continue
        count = sum(len(v) for v in digest.sections.values())
        # The mail is written in its reader's language (the section titles are translated as it is rendered).
        with session.no_autoflush, i18n.using(digest.user.language):  # the rows go in at the end, in one flush
            subject = ngettext("[InvestDesk] Your day: %(num)s item (%(day)s)", "[InvestDesk] Your day: %(num)s items "
                               "(%(day)s)", count, day=i18n.date(today))
            outbox.enqueue_digest(session, user=digest.user, subject=subject, context=digest.context(),
                                  dedupe_key=key, checked=True)
        written += 1
    session.flush()
    return written, empty
