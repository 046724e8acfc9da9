"""What every page shares: rendering, sorting, paging, CSV export, form errors, flash messages.

Pages are thin: they parse the query or the form, call a service (or take a service's
``filtered()`` selection and have ``investdesk.paging`` order and page it in SQL), and render a template.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import Engine, Select
from sqlalchemy.orm import Session

from investdesk import formatting, i18n
from investdesk.errors import InvestDeskError, PasswordChangeRequired
from investdesk.exchange import cells
from investdesk.i18n import N_, _
from investdesk.paging import PageParams, batches
from investdesk.paging import Sort as Sort  # re-exported: every list page sorts
from investdesk.paging import listing as listing  # re-exported: every list page pages
from investdesk.web.deps import ActorDep
from investdesk.web.templating import templates

FLASH_COOKIE = "investdesk_flash"
PER_PAGE_CHOICES = (25, 50, 100, 200)

formatting.install(templates.env)


async def remember_actor(request: Request, actor: ActorDep) -> None:
    """Keep the signed-in user for the templates (the layout shows the name and what the role may do).

    Someone signed in with a one-time password sees no page before choosing their own."""
    if actor.must_change_password:
        raise PasswordChangeRequired(_("choose a new password first"))
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


# --- sorting and paging (the helpers themselves live in investdesk.paging) ----------------------------------------

def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        n = int(value) if value not in (None, "") else default
    except ValueError:
        return default
    return max(lo, min(hi, n))


def page_params(request: Request, default_per_page: int = 50) -> PageParams:
    q = request.query_params
    return PageParams(page=_int(q.get("page"), 1, 1, 10**6), per_page=_int(q.get("per_page"), default_per_page, 1, 200))


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
        for part in batches(engine, stmt, size=batch, columns=columns, lookup=lookup):
            buf.seek(0)
            buf.truncate()
            for record in part:
                writer.writerow([_csv_safe(v) for v in row(record)])
            yield buf.getvalue()

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- forms --------------------------------------------------------------------------------------------------------

# Pydantic's own messages by their type, in the reader's language; a validator's message (value_error) was
# written in that language when it was raised.
_PYDANTIC = {
    "missing": N_("required"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "int_parsing": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "decimal_parsing": N_("not a number"),
    "date_parsing": N_("not a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("not a date (YYYY-MM-DD)"),
    "datetime_parsing": N_("not a date and time"),
    "greater_than": N_("must be more than %(gt)s"),
    "greater_than_equal": N_("must be at least %(ge)s"),
    "less_than": N_("must be less than %(lt)s"),
    "less_than_equal": N_("must be at most %(le)s"),
    "enum": N_("choose one of %(expected)s"),
    "literal_error": N_("choose one of %(expected)s"),
    "bool_parsing": N_("not yes or no"),
    "string_type": N_("not text"),
}


def validation_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as the form shows it, in the reader's language (English for a kind it does not know)."""
    template = _PYDANTIC.get(str(err.get("type")))
    if template is not None and i18n.current() != i18n.DEFAULT:  # English keeps pydantic's own wording
        try:
            return _(template, **{k: str(v) for k, v in (err.get("ctx") or {}).items()})
        except (KeyError, ValueError, TypeError):
            pass
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


def form_errors(exc: ValidationError | InvestDeskError, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Messages keyed by form field, for showing beside each field; ``""`` holds the ones of no field."""
    aliases = aliases or {}
    out: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            key = aliases.get(loc[0], loc[0]) if loc else ""
            out.setdefault(key, validation_message(err))
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
