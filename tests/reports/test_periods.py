"""Financial years (April to March) as report periods."""

from __future__ import annotations

import datetime as dt

import pytest

from investdesk.errors import ValidationFailed
from investdesk.reports import periods


def test_financial_year_bounds_labels_and_parsing() -> None:
    assert periods.bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert periods.label(2026) == "FY 2026-27" and periods.label(1999) == "FY 1999-00"
    assert periods.start_year(dt.date(2027, 3, 31)) == 2026 and periods.start_year(dt.date(2026, 4, 1)) == 2026
    for text in ("FY 2026-27", "fy2026-27", "2026-27", "2026–2027", " 2026 "):
        assert periods.parse(text) == 2026, text
    for bad in ("2026-28", "FY26", "", "April 2026", "2026-2028"):
        with pytest.raises(ValidationFailed, match="is not a financial year like FY 2026-27"):
            periods.parse(bad)
    assert periods.of_range(dt.date(2025, 4, 1), dt.date(2026, 3, 31)) == 2025
    assert periods.of_range(dt.date(2025, 4, 1), dt.date(2026, 3, 30)) is None
    assert periods.of_range(None, dt.date(2026, 3, 31)) is None
    options = periods.choices(dt.date(2026, 12, 1), back=2)
    assert options == [("2026-27", "FY 2026-27"), ("2025-26", "FY 2025-26"), ("2024-25", "FY 2024-25")]
