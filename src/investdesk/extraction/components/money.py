"""Amounts as written ("Rs 1,200 crore", "₹10 lakh crore", "$2.5 billion", "JPY 30 billion") and job counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from investdesk.extraction.normalize import UNIT_FACTOR

_CURRENCY_BEFORE = {
    "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "rupees": "INR", "$": "USD", "us$": "USD", "usd": "USD",
    "us $": "USD", "¥": "JPY", "jpy": "JPY", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "aed": "AED",
    "sgd": "SGD", "s$": "SGD", "krw": "KRW", "₩": "KRW", "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD",
    "chf": "CHF", "cny": "CNY", "rmb": "CNY", "sar": "SAR", "qar": "QAR",
}
_CURRENCY_AFTER = {"rupees": "INR", "rupee": "INR", "yen": "JPY", "dollars": "USD", "euros": "EUR", "euro": "EUR",
                   "dirhams": "AED", "dirham": "AED", "won": "KRW", "pounds": "GBP", "riyals": "SAR", "yuan": "CNY"}
_UNITS = {
    "thousand": "thousand", "k": "thousand", "lakh": "lakh", "lakhs": "lakh", "lac": "lakh", "million": "million",
    "mn": "million", "mln": "million", "m": "million", "crore": "crore", "crores": "crore", "cr": "crore",
    "cr.": "crore", "billion": "billion", "bn": "billion", "b": "billion", "trillion": "trillion", "tn": "trillion",
    "lakh crore": "trillion", "lakh crores": "trillion",
}

_NUM = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_RE = r"lakh crores?|lakhs?|lac|crores?|cr\.?|thousand|million|mn|mln|billion|bn|trillion|tn|k|m|b"
_BEFORE_RE = r"US\s?\$|US\$|S\$|A\$|C\$|Rs\.?|INR|USD|JPY|EUR|GBP|AED|SGD|KRW|AUD|CAD|CHF|CNY|RMB|SAR|QAR|[₹$¥€£₩]"
AMOUNT_RE = re.compile(
    rf"(?P<cur>{_BEFORE_RE})\s?(?P<num>{_NUM})(?:\s?(?P<unit>{_UNIT_RE})\b)?"
    rf"|(?P<num2>{_NUM})\s?(?P<unit2>{_UNIT_RE})?\s(?P<cur2>rupees?|yen|dollars|euros?|dirhams?|won|pounds|riyals|yuan)\b",
    re.I)

JOBS_RE = re.compile(
    r"(?:(?:more than|over|about|around|nearly|up to|some|at least|approximately|close to)\s)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?P<unit>lakh|thousand|k))?\s(?:new\s|direct\s|skilled\s|local\s)?"
    r"(?:jobs|people|employees|workers|employment opportunities|employment|job opportunities|youth|persons)\b"
    r"|employ(?:ing|s)?\s(?:more than\s|over\s|about\s)?(?P<n2>\d{1,3}(?:,\d{3})+|\d+)", re.I)


@dataclass
class Money:
    value: float
    currency: str
    unit: str | None
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "currency": self.currency, "unit": self.unit}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_amounts(text: str) -> list[Money]:
    """Every amount of money in the text, as written."""
    out: list[Money] = []
    for m in AMOUNT_RE.finditer(text):
        if m.group("num"):
            cur_raw, num, unit_raw = m.group("cur"), m.group("num"), m.group("unit")
            currency = _CURRENCY_BEFORE.get(cur_raw.lower().replace(" ", ""), _CURRENCY_BEFORE.get(cur_raw.lower()))
        else:
            num, unit_raw, cur_raw = m.group("num2"), m.group("unit2"), m.group("cur2")
            currency = _CURRENCY_AFTER.get(cur_raw.lower())
        if currency is None:
            continue
        unit = _UNITS.get(" ".join((unit_raw or "").lower().split())) if unit_raw else None
        if unit_raw and unit_raw.lower() in {"m", "b", "k"} and unit_raw.islower() is False and len(unit_raw) == 1:
            unit = _UNITS[unit_raw.lower()]
        # "$20 million" written as "$20m": single letters count only when glued to the number.
        if unit_raw and len(unit_raw) == 1 and text[m.start("unit" if m.group("num") else "unit2") - 1] == " ":
            unit = None
        out.append(Money(value=_number(num), currency=currency, unit=unit, start=m.start(), end=m.end()))
    return out


def find_jobs(text: str) -> int | None:
    """The first job count in the text ("employing 200 people", "over 13,000 jobs")."""
    for m in JOBS_RE.finditer(text):
        raw = m.group("n") or m.group("n2")
        if not raw:
            continue
        n = _number(raw)
        unit = (m.group("unit") or "").lower()
        n *= {"lakh": 1e5, "thousand": 1e3, "k": 1e3}.get(unit, 1)
        if n >= 5:
            return int(n)
    return None


def in_usd(money: Money, usd_per_unit: dict[str, float]) -> float | None:
    rate = usd_per_unit.get(money.currency)
    if rate is None:
        return None
    return round(money.value * UNIT_FACTOR[money.unit] * rate, 2)
