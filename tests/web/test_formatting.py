"""The one money formatter and the one date filter every page, paper and mail uses, in both languages."""

from __future__ import annotations

import datetime as dt

from investdesk import i18n
from investdesk.formatting import crore, date, indian


def test_crore_reads_the_same_everywhere() -> None:
    assert crore(None) == "—"  # unknown
    assert crore(0) == crore(0.0) == "₹0 crore"  # nothing, not "₹0.00 crore"
    assert crore(4.5) == "₹4.50 crore"
    assert crore(1200) == "₹1,200 crore"
    assert crore(4666) == "₹4,666 crore"
    assert crore(123456) == "₹1,23,456 crore"
    assert crore(0.45) == "₹45 lakh"  # below one crore, in lakh
    assert crore(0.005) == "₹50,000"  # below a lakh, in rupees
    assert indian(12345678) == "1,23,45,678"


def test_money_and_dates_in_hindi() -> None:
    with i18n.using("hi"):
        assert crore(4666) == "₹4,666 करोड़"
        assert crore(0.45) == "₹45 लाख"
        assert indian(12345678) == "1,23,45,678"
        assert date(dt.date(2026, 12, 1)) == "1 दिसंबर 2026"
    assert date(dt.date(2026, 12, 1)) == "1 Dec 2026"
