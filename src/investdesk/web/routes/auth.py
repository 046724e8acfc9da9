"""Sign in and out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from investdesk.errors import NotAuthenticated, ValidationFailed
from investdesk.users import service as users
from investdesk.web.auth import COOKIE, csrf_token, set_session
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes.common import FLASH_COOKIE
from investdesk.web.templating import templates

router = APIRouter(include_in_schema=False)


def _local(next_url: str | None) -> str:
    """Only paths on this site: never send a signed-in user to another host."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/"
    return next_url


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(request, "auth/login.html", {"next": _local(next), "error": None})


@router.post("/login")
def login(request: Request, session: SessionDep, email: Annotated[str, Form(max_length=254)],
          password: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(alias="csrf_token")] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    if csrf != csrf_token(request):
        return templates.TemplateResponse(request, "auth/login.html", {
            "next": _local(next), "error": "The form expired; please sign in again.", "email": email}, status_code=403)
    address = request.client.host if request.client else "unknown"
    try:
        user = users.authenticate(session, email=email, password=password, address=address)
    except NotAuthenticated as exc:
        session.commit()  # keep the failed attempt for the rate limit
        return templates.TemplateResponse(request, "auth/login.html", {
            "next": _local(next), "error": exc.message, "email": email}, status_code=401)
    target = _local(next)
    if user.must_change_password:
        target = f"/account/password?next={quote(target, safe='')}"
    response = RedirectResponse(target, status_code=303)
    set_session(response, request, user.id)
    return response


def _password_page(request: Request, next_url: str, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = getattr(request.state, "actor", None)
    return templates.TemplateResponse(request, "auth/password.html", {
        "next": _local(next_url), "errors": errors, "actor": None, "email": actor.label if actor else "",
        "forced": bool(actor and actor.must_change_password), "minimum": users.MIN_PASSWORD_LENGTH},
        status_code=status_code)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, actor: ActorDep, next: str | None = None) -> Response:
    return _password_page(request, next or "/", {})


@router.post("/account/password")
def change_password(request: Request, session: SessionDep, actor: ActorDep,
                    current: Annotated[str, Form(max_length=200)] = "", new: Annotated[str, Form(max_length=200)] = "",
                    confirm: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form()] = "/") -> Response:
    try:
        users.change_own_password(session, actor=actor, current=current, new=new, confirm=confirm)
    except ValidationFailed as exc:
        session.rollback()
        return _password_page(request, next, {exc.field or "new": exc.message.split(": ", 1)[-1]}, status_code=422)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(FLASH_COOKIE, quote("Password changed."), max_age=60, path="/", httponly=True,
                        samesite="lax")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
