"""Who is asking: a signed session cookie (browsers) or a bearer API token (scripts); CSRF checks on every
form a browser posts; security headers on every response."""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from investdesk.db import session_factory
from investdesk.users import security
from investdesk.users import service as users
from investdesk.web.templating import templates

COOKIE = "investdesk_session"
SESSION_MAX_AGE = 12 * 3600
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def secret(request: Request) -> str:
    key: str = request.app.state.secret_key
    return key


def csrf_token(request: Request) -> str:
    """The token every form and HTMX request of this browser must send back."""
    return security.csrf_token(request.cookies.get(COOKIE), secret(request))


def _form_token(body: bytes, content_type: str) -> str | None:
    """The ``csrf_token`` field of a posted form, urlencoded or multipart."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("latin-1")).get("csrf_token")
        return values[0] if values else None
    if content_type.startswith("multipart/form-data"):
        m = re.search(rb'name="csrf_token"\r\n(?:[^\r\n]*\r\n)*\r\n([^\r\n]*)\r\n', body)
        return m.group(1).decode("latin-1") if m else None
    return None


class CsrfMiddleware:
    """Browsers send cookies by themselves, so an unsafe request carried by the session cookie must also carry
    the page's token (``X-CSRF-Token`` header or a ``csrf_token`` form field). The body is read here and
    replayed unchanged to the application."""

    def __init__(self, app: ASGIApp, secret_key: str) -> None:
        self.app, self.secret_key = app, secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = _cookie(headers.get("cookie", ""))
        if headers.get("authorization", "").lower().startswith("bearer ") or scope["path"] == "/login" or \
                (cookie is None and scope["path"] != "/logout"):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        sent = headers.get("x-csrf-token") or _form_token(body, headers.get("content-type", ""))
        origin = headers.get("origin")
        same_origin = not origin or urlsplit(origin).netloc == headers.get("host")
        expected = security.csrf_token(cookie, self.secret_key)
        if not (same_origin and sent and hmac.compare_digest(sent, expected)):
            response = JSONResponse({"error": "forbidden", "detail": "missing or wrong CSRF token; reload the page "
                                     "and try again"}, status_code=403, headers=SECURITY_HEADERS)
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value or None
    return None


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.actor = None
        engine = request.app.state.engine
        header = request.headers.get("authorization", "")
        by_token = header.lower().startswith("bearer ")
        if by_token or request.cookies.get(COOKIE):
            with session_factory(engine)() as session, session.begin():
                if by_token:
                    request.state.actor = users.actor_for_token(session, header[7:].strip())
                else:
                    user_id = security.read_session(request.cookies.get(COOKIE), secret(request),
                                                    max_age=SESSION_MAX_AGE)
                    if user_id is not None:
                        request.state.actor = users.actor_for_user_id(session, user_id)
        return _secured(await call_next(request), request)


def _secured(response: Response, request: Request) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.state.actor is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def set_session(response: Response, request: Request, user_id: int) -> None:
    response.set_cookie(COOKIE, security.sign_session(user_id, secret(request)), max_age=SESSION_MAX_AGE,
                        httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/")


def install_auth(app: FastAPI, secret_key: str) -> None:
    app.state.secret_key = secret_key
    templates.env.globals["csrf_token"] = csrf_token
    app.add_middleware(AuthMiddleware)
    app.add_middleware(CsrfMiddleware, secret_key=secret_key)
