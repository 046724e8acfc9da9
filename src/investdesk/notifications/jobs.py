"""The periodic jobs of reminders and mail, registered with ``jobs.registry``. Each opens its own
transactions and acts as the operator of the machine."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from investdesk.blockers import service as blockers
from investdesk.config import get_settings
from investdesk.db import transaction
from investdesk.i18n import N_, _
from investdesk.jobs.registry import Job, agency_zone, register
from investdesk.notifications import digest, events, sender
from investdesk.permissions import operator_actor


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(agency_zone()).date()


def escalate_blockers(engine: Engine, now: dt.datetime) -> str:
    """Raise open blockers to the level their age has reached and tell that level (and mail it)."""
    with transaction(engine) as session:
        moved = blockers.escalate(session, actor=operator_actor("job escalate_blockers"), today=_today(now))
        told = events.escalated_blockers(session, moved)
    return f"{len(moved)} blocker(s) escalated, {told} notification(s)"


def pending_mous(engine: Engine, now: dt.datetime) -> str:
    with transaction(engine) as session:
        told = events.pending_mous(session, now=now, after_days=get_settings().pending_after_days)
    return _('%(told)s notification(s) of pending MoUs', told=told)


def followups_due(engine: Engine, now: dt.datetime) -> str:
    with transaction(engine) as session:
        told = events.followups_due(session, today=_today(now))
    return _('%(told)s notification(s) of follow-ups due or overdue', told=told)


def enquiry_deadlines(engine: Engine, now: dt.datetime) -> str:
    with transaction(engine) as session:
        told = events.enquiry_deadlines(session, now=now)
    return _('%(told)s notification(s) of enquiry deadlines', told=told)


def digests(engine: Engine, now: dt.datetime) -> str:
    local = now.astimezone(agency_zone())
    with transaction(engine) as session:
        written, empty = digest.send_digests(session, now=now, today=local.date(), local_time=f"{local:%H:%M}")
    return _('%(written)s digest(s) written to the outbox, %(empty)s with nothing to say', written=written, empty=empty)


def send_mail(engine: Engine, now: dt.datetime) -> str:
    return sender.send_due(engine, now)


register(Job("escalate_blockers", N_("Escalate open blockers by age; tell and mail the new level."), escalate_blockers,
             daily_at="06:00"))
register(Job("pending_mous", N_("Tell nodal officers and account managers of MoUs turned pending."), pending_mous,
             daily_at="06:10"))
register(Job("followups_due", N_("Tell owners of follow-ups due tomorrow or overdue."), followups_due,
             daily_at="06:20"))
register(Job("enquiry_deadlines", N_("Tell owners of enquiries near or past their response deadline."),
             enquiry_deadlines, every_minutes=30))
register(Job("digests", N_("Write each user's daily digest to the outbox at their chosen time."), digests,
             every_minutes=15))
register(Job("send_mail", N_("Send the outbox over SMTP, with retries."), send_mail, every_minutes=1))
