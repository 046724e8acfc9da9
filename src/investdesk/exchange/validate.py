"""Every row checked before anything is written: cells read by their column's type, the record validated by
its pydantic model, then names looked up in a few queries for the whole file (sectors, districts, users,
organizations, MoU references). Each problem names the spreadsheet row and the column as written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.db import utcnow
from investdesk.errors import InvestDeskError
from investdesk.exchange import cells, lookups
from investdesk.exchange.cells import KIND_WORDS, STAGE_WORDS, STATUS_WORDS, CellError
from investdesk.exchange.headers import HeaderMap
from investdesk.exchange.schemas import MAX_AMOUNT, Entity, MouRow, OpportunityRow, Problem
from investdesk.exchange.tables import Progress, Row, Sheet
from investdesk.models.enums import MouStatus, OpportunityKind, OpportunityStage
from investdesk.pipeline.schemas import amount_columns
from investdesk.pipeline.service import NEEDS_REASON

PARSERS: dict[str, Callable[[object], Any]] = {
    "id": cells.whole, "version": cells.whole,
    "title": cells.text, "parties": cells.names, "counterpart": cells.names, "jobs": cells.whole,
    "district": cells.text, "sector": cells.many, "sectors": cells.many, "department": cells.text,
    "signed_date": cells.day, "status_updated": cells.moment, "nodal_officer": cells.email,
    "account_manager": cells.email, "reference": cells.text, "notes": cells.text, "country": cells.country,
    "owner": cells.email, "next_action": cells.text, "next_action_due": cells.day, "stage_reason": cells.text,
    "status": lambda v: cells.choice(v, MouStatus, STATUS_WORDS, "status"),
    "stage": lambda v: cells.choice(v, OpportunityStage, STAGE_WORDS, "stage"),
    "kind": lambda v: cells.choice(v, OpportunityKind, KIND_WORDS, "kind of lead"),
}
_AMOUNT_PARTS = ("amount", "currency", "unit")


@dataclass
class Checked:
    number: int  # the spreadsheet row
    record: Any  # MouRow or OpportunityRow
    amount: dict[str, Any]  # the amount columns, normalised


@dataclass
class Plan:
    """A file read and checked: its rows, and everything they name, resolved."""

    entity: Entity
    sheet: Sheet
    headers: HeaderMap
    rows: list[Checked] = field(default_factory=list)
    named: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # every row's cells, for look-ups
    problems: list[Problem] = field(default_factory=list)
    sector_ids: dict[str, list[str]] = field(default_factory=dict)  # as written -> sector ids
    user_ids: dict[str, int] = field(default_factory=dict)  # e-mail, lower case -> user id
    org_ids: dict[str, int] = field(default_factory=dict)  # name, case-folded -> existing organization id
    new_orgs: dict[str, str] = field(default_factory=dict)  # name, case-folded -> name as first written
    # column key -> text as written -> its parsed value or the CellError it raised: a sheet repeats its
    # statuses, districts, sectors and investors thousands of times, and reading one costs more than a look-up
    parsed: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return self.headers.warnings

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(row=row, column=self.headers.header(key), problem=message))


def _cell(row: Row, index: int) -> object:
    return row[index] if index < len(row) else None


def _friendly(err: Any, key: str) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in ("missing", "string_too_short") and key == "title":
        return "is empty: every row needs a title"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "less_than_equal":
        return f"is too large ({err['input']:,})"
    if kind == "greater_than_equal" and ctx.get("ge") == 0:
        return f"must not be negative ({err['input']})"
    return str(err["msg"])


def _amount(plan: Plan, number: int, row: Row) -> dict[str, Any] | None:
    cols = plan.headers.columns
    try:
        value, currency, unit = cells.amount(_cell(row, cols["amount"].index))
    except CellError as exc:
        plan.problem(number, "amount", str(exc))
        return None
    parts: dict[str, str | None] = {}
    for key, parse in (("currency", cells.currency), ("unit", cells.unit)):
        if key in cols:
            try:
                parts[key] = parse(_cell(row, cols[key].index))
            except CellError as exc:
                plan.problem(number, key, str(exc))
                return None
    if value is None:
        return None
    if abs(value) >= MAX_AMOUNT:
        plan.problem(number, "amount", f"{value:,.0f} is too large for an amount")
        return None
    return {"value": value, "currency": currency or parts.get("currency") or cols["amount"].currency or "INR",
            "unit": unit or parts.get("unit") or cols["amount"].unit}


def _parse(plan: Plan, key: str, raw: object) -> Any:
    """The cell read by its column's parser; text read before gives the same value (or error) again."""
    if type(raw) is not str:
        return PARSERS[key](raw)
    seen = plan.parsed.setdefault(key, {})
    if raw not in seen:
        try:
            seen[raw] = PARSERS[key](raw)
        except CellError as exc:
            seen[raw] = exc
    value = seen[raw]
    if isinstance(value, CellError):
        raise CellError(str(value))
    return list(value) if isinstance(value, list) else value


