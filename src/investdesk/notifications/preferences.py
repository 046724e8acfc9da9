"""A user's notification preferences and their calendar secret. Nothing commits here."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.errors import NotAuthenticated, NotFound
from investdesk.i18n import _
from investdesk.models import NotificationPreference, User
from investdesk.notifications.schemas import KINDS, PreferencesRead, PreferencesUpdate
from investdesk.permissions import Actor


def _uid(actor: Actor) -> int:
    if actor.id is None:
        raise NotAuthenticated(_("preferences belong to a signed-in user"))
    return actor.id


def get_or_create(session: Session, user_id: int) -> NotificationPreference:
    pref = session.get(NotificationPreference, user_id)
    if pref is None:
        pref = NotificationPreference(user_id=user_id, digest_time="08:00", digest_enabled=True, mail_off=[],
                                      app_off=[])
        session.add(pref)
        session.flush()
    return pref


def to_read(pref: NotificationPreference, base_url: str) -> PreferencesRead:
    url = f"{base_url.rstrip('/')}/calendar/{pref.calendar_token}.ics" if pref.calendar_token else None
    return PreferencesRead(digest_time=pref.digest_time, digest_enabled=pref.digest_enabled,
                           mail_off=list(pref.mail_off or []), app_off=list(pref.app_off or []), calendar_url=url)


def mine(session: Session, *, actor: Actor) -> NotificationPreference:
    return get_or_create(session, _uid(actor))


def update(session: Session, *, actor: Actor, data: PreferencesUpdate) -> NotificationPreference:
    """Digest time, and which kinds reach the user by mail and under the bell."""
    pref = get_or_create(session, _uid(actor))
    before = audit.snapshot(pref)
    pref.digest_time, pref.digest_enabled = data.digest_time, data.digest_enabled
    pref.mail_off, pref.app_off = list(data.mail_off), list(data.app_off)
    session.flush()
    audit.record(session, actor=actor, action="update", entity_type="notification_preference",
                 entity_id=pref.user_id, before=_public(before), after=_public(audit.snapshot(pref)),
                 summary="notification preferences changed")
    return pref


def _public(snap: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in snap.items() if k != "calendar_token"}  # a secret: not in the audit trail


def issue_calendar(session: Session, *, actor: Actor) -> NotificationPreference:
    """A new secret calendar address; the previous one (if any) stops working."""
    pref = get_or_create(session, _uid(actor))
    pref.calendar_token = secrets.token_urlsafe(32)
    session.flush()
    audit.record(session, actor=actor, action="issue_calendar", entity_type="notification_preference",
                 entity_id=pref.user_id, summary="calendar address issued")
    return pref


def revoke_calendar(session: Session, *, actor: Actor) -> NotificationPreference:
    pref = get_or_create(session, _uid(actor))
    pref.calendar_token = None
    session.flush()
    audit.record(session, actor=actor, action="revoke_calendar", entity_type="notification_preference",
                 entity_id=pref.user_id, summary="calendar address revoked")
    return pref


def unsubscribe(session: Session, *, user_id: int, kind: str) -> User:
    """From a signed link in a mail: stop mail of one kind (the digest: stop the digest)."""
    user = session.get(User, user_id)
    if user is None or kind not in KINDS:
        raise NotFound(_("this unsubscribe link names no user or kind of mail"), field="token")
    pref = get_or_create(session, user_id)
    if kind == "digest":
        pref.digest_enabled = False
    elif kind not in (pref.mail_off or []):
        pref.mail_off = sorted({*(pref.mail_off or []), kind})
    session.flush()
    audit.record(session, actor=Actor(id=user.id, label=user.email, role=user.role), action="unsubscribe",
                 entity_type="notification_preference", entity_id=user_id, summary=f"unsubscribed from {kind}")
    return user
