"""What every page shares: rendering, sorting, paging, CSV export, form errors, flash messages.

Pages are thin: they parse the query or the form, call a service (or take a service's
``filtered()`` selection and order and page it in SQL), and render a template.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from investdesk.db import session_factory
from investdesk.errors import InvestDeskError, PasswordChangeRequired
from investdesk.exchange import cells
from investdesk.schemas import PageParams, paginate
from investdesk.web.deps import ActorDep
from investdesk.web.routes import formatting
from investdesk.web.templating import templates

FLASH_COOKIE = "investdesk_flash"
PER_PAGE_CHOICES = (25, 50, 100, 200)

formatting.install(templates.env)


def remember_actor(request: Request, actor: ActorDep) -> None:
    """Keep the signed-in user for the templates (the layout shows the name and what the role may do).

    Someone signed in with a one-time password sees no page before choosing their own."""
    if actor.must_change_password:
        raise PasswordChangeRequired("choose a new password first")
    request.state.page_actor = actor


PAGE = [Depends(remember_actor)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def htmx_target(request: Request) -> str | None:
    return request.headers.get("HX-Target") if is_htmx(request) else None


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    """A page (or a fragment) with the signed-in user, the active section and any flash message."""
    flash = request.cookies.get(FLASH_COOKIE)
    actor = getattr(request.state, "page_actor", None) or getattr(request.state, "actor", None)
    ctx = {"actor": actor, "flash": unquote(flash) if flash else None}
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, message: str | None = None, *, request: Request | None = None) -> Response:
    """303 after a successful form post; HTMX requests get an HX-Redirect to the same place."""
    response: Response = RedirectResponse(url, status_code=303)
    if request is not None and is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": url})  # htmx navigates on HX-Redirect
    if message:
        response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, path="/", httponly=True, samesite="lax")
    return response


# --- sorting and paging -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sort:
    """A ``?sort=name`` / ``?sort=-name`` choice among the columns a list allows."""

    key: str
    descending: bool
    columns: Mapping[str, ColumnElement[Any] | Any]

    @classmethod
    def parse(cls, value: str | None, columns: Mapping[str, Any], default: str) -> Sort:
        raw = (value or default).strip()
        desc = raw.startswith("-")
        key = raw.lstrip("-")
        if key not in columns:
            desc, key = default.startswith("-"), default.lstrip("-")
        return cls(key=key, descending=desc, columns=columns)

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def toggle(self, key: str) -> str:
        """The sort parameter a click on column ``key`` asks for."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return key

    def apply(self, stmt: Select, tiebreak: Any) -> Select:
        col = self.columns[self.key]
        order = (col.desc() if self.descending else col.asc()).nulls_last()
        return stmt.order_by(None).order_by(order, tiebreak.desc() if self.descending else tiebreak.asc())


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        n = int(value) if value not in (None, "") else default
    except ValueError:
        return default
    return max(lo, min(hi, n))


def page_params(request: Request, default_per_page: int = 50) -> PageParams:
    q = request.query_params
    return PageParams(page=_int(q.get("page"), 1, 1, 10**6), per_page=_int(q.get("per_page"), default_per_page, 1, 200))


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.per_page)

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        keep = {1, self.pages, *range(self.page - size, self.page + size + 1)}
        out: list[int | None] = []
        for n in sorted(p for p in keep if 1 <= p <= self.pages):
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def lean(stmt: Select, entity: Any, *options: Any) -> Select:
    """The same filter as ``stmt`` (a service's selection), loading only what a list shows of each row."""
    out = select(entity).options(*options)
    return out if stmt.whereclause is None else out.where(stmt.whereclause)


