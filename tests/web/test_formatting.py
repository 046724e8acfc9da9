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


def test_numbers_are_grouped_as_babel_groups_them() -> None:
    """The digits are grouped without Babel on the way of every page: the same text as Babel's, rounding
    included, in both languages; what the shortcut does not cover (not finite, huge) is Babel's own."""
    import random
    from decimal import Decimal

    from babel.numbers import format_decimal

    rng = random.Random(11)
    values: list[float | int | Decimal] = [0, -0.0, 0.5, 1.5, 2.5, 2.675, -0.4, 0.005, 0.015, 999, 1000, 99_999,
                                           100_000, 1234567.125, 10**14, 10**15, 1e21, float("nan"), float("inf"),
                                           Decimal("12.345"), 12345678901234.56]
    for _ in range(2000):
        values.append(rng.choice([1, -1]) * rng.random() * 10 ** rng.randint(-4, 15))
        values.append(round(rng.random() * 10 ** rng.randint(0, 9), rng.randint(0, 4)))
        values.append(rng.randint(-10**13, 10**13))
    for language in ("en", "hi"):
        with i18n.using(language):
            for value in values:
                for decimals in (0, 1, 2):
                    pattern = "#,##,##0" + ("." + "0" * decimals if decimals else "")
                    assert i18n.number(value, decimals) == format_decimal(
                        value, format=pattern, locale=i18n.babel_locale()), (language, value, decimals)


def test_a_time_reads_in_its_own_zone() -> None:
    """Two equal instants in different zones are written each at its own wall time (formatted once, kept)."""
    from zoneinfo import ZoneInfo

    utc = dt.datetime(2026, 12, 1, 20, 5, tzinfo=dt.UTC)
    assert i18n.datetime(utc) == "1 Dec 2026 20:05"
    assert i18n.datetime(utc.astimezone(ZoneInfo("Asia/Kolkata"))) == "2 Dec 2026 01:35"
    with i18n.using("hi"):
        assert i18n.datetime(utc) == "1 दिसंबर 2026 20:05"
