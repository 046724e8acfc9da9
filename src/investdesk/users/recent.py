"""Who is behind a session cookie or an API token, remembered for a few seconds by each server process, so most
requests skip the database look-up at the door.

An entry lives at most ``REMEMBER`` seconds (never past the end of its session). Ending a session, every session
of a user (new password, reset, disable) or revoking a token forgets every entry of this process as soon as the
transaction commits; another server process forgets it when its entry runs out. So a revocation takes effect at
once on the process that made it and within ``REMEMBER`` seconds on every other one. Only live identities are
remembered: an unknown, ended or revoked cookie or token is looked up every time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from investdesk.permissions import Actor

REMEMBER = 10.0  # seconds
MAX_ENTRIES = 20_000  # past this many, start again (a flood of distinct live tokens cannot grow the memory)

_entries: dict[str, tuple[float, Actor]] = {}
_lock = threading.Lock()


def key(kind: str, raw: str) -> str:
    """The entry's key: the kind and a hash of the secret (the secret itself is not kept)."""
    return kind + ":" + hashlib.sha256(raw.encode()).hexdigest()


def get(entry_key: str) -> Actor | None:
    found = _entries.get(entry_key)
    if found is None:
        return None
    until, actor = found
    if time.monotonic() >= until:
        with _lock:
            _entries.pop(entry_key, None)
        return None
    return actor


def put(entry_key: str, actor: Actor, *, ends_at: dt.datetime | None = None) -> None:
    """Remember an identity for REMEMBER seconds, or until ``ends_at`` (an aware UTC time) if that is sooner."""
    seconds = REMEMBER
    if ends_at is not None:
        seconds = min(seconds, (ends_at - dt.datetime.now(dt.UTC)).total_seconds())
    if seconds <= 0:
        return
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[entry_key] = (time.monotonic() + seconds, actor)


def forget_all() -> None:
    with _lock:
        _entries.clear()


def forget_on_commit(session: Session) -> None:
    """Forget every remembered identity once this transaction commits (and now, so that nothing read before the
    commit is served meanwhile longer than REMEMBER)."""
    forget_all()
    if not session.info.get("forget_identities"):
        session.info["forget_identities"] = True
        event.listen(session, "after_commit", _after_commit, once=True)


def _after_commit(session: Session) -> None:
    session.info.pop("forget_identities", None)
    forget_all()