def listing(session: Session, stmt: Select[Any], sort: Sort, tiebreak: Any,
            params: PageParams) -> tuple[list[Any], Pager]:
    """One sorted page of a selection, counted and limited in SQL."""
    rows, total = paginate(session, sort.apply(stmt, tiebreak), params)
    if rows == [] and total and params.page > 1:  # past the end (rows deleted, a stale link): show the last page
        last = PageParams(page=max(1, -(-total // params.per_page)), per_page=params.per_page)
        rows, total = paginate(session, sort.apply(stmt, tiebreak), last)
        params = last
    return rows, Pager(page=params.page, per_page=params.per_page, total=total)


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None drops one); paging restarts on a new filter."""
    params = {k: v for k, v in request.query_params.multi_items() if k not in changes}
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value not in (None, ""):
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


templates.env.globals["url_with"] = url_with


def query_text(request: Request, name: str, max_len: int = 200) -> str | None:
    value = (request.query_params.get(name) or "").strip()
    return value[:max_len] or None


def query_choice(request: Request, name: str, choices: Iterable[str]) -> str | None:
    """A filter value from a fixed vocabulary; anything else is ignored rather than an error page."""
    value = (request.query_params.get(name) or "").strip()
    return value if value in set(choices) else None


def query_int(request: Request, name: str) -> int | None:
    value = (request.query_params.get(name) or "").strip()
    return int(value) if value.isdigit() else None


# --- CSV export ---------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """A spreadsheet cell; text starting with = + - @ would run as a formula in Excel, so it is quoted."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        if value.startswith(_FORMULA_START) and not _is_number(value):
            return "'" + value
        return value
    return value  # numbers and dates: the csv module writes them as they are


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(engine: Engine, stmt: Select, header: Sequence[str], row: Callable[[Any], Sequence[Any]],
                 filename: str, batch: int = 2000,
                 lookup: Callable[[Session, Sequence[Any]], Any] | None = None,
                 columns: bool = False) -> StreamingResponse:
    """The whole selection as CSV, streamed in batches from a read-only session of its own.

    ``stmt`` selects one entity (small tables) or, with ``columns``, plain columns (large ones: no ORM objects).
    ``lookup(session, batch)``, when given, fetches what the batch's rows need in one query (their sectors);
    ``row`` then receives ``(record, looked_up)``.
    """

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        yield "\ufeff" + buf.getvalue()  # a BOM, so Excel reads UTF-8 names correctly
        session = session_factory(engine)()
        try:
            result = session.execute(stmt.execution_options(yield_per=batch))
            parts = result.partitions() if columns else result.scalars().partitions()
            for part in parts:
                buf.seek(0)
                buf.truncate()
                extra = lookup(session, part) if lookup else None
                for record in part:
                    values = row((record, extra)) if lookup else row(record)
                    writer.writerow([_csv_safe(v) for v in values])
                yield buf.getvalue()
        finally:
            session.close()

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- forms --------------------------------------------------------------------------------------------------------

def form_errors(exc: ValidationError | InvestDeskError, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Messages keyed by form field, for showing beside each field; ``""`` holds the ones of no field."""
    aliases = aliases or {}
    out: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            key = aliases.get(loc[0], loc[0]) if loc else ""
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            out.setdefault(key, msg)
        return out
    field = aliases.get(exc.field or "", exc.field or "")
    message = exc.message
    if field and message.startswith(f"{exc.field}: "):
        message = message[len(exc.field or "") + 2:]
    out[field] = message
    return out


def reraise_unless_form_error(session: Session, exc: Exception) -> None:
    """A form's own mistakes (bad values, unknown ids it names) are shown beside its fields; a refusal is the
    error page.

    Either way nothing the failed call wrote is kept: the request's transaction is rolled back.
    """
    session.rollback()
    if isinstance(exc, InvestDeskError) and exc.status_code in (401, 403):
        raise exc


def form_text(form: Mapping[str, Any], name: str) -> str | None:
    value = form.get(name)
    if value is None or not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def form_list(form: Any, name: str) -> list[str]:
    """A multi-value field, or one comma-separated text field."""
    values = [v for v in form.getlist(name) if isinstance(v, str)]
    out: list[str] = []
    for v in values:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def form_amount(form: Mapping[str, Any]) -> dict[str, Any] | None:
    """The amount fieldset (value as written, currency, unit); none when the value is left empty."""
    value = form_text(form, "amount_value")
    if value is None:
        return None
    currency, unit = form_text(form, "amount_currency") or "INR", form_text(form, "amount_unit")
    try:  # written out whole, as in the documents: "USD 50 million", "Rs 1,200 crore"
        number, cur, un = cells.amount(value)
    except cells.CellError:
        return {"value": value.replace(",", ""), "currency": currency, "unit": unit}  # the schema names the fault
    return {"value": number, "currency": cur or currency, "unit": un or unit}
