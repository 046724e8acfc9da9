"""The one money formatter every page uses."""

from __future__ import annotations

from investdesk.formatting import crore


def test_crore_reads_the_same_everywhere() -> None:
    assert crore(None) == "—"  # unknown
    assert crore(0) == crore(0.0) == "₹0 cr"  # nothing, not "₹0.00 cr"
    assert crore(4.5) == "₹4.50 cr"
    assert crore(1200) == "₹1,200 cr"
    assert crore(123456) == "₹1,23,456 cr"
