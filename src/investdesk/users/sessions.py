"""Server-side sessions: the browser's cookie holds a random value, the table holds its hash, its user, when it
was last seen and when it ends. Ending a row ends the session on every server process at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from dataclasses import dataclass, replace

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from investdesk.db import utcnow
from investdesk.models import User, UserSession
from investdesk.permissions import Actor
from investdesk.users import recent

# ``last_seen_at`` is written at most this often per session, so reads do not write on every request.
SEEN_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetime:
    idle: dt.timedelta
    absolute: dt.timedelta


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def start(session: Session, *, user: User, one_time: bool, address: str, lifetime: Lifetime) -> str:
    """A new session for a user who just proved who they are; returns the cookie value (shown only here)."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    if random.random() < 0.05:  # now and then, drop the rows of sessions over for a day
        day_ago = now - dt.timedelta(days=1)
        session.execute(delete(UserSession).where(or_(UserSession.expires_at < day_ago,
                                                      UserSession.ended_at < day_ago)),
                        execution_options={"synchronize_session": False})
    session.add(UserSession(user_id=user.id, token_hash=_hash(raw), one_time=one_time, address=address[:64],
                            created_at=now, last_seen_at=now, expires_at=now + lifetime.absolute))
    session.flush()
    return raw


def actor_for(session: Session, raw: str, *, lifetime: Lifetime) -> Actor | None:
    """The actor of a live session, or None (unknown, ended, idle too long, past its end, user disabled)."""
    return lookup(session, raw, lifetime=lifetime)[0]


def lookup(session: Session, raw: str, *, lifetime: Lifetime) -> tuple[Actor | None, dt.datetime | None]:
    """The actor of a live session and the time it ends unless used again, or (None, None).
    Writes only when ``last_seen_at`` is older than SEEN_EVERY, with one conditional UPDATE."""
    from investdesk.users.service import actor_for as user_actor

    # The session and its user in one statement: this runs at the door of every request not remembered.
    found = session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                            .where(UserSession.token_hash == _hash(raw), UserSession.ended_at.is_(None))).first()
    now = utcnow()
    if found is None:
        return None, None
    row, user = found
    if _aware(row.expires_at) <= now or _aware(row.last_seen_at) + lifetime.idle <= now or not user.is_active:
        return None, None
    last_seen = _aware(row.last_seen_at)
    if last_seen + SEEN_EVERY <= now:
        # Not evaluated against the loaded row (SQLite gives it back naive): the database decides.
        session.execute(update(UserSession).where(UserSession.id == row.id, UserSession.last_seen_at < now - SEEN_EVERY)
                        .values(last_seen_at=now), execution_options={"synchronize_session": False})
        last_seen = now
    actor = user_actor(user)
    if row.one_time or user.must_change_password:
        actor = replace(actor, must_change_password=True)
    return actor, min(_aware(row.expires_at), last_seen + lifetime.idle)


def end(session: Session, *, raw: str) -> None:
    """Sign-out: this browser's session ends."""
    recent.forget_on_commit(session)
    session.execute(update(UserSession).where(UserSession.token_hash == _hash(raw), UserSession.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def end_all(session: Session, *, user_id: int) -> int:
    """Every live session of a user ends (new password, reset, disable); returns how many."""
    recent.forget_on_commit(session)
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
