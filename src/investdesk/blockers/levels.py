"""Escalation levels of blockers: the level a blocker shows follows from its age, whenever it is shown.

The daily job (``blockers.escalate``) stores the level and tells the people of the new level; between two runs
the stored level may lag (a blocker open 77 days still stored at ``officer``), so every read model shows the
higher of the stored level (a blocker escalated by hand stays up) and the level its age has reached.
"""

from __future__ import annotations

import datetime as dt

from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.models import Blocker
from investdesk.models.enums import EscalationLevel

LEVELS = (EscalationLevel.officer, EscalationLevel.department_head, EscalationLevel.chief_secretary)


def level_due(raised_on: dt.date, today: dt.date, period_days: int | None = None) -> EscalationLevel:
    """The level a blocker raised on ``raised_on`` has reached by ``today``: one step per period open."""
    period = period_days or get_settings().blocker_escalation_days
    steps = max(0, (today - raised_on).days) // period
    return LEVELS[min(steps, len(LEVELS) - 1)]


def shown_level(b: Blocker, today: dt.date | None = None) -> EscalationLevel:
    """The level to show: the stored one or, if higher, the one its age reached (while open, or when resolved)."""
    due = level_due(b.raised_on, b.resolved_on or today or utcnow().date())
    return max(b.escalation_level, due, key=LEVELS.index)
