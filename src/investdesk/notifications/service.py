"""Notifications under the bell: written in the same transaction as their event, once per dedupe key.
Nothing commits here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from investdesk import i18n
from investdesk.db import utcnow
from investdesk.errors import NotAuthenticated, NotFound
from investdesk.i18n import _
from investdesk.models import Notification, NotificationPreference, User
from investdesk.notifications import outbox
from investdesk.notifications.schemas import IMMEDIATE_MAIL, KINDS, NotificationRead
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor


def notify(session: Session, *, user_ids: Iterable[int | None], kind: str, title: str | Callable[[], str],
           url: str, dedupe_key: str, flush: bool = True) -> list[Notification]:
    """A notification for each user (not already told under this key, not muted in the app); escalations are
    also written to the outbox as mail, in the same transaction. A ``title`` given as a function is written in
    each reader's language (a job runs in none)."""
    assert kind in KINDS, kind
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return []
    told = set(session.scalars(select(Notification.user_id).where(Notification.user_id.in_(ids),
                                                                  Notification.dedupe_key == dedupe_key)))
    prefs = {p.user_id: p for p in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(ids)))}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids), User.is_active.is_(True)))}
    made = []
    for uid in ids:
        if uid in told or uid not in users:
            continue
        pref = prefs.get(uid)
        with i18n.using(users[uid].language):
            text = title() if callable(title) else title
        note = Notification(user_id=uid, kind=kind, title=text[:400], url=url, dedupe_key=dedupe_key)
        # A kind muted in the app is still recorded (read at once) so the same event is never raised again.
        if pref is not None and kind in (pref.app_off or []):
            note.read_at = utcnow()
        session.add(note)
        made.append(note)
        if kind in IMMEDIATE_MAIL and not (pref is not None and kind in (pref.mail_off or [])):
            outbox.enqueue_event(session, user=users[uid], kind=kind, title=text, url=url,
                                 dedupe_key=f"{dedupe_key}:{uid}")
    if flush:  # not from inside a flush (events.from_audit): that flush writes them
        session.flush()
    return made


def _user_id(actor: Actor) -> int:
    if actor.id is None:
        raise NotAuthenticated(_("notifications belong to a signed-in user"))
    return actor.id


def unread_count(session: Session, *, actor: Actor) -> int:
    """The bell's number: read from the (user_id, read_at) index alone."""
    uid = _user_id(actor)
    return session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.user_id == uid, Notification.read_at.is_(None))) or 0


def list_notifications(session: Session, *, actor: Actor, unread: bool = False,
                       page: PageParams | None = None) -> tuple[list[Notification], int]:
    """The user's notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == _user_id(actor))
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return paginate(session, stmt.order_by(Notification.created_at.desc(), Notification.id.desc()),
                    page or PageParams())


def mark_read(session: Session, *, actor: Actor, notification_id: int) -> Notification:
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != _user_id(actor):
        raise NotFound(_('notification %(notification_id)s not found',
                         notification_id=notification_id), field="notification_id")
    if note.read_at is None:
        note.read_at = utcnow()
        session.flush()
    return note


def mark_all_read(session: Session, *, actor: Actor) -> int:
    stmt = update(Notification).where(Notification.user_id == _user_id(actor), Notification.read_at.is_(None))
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def to_read(n: Notification) -> NotificationRead:
    return NotificationRead(id=n.id, kind=n.kind, title=n.title, url=n.url, created_at=n.created_at,
                            read_at=n.read_at)
