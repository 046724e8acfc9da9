"""Errors on pages: an HTML page (or a sign-in redirect) instead of the API's JSON."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from investdesk.errors import Conflict, InvestDeskError, NotAuthenticated, PasswordChangeRequired
from investdesk.i18n import N_, _
from investdesk.notifications.conflicts import tell_refused_edit
from investdesk.web.templating import templates

_NOT_PAGES = ("/api/", "/api", "/docs", "/openapi.json", "/health", "/static/", "/vendor/")
_TITLES = {400: N_("Bad request"), 401: N_("Sign in needed"), 403: N_("Not allowed"), 404: N_("Not found"),
           409: N_("Changed meanwhile"), 422: N_("Cannot do that"), 503: N_("Database unavailable")}


def is_page(request: Request) -> bool:
    path = request.url.path
    return not any(path == p or path.startswith(p) for p in _NOT_PAGES)


def page_error(request: Request, status_code: int, message: str) -> Response:
    if isinstance(status_code, int) and status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        url = f"/login?next={quote(target, safe='')}"
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)
    title = _(_TITLES.get(status_code, N_("Something went wrong")))
    if request.headers.get("HX-Request") == "true":
        return HTMLResponse('<div class="alert alert-error" role="alert"></div>', status_code=status_code,
                            headers={"HX-Error": quote(message)})
    return templates.TemplateResponse(request, "error.html", {"status_code": status_code, "title": title,
                                                              "actor": getattr(request.state, "page_actor", None),
                                                              "message": message}, status_code=status_code)


def install(app: FastAPI) -> None:
    """Wrap the app's JSON error handlers: pages get HTML, the API keeps its JSON."""
    api_domain = app.exception_handlers.get(InvestDeskError)
    api_invalid = app.exception_handlers.get(RequestValidationError)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvestDeskError)
        if isinstance(exc, Conflict) and exc.record is not None:
            await run_in_threadpool(tell_refused_edit, request.app.state.engine,
                                    getattr(request.state, "actor", None), exc)
        if is_page(request):
            if isinstance(exc, PasswordChangeRequired):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/account/password?next={quote(target, safe='')}", status_code=303)
            return page_error(request, 401 if isinstance(exc, NotAuthenticated) else exc.status_code, exc.message)
        assert api_domain is not None
        return await api_domain(request, exc)  # type: ignore[misc]

    async def invalid_request(request: Request, exc: Exception) -> Response:
        if is_page(request) and api_invalid is not None:
            return page_error(request, 404, _("This address does not name a record."))
        assert api_invalid is not None
        return await api_invalid(request, exc)  # type: ignore[misc]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if is_page(request) and exc.status_code in (404, 405):
            return page_error(request, exc.status_code, _("There is no page at this address.") if exc.status_code == 404
                              else _("This page does not accept that kind of request."))
        from fastapi.exception_handlers import http_exception_handler

        return await http_exception_handler(request, exc)

    if api_domain is not None:
        app.add_exception_handler(InvestDeskError, domain_error)
    if api_invalid is not None:
        app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
