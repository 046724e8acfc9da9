"""Request dependencies: the unit of work and the acting user.

Each request gets one session; it commits once when the route returns and
rolls back on any error, before the response is sent (``scope="function"``),
so a client never sees success for a write that did not land.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from investdesk.db import transaction
from investdesk.permissions import Actor


def get_session(request: Request) -> Iterator[Session]:
    with transaction(request.app.state.engine) as session:
        yield session


def get_actor(request: Request) -> Actor:
    """The signed-in user as an Actor; set by the authentication layer."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        from investdesk.errors import NotAuthenticated

        raise NotAuthenticated("sign in or send an API token (Authorization: Bearer ...)")
    return actor


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = Annotated[Actor, Depends(get_actor)]
