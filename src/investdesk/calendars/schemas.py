from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class CalendarEvent(BaseModel):
    """One all-day entry of a feed (InvestDesk keeps dates, not times, for these)."""

    uid: str
    summary: str
    start: dt.date
    end: dt.date  # exclusive, as iCalendar wants for all-day events
    url: str
    description: str = ""
    location: str = ""
