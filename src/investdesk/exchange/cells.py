"""One cell's value read as text, number, date, amount, status ... or a clear reason why it cannot be.

Cells come from openpyxl (str, int, float, datetime, bool, None) or from CSV (always str)."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from openpyxl.utils.datetime import from_excel

from investdesk.exchange.headers import UNIT_WORDS, currency_word, tokens
from investdesk.i18n import _
from investdesk.models.enums import MouStatus, OpportunityKind, OpportunityStage

E = TypeVar("E", bound=StrEnum)

BLANKS = {"", "-", "–", "—", "na", "n/a", "n.a.", "nil", "none", "null", "nan"}
EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
_NUMBER = re.compile(r"\(?-?\d[\d,\s]*(?:\.\d+)?\)?|\(?-?\.\d+\)?")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y",
                 "%d-%B-%Y", "%b %d %Y", "%B %d %Y", "%d-%b-%y", "%d %b %y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})")
DATE_HINT = "use DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or 12 Jan 2024"
# Excel counts days from 1900; serials in this range are 1954 to 2119, anything else is a number, not a date.
_SERIALS = (20000, 80000)

STATUS_WORDS = {
    "mou_signed": MouStatus.signed, "signed_mou": MouStatus.signed, "land_allotment": MouStatus.land_allotted,
    "land_allocated": MouStatus.land_allotted, "approval": MouStatus.approvals, "under_approval": MouStatus.approvals,
    "clearances": MouStatus.approvals, "under_construction": MouStatus.construction,
    "construction_started": MouStatus.construction, "in_operation": MouStatus.commercial_operation,
    "operational": MouStatus.commercial_operation, "commercial_production": MouStatus.commercial_operation,
    "commissioned": MouStatus.commercial_operation, "production_started": MouStatus.commercial_operation,
    "delayed": MouStatus.stalled, "on_hold": MouStatus.stalled, "cancelled": MouStatus.withdrawn,
    "canceled": MouStatus.withdrawn, "dropped": MouStatus.withdrawn,
}
STAGE_WORDS = {
    "new": OpportunityStage.identified, "lead": OpportunityStage.identified,
    "in_discussion": OpportunityStage.engaged, "contacted": OpportunityStage.engaged,
    "mou": OpportunityStage.mou_signed, "signed": OpportunityStage.mou_signed, "hold": OpportunityStage.on_hold,
    "lost": OpportunityStage.dropped,
}
KIND_WORDS = {
    "r_d_centre": OpportunityKind.rnd_centre, "r_d_center": OpportunityKind.rnd_centre,
    "rnd_center": OpportunityKind.rnd_centre, "r_d": OpportunityKind.rnd_centre,
    "jv": OpportunityKind.joint_venture, "manufacturing": OpportunityKind.manufacturing_base,
    "manufacturing_unit": OpportunityKind.manufacturing_base, "manufacturing_plant": OpportunityKind.manufacturing_base,
    "global_capability_centre": OpportunityKind.gcc, "global_capability_center": OpportunityKind.gcc,
    "tech_transfer": OpportunityKind.technology_transfer, "training": OpportunityKind.training_exchange,
    "soft_landing": OpportunityKind.startup_soft_landing, "supply": OpportunityKind.supply_agreement,
}


class CellError(ValueError):
    """The cell's value cannot be read as the column needs; the message is shown to the user."""


