"""Template filters: labels for vocabularies, Indian number grouping, dates, country names."""

from __future__ import annotations

import csv
import datetime as dt
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from investdesk import i18n

_WORDS = {"mou": "MoU", "mous": "MoUs", "rnd": "R&D", "gcc": "GCC", "ev": "EV", "it": "IT", "ites": "ITeS"}


def english_label(value: Any) -> str:
    """``mou_signed`` -> "MoU signed"; enums by their value."""
    if value is None:
        return ""
    text = value.value if isinstance(value, Enum) else str(value)
    words = [_WORDS.get(w, w) for w in text.split("_")]
    if words and words[0] == words[0].lower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def label(value: Any) -> str:
    """A vocabulary value as the reader's language names it (the English labels are in ``vocabulary.py``)."""
    if value is None:
        return ""
    if isinstance(value, (str, Enum)):
        return _label(value, i18n.current())
    return i18n.gettext(english_label(value))


@lru_cache(maxsize=2048)
def _label(value: str | Enum, language: str) -> str:
    """Lists show the same few stages and statuses on every row: each is labelled once per language."""
    with i18n.using(language):
        return i18n.gettext(english_label(value))


def badge(value: str | Enum | None) -> Markup:
    """A vocabulary value as a coloured badge: ``<span class="badge badge-mou_signed">MoU signed</span>``;
    nothing for none. A filter, not a macro: list rows show one each."""
    return _badge(value, i18n.current()) if value else Markup("")


@lru_cache(maxsize=512)
def _badge(value: str | Enum, language: str) -> Markup:
    key = value.value if isinstance(value, Enum) else value
    with i18n.using(language):
        return Markup('<span class="badge badge-%s">%s</span>') % (key, label(value))


def tags(values: Any) -> Markup:
    """Vocabulary values as tags (a record's sectors, a meeting's topics)."""
    return Markup("").join([Markup('<span class="tag">%s</span>') % label(v) for v in values])


def indian(n: float | int | None, decimals: int = 0) -> str:
    """Indian digit grouping: 12,34,567 (lakhs and crores), as officers read figures (Babel's en_IN / hi_IN)."""
    if n is None:
        return "—"
    return i18n.number(n, decimals)


def crore(value: float | None) -> str:
    """An INR crore figure: "₹1,200 crore", "₹45 lakh"; "—" when unknown. Every page, paper and mail shows
    money through this one formatter (``i18n.money_crore``), so a zero reads the same everywhere."""
    if value is None:
        return "—"
    return i18n.money_crore(float(value))


def amount(record: Any) -> str:
    """The amount as it was written: "USD 50 million", "INR 1,200 crore"."""
    value = getattr(record, "amount_value", None)
    if value is None:
        return "—"
    v = float(value)
    shown = indian(v, 0 if v == int(v) else 2)
    unit = getattr(record, "amount_unit", None)
    return " ".join(p for p in (getattr(record, "amount_currency", None) or "INR", shown,
                                i18n.gettext(unit) if unit else None) if p)


def date(value: dt.date | dt.datetime | None) -> str:
    """1 Dec 2026 / 1 दिसंबर 2026: the one date filter."""
    if value is None:
        return "—"
    return i18n.date(value)


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return i18n.datetime(value)


def iso(value: dt.date | dt.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


# Where each kind of record has its page.
RECORD_PATHS = {"organization": "organizations", "person": "people", "mission": "missions",
                "engagement": "engagements", "opportunity": "opportunities", "mou": "mous", "blocker": "blockers",
                "document": "documents"}


def record_url(entity_type: str, entity_id: int) -> str:
    return f"/{RECORD_PATHS.get(entity_type, entity_type + 's')}/{entity_id}"


def days_since(value: dt.datetime | dt.date | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return (dt.datetime.now(dt.UTC).date() - value).days
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return (dt.datetime.now(dt.UTC) - aware).days


def newest_first(changes: list[Any]) -> list[Any]:
    """A dated history, newest first; back-dated entries sort by their date, not by when they were typed."""
    def key(c: Any) -> tuple[dt.datetime, int]:
        at = c.changed_at if c.changed_at.tzinfo else c.changed_at.replace(tzinfo=dt.UTC)
        return at, c.id or 0
    return sorted(changes, key=key, reverse=True)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    text = resources.files("investdesk.extraction").joinpath("lexicons/countries.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader([ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")], delimiter="\t")
    return {r["code"].upper(): r["names"].split("|")[0] for r in rows}


def country(code: str | None) -> str:
    if not code:
        return "—"
    return _countries().get(code.upper(), code.upper())


def country_choices() -> list[tuple[str, str]]:
    return sorted(_countries().items(), key=lambda kv: kv[1])


def install(env: Environment) -> None:
    env.filters.update(label=label, badge=badge, tags=tags, indian=indian, crore=crore, amount=amount, date=date,
                       datetime=datetime, iso=iso, country=country, days_since=days_since,
                       newest_first=newest_first)
    env.globals["country_choices"] = country_choices
    env.globals["today"] = dt.date.today
