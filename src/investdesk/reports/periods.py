"""Financial years as report periods: India's runs April to March, named "FY 2026-27"."""

from __future__ import annotations

import datetime as dt
import re

from investdesk.errors import ValidationFailed
from investdesk.i18n import _

_FY = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*(?:[-–/]\s*(\d{2}|\d{4}))?\s*$", re.IGNORECASE)


def start_year(day: dt.date) -> int:
    """The year the financial year holding ``day`` starts in (1 Mar 2027 -> 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def label(year: int) -> str:
    """FY 2026-27 for the year starting 1 April 2026."""
    return f"FY {year}-{(year + 1) % 100:02d}"


def bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the financial year starting in ``year`` (inclusive)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def parse(text: str, *, field: str = "fy") -> int:
    """The starting year of "FY 2026-27", "2026-27", "2026-2027" or "2026"; a clear error otherwise."""
    match = _FY.match(text or "")
    if match:
        year, tail = int(match.group(1)), match.group(2)
        if tail is None or int(tail) in ((year + 1) % 100, year + 1):
            return year
    raise ValidationFailed(_('%(field)s: %(text)s is not a financial year like FY 2026-27', field=field,
                             text=repr(text)), field=field)


def of_range(start: dt.date | None, end: dt.date | None) -> int | None:
    """The financial year the range is exactly, if it is one."""
    if start is None or end is None or (start.month, start.day) != (4, 1):
        return None
    return start.year if bounds(start.year)[1] == end else None


def choices(today: dt.date | None = None, *, back: int = 9) -> list[tuple[str, str]]:
    """(value, label) of the current financial year and the ``back`` before it, newest first."""
    now = start_year(today or dt.date.today())
    return [(f"{y}-{(y + 1) % 100:02d}", label(y)) for y in range(now, now - back - 1, -1)]
