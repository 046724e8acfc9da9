from __future__ import annotations

import pytest

from investdesk.extraction.components.money import find_amounts, find_jobs


@pytest.mark.parametrize("text, expected", [
    ("MoUs worth Rs 1,200 crore", (1200.0, "INR", "crore")),
    ("an investment of ₹10 lakh crore", (10.0, "INR", "trillion")),
    ("a $2.5 billion plant", (2.5, "USD", "billion")),
    ("JPY 30 billion over five years", (30.0, "JPY", "billion")),
    ("30 billion yen", (30.0, "JPY", "billion")),
    ("US$ 500 mn", (500.0, "USD", "million")),
    ("Rs.500 cr", (500.0, "INR", "crore")),
    ("Rs 818.90 crore", (818.9, "INR", "crore")),
    ("AED 2 billion", (2.0, "AED", "billion")),
    ("€40 million", (40.0, "EUR", "million")),
    ("Rs 25 lakh", (25.0, "INR", "lakh")),
])
def test_amounts_as_written(text: str, expected: tuple[float, str, str]) -> None:
    found = find_amounts(text)
    assert [(m.value, m.currency, m.unit) for m in found] == [expected]


def test_no_amount_without_currency() -> None:
    assert find_amounts("about 65 companies and 200 delegates in 2024") == []


@pytest.mark.parametrize("text, jobs", [
    ("employing 200 people", 200),
    ("creating more than 500 jobs", 500),
    ("employment opportunities for over 13,000 youth", 13000),
    ("expected to create 2 lakh jobs", 200000),
    ("in 2024 the company", None),
])
def test_jobs(text: str, jobs: int | None) -> None:
    assert find_jobs(text) == jobs
