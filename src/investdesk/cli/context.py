"""The unit of work of a CLI command (one transaction on the configured database) and who it acts as.

Record commands act as a named user, with that user's role and scope, exactly as the web and the API do:
the user is given by the global ``--as EMAIL`` option or by ``INVESTDESK_USER``. Administrative commands
(``db``, ``user``, ``backup``, ``restore``, ``demo``, ``serve``, scheduled jobs) act as the operator of the
machine, who holds the database itself; each says so in its help.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.db import get_engine, transaction, user_errors
from investdesk.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from investdesk.migrate import ensure_current
from investdesk.permissions import Actor
from investdesk.permissions import operator_actor as operator_actor  # the commands' one place for both actors
from investdesk.users import service as users

# Where ``cli_actor`` leaves the actor on the command's session, for what follows a refused edit.
ACTOR_KEY = "investdesk.cli.actor"
# Set by the global ``--as`` option; it wins over INVESTDESK_USER.
_acting_as: str | None = None


def set_acting_as(email: str | None) -> None:
    global _acting_as
    _acting_as = email.strip() if email and email.strip() else None


def acting_email() -> str | None:
    """The e-mail the command acts as: ``--as``, else ``INVESTDESK_USER``, else nobody."""
    return _acting_as or get_settings().user


def engine() -> Engine:
    """The configured database, upgraded to the current schema when behind."""
    eng = get_engine(get_settings())
    ensure_current(eng)
    return eng


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction; an edit refused because the record changed meanwhile is then told to whoever changed it,
    in a transaction of its own after the refused one rolled back (as the web does)."""
    eng = engine()
    session: Session | None = None
    try:
        with user_errors(), transaction(eng) as session:
            yield session
    except Conflict as exc:
        # Imported here: the notifications it writes load the follow-up, blocker and MoU areas, which a command
        # that reads (a brief) has no other use for.
        from investdesk.notifications.conflicts import tell_refused_edit

        tell_refused_edit(eng, session.info.get(ACTOR_KEY) if session is not None else None, exc)
        raise


def cli_actor(session: Session) -> Actor:
    """The user at the command line, with their role, districts and departments."""
    email = acting_email()
    if not email:
        raise ValidationFailed("no user: pass --as EMAIL or set INVESTDESK_USER to your e-mail (commands act "
                               "with that user's role)", field="user")
    try:
        user = users.get_by_email(session, email)
    except NotFound:
        raise ValidationFailed(f"--as/INVESTDESK_USER: no user {email}", field="user") from None
    if not user.is_active:
        raise PermissionDenied(f"--as/INVESTDESK_USER: user {email} is disabled")
    actor = users.actor_for(user)
    session.info[ACTOR_KEY] = actor
    return actor