def text(value: object) -> str | None:
    """The cell as text; blank markers ("", "-", "NA", "nil") are None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    s = str(value).strip()
    if "\x00" in s:
        raise CellError(_("holds a NUL character, which is not text"))
    if s.upper() in EXCEL_ERRORS:
        raise CellError(_('the cell shows an Excel error (%(s)s)', s=s))
    if s.lower() in BLANKS:
        return None
    if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@"):
        s = s[1:]  # the quote an export puts before text that would run as a formula
    return s


def number(value: object) -> float | None:
    """A number as written in a cell: "1,200.50", "12,00,000", "(300)" (negative), or a numeric cell."""
    if isinstance(value, bool):
        raise CellError(_('%(value)s is not a number', value=value))
    if isinstance(value, int | float | Decimal):
        n = float(value)
    else:
        s = text(value)
        if s is None:
            return None
        cleaned = re.sub(r"[,\s_]", "", s)
        if cleaned.startswith("(") and cleaned.endswith(")"):
            cleaned = "-" + cleaned[1:-1]
        try:
            n = float(cleaned)
        except ValueError:
            raise CellError(_('%(s)s is not a number', s=repr(s))) from None
    if not math.isfinite(n):
        raise CellError(_('%(value)s is not a number', value=repr(value)))
    return n


def whole(value: object) -> int | None:
    n = number(value)
    if n is None:
        return None
    if not n.is_integer():
        raise CellError(_('%(value)s is not a whole number', value=repr(value)))
    return int(n)


def amount(value: object) -> tuple[float | None, str | None, str | None]:
    """(value, currency, unit) of an amount cell: a number, or text such as "Rs 1,200 crore" or "$50 mn"."""
    if value is None or isinstance(value, int | float | Decimal | bool):
        return number(value), None, None
    s = text(value)
    if s is None:
        return None, None, None
    found = _NUMBER.findall(s)
    if len(found) != 1:
        raise CellError(_("%(s)s is not an amount (write a number, e.g. 1,200.50, or 'Rs 1,200 crore')", s=repr(s)))
    currency = unit = None
    for t in tokens(s.replace(found[0], " ")):
        if t in UNIT_WORDS:
            unit = UNIT_WORDS[t]
        elif (code := currency_word(t)) is not None:
            currency = code
        else:
            raise CellError(_('%(s)s is not an amount: %(t)s is neither a currency nor a unit', s=repr(s), t=repr(t)))
    return number(found[0]), currency, unit


def currency(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    words = tokens(s)
    if len(words) == 1 and (code := currency_word(words[0])) is not None:
        return code
    if re.fullmatch(r"[A-Za-z]{3}", s):
        return s.upper()  # checked against the rates with the amount: "no exchange rate for currency 'XYZ'"
    raise CellError(_('%(s)s is not a currency (write a code such as INR, USD, JPY)', s=repr(s)))


def unit(value: object) -> str | None:
    s = text(value)
    if s is None:
        return None
    units = {UNIT_WORDS[t] for t in tokens(s) if t in UNIT_WORDS}
    rest = [t for t in tokens(s) if t not in UNIT_WORDS and currency_word(t) is None]
    if len(units) != 1 or rest:
        raise CellError(_('%(s)s is not a unit (use thousand, lakh, million, crore, billion or trillion)', s=repr(s)))
    return units.pop()


def _from_text(s: str) -> dt.date:
    cleaned = " ".join(_ORDINAL.sub("", s.replace(",", " ")).split())
    cleaned = re.sub(r"(?i)\bsept\b", "Sep", cleaned)
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?", cleaned)
    if iso:
        cleaned = iso.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    m = _DAY_FIRST.fullmatch(cleaned)
    if m and int(m.group(2)) > 12 >= int(m.group(1)):
        raise CellError(_('%(s)s is not a date: dates are read day first (DD/MM/YYYY) and %(group)s is not a month',
                          s=repr(s), group=m.group(2)))
    raise CellError(_('%(s)s is not a date (%(value)s)', s=repr(s), value=DATE_HINT))


def day(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number, or text in the usual Indian and ISO forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1]:
            return from_excel(value).date()
        raise CellError(_('%(value)s is a number, not a date (%(value2)s)', value=value, value2=DATE_HINT))
    s = text(value)
    return None if s is None else _from_text(s)


def moment(value: object) -> dt.datetime | None:
    """A date and time (UTC when the cell does not say); a date alone is its midnight."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, str) and (s := text(value)) is not None:
        try:
            parsed = dt.datetime.fromisoformat(s)
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    d = day(value)
    return None if d is None else dt.datetime.combine(d, dt.time(), tzinfo=dt.UTC)


def choice(value: object, enum: type[E], words: dict[str, E], what: str) -> E | None:
    """An enum member from its value in any case and spacing ("Land Allotted"), or a usual other word."""
    s = text(value)
    if s is None:
        return None
    key = "_".join(tokens(s))
    try:
        return enum(key)
    except ValueError:
        pass
    if key in words:
        return words[key]
    raise CellError(_('%(s)s is not a %(what)s: use one of %(enum)s', s=repr(s), what=what,
                      enum=', '.join(m.value for m in enum)))


def names(value: object) -> list[str]:
    """Names in one cell, separated by ';', '|' or line breaks (commas belong to names: "Tanaka Co., Ltd.")."""
    s = text(value)
    if s is None:
        return []
    out: dict[str, str] = {}
    for part in re.split(r"[;|\n]", s):
        name = " ".join(part.split())
        if name and name.lower() not in BLANKS:
            out.setdefault(name.casefold(), name)
    return list(out.values())


def many(value: object) -> list[str]:
    """Several values in one cell (sectors), separated by ';', '|' or line breaks. Commas are left to the
    caller: some sector names have one ("IT, software and GCCs")."""
    s = text(value)
    return [] if s is None else [p.strip() for p in re.split(r"[;|\n]", s) if p.strip()]


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    data = resources.files("investdesk.extraction").joinpath("lexicons/countries.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader([ln for ln in data.splitlines() if ln.strip() and not ln.startswith("#")], delimiter="\t")
    out: dict[str, str] = {}
    for row in rows:
        out[row["code"].lower()] = row["code"].upper()
        for name in row["names"].split("|"):
            out["_".join(tokens(name))] = row["code"].upper()
    return out


def country(value: object) -> str | None:
    """An ISO country code from the code or the country's name."""
    s = text(value)
    if s is None:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", s):
        return s.upper()
    code = _countries().get("_".join(tokens(s)))
    if code is None:
        raise CellError(_('%(s)s is not a country (write its name or ISO code, e.g. Japan or JP)', s=repr(s)))
    return code


def email(value: object) -> str | None:
    s = text(value)
    return None if s is None else s.lower()
