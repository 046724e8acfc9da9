"""A refused edit, told to whoever made the change that stands: one helper for the web, the API and the command
line. The refused unit of work has rolled back, so the notification is written in a unit of work of its own."""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from investdesk.db import transaction
from investdesk.errors import Conflict, InvestDeskError
from investdesk.notifications import events
from investdesk.permissions import Actor

log = logging.getLogger(__name__)


def tell_refused_edit(engine: Engine, actor: Actor | None, exc: BaseException) -> None:
    """After an edit on an older version was refused (a ``Conflict`` naming its record), notify the last editor of
    that record. Nothing for other errors or for an actor who is no user. A failure here is logged, never put in
    place of the refusal the caller must see."""
    if not isinstance(exc, Conflict) or exc.record is None or actor is None or actor.id is None:
        return
    entity_type, entity_id = exc.record
    try:
        with transaction(engine) as session:
            events.edit_conflict(session, refused=actor, entity_type=entity_type, entity_id=entity_id)
    except (SQLAlchemyError, InvestDeskError):
        log.exception("could not record the conflict on %s %s", entity_type, entity_id)
