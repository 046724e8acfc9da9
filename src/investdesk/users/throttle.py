"""Sign-in throttling with counters in the database, shared by every server process.

- per (account, address): at most PAIR_LIMIT failed sign-ins in WINDOW; a slot is taken *before* the password
  is checked, with one atomic UPDATE, so thirty parallel guesses get five evaluated, not nineteen;
- per address: at most ADDRESS_LIMIT failures in WINDOW (loose: an office behind one address signs in together);
- per account from anywhere: never a lock (a stranger must not keep the rightful user out), but past
  ACCOUNT_SOFT failures every attempt waits a little longer (up to MAX_DELAY seconds) before it is answered.

A successful sign-in gives its slots back, so only failures count.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from investdesk.db import utcnow
from investdesk.errors import NotAuthenticated
from investdesk.i18n import _
from investdesk.models import LoginThrottle

WINDOW = dt.timedelta(minutes=15)
PAIR_LIMIT = 5
ADDRESS_LIMIT = 100
ACCOUNT_SOFT = 10
MAX_DELAY = 10.0


class TooManyAttempts(NotAuthenticated):
    status_code = 429


def _keys(email: str, address: str) -> tuple[str, str, str]:
    email = email.strip().lower()[:254]
    address = address[:64]
    return f"pair:{email}|{address}", f"address:{address}", f"account:{email}"


def _ensure(session: Session, key: str, now: dt.datetime) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(LoginThrottle).values(key=key, count=0, window_start=now)
                    .on_conflict_do_nothing(index_elements=["key"]))


def _bump(session: Session, key: str, *, limit: int | None, now: dt.datetime) -> int | None:
    """Count one more in the key's window (a new window when the last one is over), atomically; None when the
    limit is already reached."""
    _ensure(session, key, now)
    expired = LoginThrottle.window_start < now - WINDOW
    stmt = update(LoginThrottle).where(LoginThrottle.key == key)
    if limit is not None:
        stmt = stmt.where(or_(expired, LoginThrottle.count < limit))
    row = session.execute(stmt.values(count=case((expired, 1), else_=LoginThrottle.count + 1),
                                      window_start=case((expired, now), else_=LoginThrottle.window_start))
                          .returning(LoginThrottle.count)).first()
    return None if row is None else int(row[0])


def reserve(session: Session, *, email: str, address: str) -> float:
    """Take this attempt's slots before the password is checked; raise TooManyAttempts when the pair or the
    address is over its limit. Returns how many seconds to wait before checking (the per-account back-off)."""
    now = utcnow()
    if random.random() < 0.01:  # now and then, forget the windows long over (a flood of made-up e-mails)
        session.execute(delete(LoginThrottle).where(LoginThrottle.window_start < now - 2 * WINDOW),
                        execution_options={"synchronize_session": False})
    pair, by_address, account = _keys(email, address)
    if _bump(session, pair, limit=PAIR_LIMIT, now=now) is None:
        raise TooManyAttempts(_("too many failed sign-ins from here for this account; wait 15 minutes and try again"))
    if _bump(session, by_address, limit=ADDRESS_LIMIT, now=now) is None:
        _give_back(session, pair)
        raise TooManyAttempts(_("too many failed sign-ins from this address; wait 15 minutes and try again"))
    failures = session.scalar(select(LoginThrottle.count).where(LoginThrottle.key == account,
                                                                LoginThrottle.window_start >= now - WINDOW)) or 0
    return min(MAX_DELAY, float(failures - ACCOUNT_SOFT + 1)) if failures >= ACCOUNT_SOFT else 0.0


def _give_back(session: Session, key: str) -> None:
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.count > 0)
                    .values(count=LoginThrottle.count - 1))


def settle(session: Session, *, email: str, address: str, ok: bool) -> None:
    """After the check: a success gives the pair and address slots back; a failure counts against the account."""
    pair, by_address, account = _keys(email, address)
    if ok:
        session.execute(update(LoginThrottle).where(LoginThrottle.key == pair).values(count=0))
        _give_back(session, by_address)
    else:
        _bump(session, account, limit=None, now=utcnow())
