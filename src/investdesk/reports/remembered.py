"""The home page's figures, remembered for a few seconds by each server process and each reader's scope: every
officer opening the home page at once costs one set of grouped queries, not one each.

An entry lives ``SECONDS`` at most. A change this process commits to what the figures count (leads, MoUs, their
blockers and status history, meetings, sectors) forgets every entry at once, so whoever made a change sees it on
their next page; a change made by another server process shows within ``SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from investdesk.permissions import Actor

SECONDS = 5.0
MAX_ENTRIES = 1000
# The tables the figures are counted from.
WATCHED = frozenset({"opportunities", "opportunity_sectors", "opportunity_stage_changes", "mous", "mou_parties",
                     "mou_status_changes", "blockers", "engagements", "engagement_counterparts", "sectors"})
T = TypeVar("T")

_generation = 0  # moves on whenever this process commits a change to a watched table


def scope(actor: Actor) -> Hashable:
    """What the figures depend on: the role and, for a scoped reader, their districts and departments."""
    return actor.role, actor.districts, actor.departments


class Figures:
    """One memory per application (each app, and so each test's app, starts empty)."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[float, int, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        generation, now = _generation, time.monotonic()
        found = self._entries.get(key)
        if found is not None and found[0] > now and found[1] == generation:
            value: T = found[2]
            return value
        value = make()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (now + SECONDS, generation, value)
        return value


def forget_all() -> None:
    global _generation
    _generation += 1


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: UOWTransaction) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if getattr(obj, "__tablename__", None) in WATCHED:
            _changed(session)
            return


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED:
            _changed(state.session)


def _changed(session: Session) -> None:
    """Forget now (nothing counted before the change is served past it) and again once it commits."""
    forget_all()
    session.info["figures_changed"] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop("figures_changed", False):
        forget_all()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop("figures_changed", None)
