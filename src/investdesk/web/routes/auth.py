"""Sign in and out, and choose a new password."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from investdesk.db import transaction
from investdesk.errors import NotAuthenticated, ValidationFailed
from investdesk.i18n import _
from investdesk.users import passwords, sessions, throttle
from investdesk.users import service as users
from investdesk.web.auth import COOKIE, LOGIN_COOKIE, lifetime, login_csrf, secret, set_session
from investdesk.web.deps import ActorDep, SessionDep, session_slot
from investdesk.web.routes.common import FLASH_COOKIE
from investdesk.web.templating import templates

router = APIRouter(include_in_schema=False)


def _local(next_url: str | None) -> str:
    """Only paths on this site: never send a signed-in user to another host."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/"
    return next_url


def _login_page(request: Request, next_url: str | None, *, error: str | None = None, email: str = "",
                status_code: int = 200) -> Response:
    """The sign-in form, its token tied to this browser's own sign-in cookie (set here when missing), so a form
    from another browser, or another site, does not sign this one in."""
    value = getattr(request.state, "login_cookie", None) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(request, "auth/login.html", {
        "next": _local(next_url), "error": error, "email": email,
        "login_token": login_csrf(secret(request), value)}, status_code=status_code)
    if value != getattr(request.state, "login_cookie", None):
        response.set_cookie(LOGIN_COOKIE, value, max_age=3600, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, expired: bool = False) -> Response:
    return _login_page(request, next, error=_("The form expired; please sign in again.") if expired else None)


def _reserve(engine: Engine, email: str, address: str) -> float:
    with transaction(engine) as session:
        return throttle.reserve(session, email=email, address=address)


def _sign_in(request: Request, email: str, password: str, address: str) -> tuple[str, bool] | str:
    """A new session (cookie value, one-time?) or why not; the attempt and the throttle's counts are kept either
    way."""
    with transaction(request.app.state.engine) as session:
        try:
            user = users.authenticate(session, email=email, password=password, address=address)
        except NotAuthenticated as exc:
            throttle.settle(session, email=email, address=address, ok=False)
            return exc.message
        throttle.settle(session, email=email, address=address, ok=True)
        one_time = user.must_change_password
        raw = sessions.start(session, user=user, one_time=one_time, address=address,
                             lifetime=lifetime(request.app.state.settings))
        return raw, one_time


@router.post("/login")
async def login(request: Request, email: Annotated[str, Form(max_length=254)],
                password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/") -> Response:
    """The CSRF token and the Origin were checked at the door (web/auth.py). Database work runs in worker threads;
    the per-account back-off waits here without holding one."""
    address = request.client.host if request.client else "unknown"
    try:
        async with session_slot(request):
            delay = await run_in_threadpool(_reserve, request.app.state.engine, email, address)
    except throttle.TooManyAttempts as exc:
        return _login_page(request, next, error=exc.message, email=email, status_code=429)
    if delay:
        await anyio.sleep(delay)
    async with session_slot(request):
        outcome = await run_in_threadpool(_sign_in, request, email, password, address)
    if isinstance(outcome, str):
        return _login_page(request, next, error=outcome, email=email, status_code=401)
    raw, one_time = outcome
    target = _local(next)
    if one_time:
        target = f"/account/password?next={quote(target, safe='')}"
    response = RedirectResponse(target, status_code=303)
    set_session(response, request, raw)
    return response


def _password_page(request: Request, next_url: str, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = getattr(request.state, "actor", None)
    return templates.TemplateResponse(request, "auth/password.html", {
        "next": _local(next_url), "errors": errors, "actor": None, "email": actor.label if actor else "",
        "forced": bool(actor and actor.must_change_password), "minimum": passwords.MIN_PASSWORD_LENGTH},
        status_code=status_code)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, actor: ActorDep, next: str | None = None) -> Response:
    return _password_page(request, next or "/", {})


@router.post("/account/password")
def change_password(request: Request, session: SessionDep, actor: ActorDep,
                    current: Annotated[str, Form(max_length=200)] = "", new: Annotated[str, Form(max_length=200)] = "",
                    confirm: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form()] = "/") -> Response:
    """Every session of the user ends (a stolen cookie with it); this browser gets a fresh one."""
    try:
        user = users.change_own_password(session, actor=actor, current=current, new=new, confirm=confirm)
    except ValidationFailed as exc:
        session.rollback()
        return _password_page(request, next, {exc.field or "new": exc.message.split(": ", 1)[-1]}, status_code=422)
    address = request.client.host if request.client else "unknown"
    raw = sessions.start(session, user=user, one_time=False, address=address,
                         lifetime=lifetime(request.app.state.settings))
    response = RedirectResponse(_local(next), status_code=303)
    set_session(response, request, raw)
    response.set_cookie(FLASH_COOKIE, quote(_("Password changed.")), max_age=60, path="/", httponly=True,
                        samesite="lax")
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    """This browser's session ends on the server, not only its cookie."""
    raw = getattr(request.state, "session_cookie", None)
    if raw:
        sessions.end(session, raw=raw)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/account/language")
def choose_language(request: Request, session: SessionDep, actor: ActorDep,
                    language: Annotated[str, Form(max_length=8)] = "en",
                    next: Annotated[str, Form()] = "/") -> Response:
    """The top bar's language switch: kept in the user's profile, so every page, mail and paper follows it."""
    users.set_language(session, actor=actor, language=language)
    response: Response = RedirectResponse(_local(next), status_code=303)
    if request.headers.get("HX-Request") == "true":
        response = Response(status_code=204, headers={"HX-Redirect": _local(next)})
    return response