def _values(plan: Plan, number: int, row: Row) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, column in plan.headers.columns.items():
        if key in _AMOUNT_PARTS:
            continue
        try:
            value = _parse(plan, key, _cell(row, column.index))
        except CellError as exc:
            plan.problem(number, key, str(exc))
            continue
        if value is not None and value != []:
            values[key] = value
    if "amount" in plan.headers.columns and (amount := _amount(plan, number, row)) is not None:
        values["amount"] = amount
    if plan.headers.derived_title:
        _derive_title(plan, number, values)
    for key in ("counterpart", "sector"):
        if len(values.get(key, [])) > 1:
            plan.problem(number, key, f"one {'counterpart per lead' if key == 'counterpart' else 'sector per MoU'}"
                                      f", found {len(values[key])}: {'; '.join(values[key])}")
        if key in values:
            values[key] = values[key][0]
    return values


def _derive_title(plan: Plan, number: int, values: dict[str, Any]) -> None:
    """An MoU register's row has no title: "Tanaka Electric: Critical minerals" from its party and sector."""
    parties, sector = values.get("parties") or [], values.get("sector") or []
    if not parties:
        plan.problem(number, "parties", "is empty: with no title column every row needs its investor")
        values["title"] = "-"  # the row is refused for its party; no second problem about its title
        return
    values["title"] = (f"{parties[0]}: {sector[0]}" if sector else f"{parties[0]}: MoU")[:300]


def _district(plan: Plan, cache: dict[str, str | InvestDeskError], number: int, name: str) -> str | None:
    if name not in cache:
        try:
            cache[name] = places.district(name) or ""
        except InvestDeskError as exc:
            cache[name] = exc
    found = cache[name]
    if isinstance(found, InvestDeskError):
        plan.problem(number, "district", lookups.message(found, "district"))
        return None
    return found or None


def _record(plan: Plan, number: int, row: Row, model: type[BaseModel],
            districts: dict[str, str | InvestDeskError]) -> Checked | None:
    before = len(plan.problems)
    values = _values(plan, number, row)
    plan.named.append((number, values))
    if "district" in values:
        values["district"] = _district(plan, districts, number, values["district"])
    try:
        record = model.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else "title"
            if key == "amount" and len(err["loc"]) > 1 and err["loc"][1] in plan.headers.columns:
                key = str(err["loc"][1])
            plan.problem(number, key, _friendly(err, key))
        return None
    amount: dict[str, Any] = {}
    try:
        amount = amount_columns(getattr(record, "amount", None))
    except InvestDeskError as exc:
        key = "currency" if "currency" in exc.message and "currency" in plan.headers.columns else "amount"
        plan.problem(number, key, lookups.message(exc, "amount"))
    if isinstance(record, OpportunityRow) and record.stage in NEEDS_REASON and not record.stage_reason:
        key = "stage_reason" if "stage_reason" in plan.headers.columns else "stage"
        plan.problem(number, key, f"a lead {record.stage.value} needs a reason")
    if isinstance(record, MouRow) and record.status_updated and record.status_updated > utcnow():
        plan.problem(number, "status_updated", "is in the future")
    return Checked(number, record, amount) if len(plan.problems) == before else None


def check(session: Session, sheet: Sheet, headers: HeaderMap, progress: Progress | None = None) -> Plan:
    """Read and check every row of the sheet; the plan lists every problem, or is ready to write."""
    plan = Plan(headers.entity, sheet, headers, problems=list(headers.problems))
    if plan.problems:  # a missing title column or a doubled field: no row can be read right
        return plan
    model: type[BaseModel] = MouRow if plan.entity == "mou" else OpportunityRow
    districts: dict[str, str | InvestDeskError] = {}
    for i, (number, row) in enumerate(sheet.rows, start=1):
        checked = _record(plan, number, row, model, districts)
        if checked is not None:
            plan.rows.append(checked)
        if progress and i % 1000 == 0:
            progress("check", i, len(sheet.rows))
    for index in headers.empty:
        if any(_cell(row, index) not in (None, "") for _, row in sheet.rows):
            plan.warnings.append(f"column {index + 1} has values but no header; they were ignored")
    if plan.entity == "mou":
        lookups.sectors(session, plan, "sector")
        lookups.users(session, plan, ("nodal_officer", "account_manager"))
        lookups.references(session, plan)
    else:
        lookups.sectors(session, plan, "sectors")
        lookups.users(session, plan, ("owner",))
    lookups.organizations(session, plan)
    plan.named, plan.parsed = [], {}
    # As the user reads the sheet: by row, then left to right.
    order = {c.header: c.index for c in headers.columns.values()}
    plan.problems.sort(key=lambda p: (p.row, order.get(p.column, len(sheet.header))))
    return plan
