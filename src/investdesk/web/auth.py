"""Who is asking, checked at the door of every request: a server-side session (browsers, by cookie) or a bearer
API token (scripts); size limits and CSRF checks on every unsafe request; security headers on every response.

A pure ASGI middleware, so nothing here blocks the event loop: the one database look-up (who owns this cookie or
token) runs in a worker thread with its own short transaction, and a read writes nothing (``last_seen_at`` and
``last_used_at`` are refreshed at most every few minutes). An unsafe request is refused before its body is read
when nobody is signed in, when it comes from another site, or when it announces a body over the limit; a body
sent without a length is counted while it streams and cut off at the limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from http.cookies import _unquote
from urllib.parse import quote, urlsplit

import anyio
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from investdesk import i18n
from investdesk.config import Settings
from investdesk.permissions import Actor
from investdesk.users import recent, sessions, tokens
from investdesk.web.bodies import BodyTooLarge, FormToken, body_limit, declared_length, limited
from investdesk.web.templating import templates

COOKIE = "investdesk_session"
LOGIN_COOKIE = "investdesk_login"  # a per-browser value that the sign-in form's token is tied to
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Unsafe requests that need no signed-in user (sign-in itself; sign-out of an expired session), and those whose
# path carries its own signed token (unsubscribing from a kind of e-mail, from a link in that e-mail).
OPEN_DOORS = {"/login", "/logout"}
OPEN_PREFIXES = ("/unsubscribe/",)
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


def lifetime(settings: Settings) -> sessions.Lifetime:
    return sessions.Lifetime(idle=dt.timedelta(minutes=settings.session_idle_minutes),
                             absolute=dt.timedelta(hours=settings.session_max_hours))


def one_cookie(headers: Headers, name: str) -> str | None:
    """The one value of a cookie, read the same way for authentication and for the CSRF check. Two different
    non-empty values under one name (``s=; s=A`` is one, ``s=A; s=B`` is two) are ambiguous: no value."""
    values = set()
    for part in headers.get("cookie", "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key.strip() == name and value.strip():
            values.add(_unquote(value.strip()))
    return values.pop() if len(values) == 1 else None


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def session_csrf(secret: str, session_value: str) -> str:
    return _mac(secret, "csrf:" + session_value)


def login_csrf(secret: str, login_value: str) -> str:
    return _mac(secret, "login:" + login_value)


def secret(request: Request) -> str:
    key: str = request.app.state.secret_key
    return key


def csrf_token(request: Request) -> str:
    """The token every form and HTMX request of this browser must send back (tied to its session, or before
    sign-in to its own sign-in value)."""
    state = request.state
    if getattr(state, "session_cookie", None):
        return session_csrf(secret(request), state.session_cookie)
    if getattr(state, "login_cookie", None):
        return login_csrf(secret(request), state.login_cookie)
    return ""


def _same_origin(headers: Headers) -> bool:
    """An Origin (or, without one, a Referer) naming another site, or the opaque ``null``, is refused; a request
    with neither (an old browser, a script) relies on the token alone."""
    host = headers.get("host", "")
    origin = headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc == host
    referer = headers.get("referer")
    return referer is None or urlsplit(referer).netloc == host


def _lookup(app: FastAPI, bearer: str | None, session_value: str | None) -> tuple[Actor | None, str | None]:
    """Runs in a worker thread: the actor behind a token or a session cookie; a live one is remembered for a few
    seconds (users/recent.py). One statement, and at most one conditional update every few minutes, each its own
    transaction (autocommit): no BEGIN and COMMIT round trips, on a look-up that about half the requests of a busy
    server make."""
    settings: Settings = app.state.settings
    if bearer is not None:
        kind, raw = "token", bearer
    elif session_value is not None:
        kind, raw = "cookie", session_value
    else:
        return None, None
    autocommit = app.state.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as connection, Session(bind=connection) as session:
        if kind == "token":
            actor, ends_at = tokens.lookup(session, raw)
        else:
            actor, ends_at = sessions.lookup(session, raw, lifetime=lifetime(settings))
    if actor is not None:
        recent.put(recent.key(kind, raw), actor, ends_at=ends_at)
    return actor, kind


def _remembered(bearer: str | None, session_value: str | None) -> tuple[Actor | None, str | None]:
    if bearer is not None:
        return recent.get(recent.key("token", bearer)), "token"
    if session_value is not None:
        return recent.get(recent.key("cookie", session_value)), "cookie"
    return None, None


def _refusal(status: int, detail: str, error: str, scope: Scope) -> Response:
    path = scope["path"]
    if status == 401 and not path.startswith("/api"):
        # A page: back to the sign-in form, as the pages' own error handler does.
        url = f"/login?next={quote(path, safe='')}"
        if Headers(scope=scope).get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": url, **SECURITY_HEADERS})
        return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=SECURITY_HEADERS)


class GuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fastapi_app: FastAPI = scope["app"]
        settings: Settings = fastapi_app.state.settings
        headers = Headers(scope=scope)
        authorization = headers.get("authorization", "")
        bearer = authorization[7:].strip() if authorization[:7].lower() == "bearer " else None
        session_value = one_cookie(headers, COOKIE)
        state = scope.setdefault("state", {})
        state.update(session_cookie=session_value, login_cookie=one_cookie(headers, LOGIN_COOKIE))
        actor, via = await self._identify(fastapi_app, bearer, session_value)
        state.update(actor=actor, auth_via=via)
        # Pages and papers speak the signed-in user's language; before sign-in, the browser's. Scripts (an API
        # token) get English, so their parsing never depends on a person's choice. Set here, before the
        # application runs, so every thread the request uses inherits it.
        if via == "token":
            language = i18n.DEFAULT
        elif actor is not None:
            language = actor.language
        else:
            language = i18n.from_accept_language(headers.get("accept-language"))
        i18n.set_current(language)
        state["language"] = i18n.current()
        send = _secured(send, credentialed=bool(actor or bearer or session_value))
        limit = body_limit(headers, max_body_mb=settings.max_body_mb, max_upload_mb=settings.max_upload_mb)
        if scope["method"] in UNSAFE:
            refusal = self._refusal(scope, headers, actor, limit)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            # A browser's cookie rides along by itself: the page's token proves the page sent it. A bearer token
            # (or an actor substituted by the application) is never sent by a browser on its own.
            needs_token = scope["path"] == "/login" or (session_value is not None and via in ("cookie", None))
            if needs_token:
                checked = await self._check_token(scope, headers, receive, send, limit, fastapi_app.state.secret_key)
                if checked is None:
                    return
                receive = checked
        try:
            await self.app(scope, limited(receive, limit), send)
        except BodyTooLarge as exc:
            await _refusal(413, exc.detail, "too_large", scope)(scope, receive, send)

    async def _identify(self, app: FastAPI, bearer: str | None,
                        session_value: str | None) -> tuple[Actor | None, str | None]:
        from investdesk.web.deps import get_actor

        # An application (or a test) that substitutes the actor dependency substitutes it here as well.
        override: Callable[[], Actor] | None = app.dependency_overrides.get(get_actor)
        if override is not None:
            return override(), "override"
        if bearer is None and session_value is None:
            return None, None
        actor, via = _remembered(bearer, session_value)
        if actor is not None:
            return actor, via
        from investdesk.db import AUTH_LOOKUPS
        from investdesk.web.deps import loop_local

        # Its own threads and connections (see web/deps.py): a look-up never waits behind a request's session.
        limiter = loop_local(app, "auth look-ups", lambda: anyio.CapacityLimiter(AUTH_LOOKUPS))
        return await anyio.to_thread.run_sync(_lookup, app, bearer, session_value, limiter=limiter)

    @staticmethod
    def _refusal(scope: Scope, headers: Headers, actor: Actor | None, limit: int) -> Response | None:
        if not _same_origin(headers):
            return _refusal(403, "this request comes from another site", "forbidden", scope)
        if actor is None and scope["path"] not in OPEN_DOORS and not scope["path"].startswith(OPEN_PREFIXES):
            return _refusal(401, "sign in or send an API token (Authorization: Bearer ...)", "not_authenticated", scope)
        length = declared_length(headers)
        if length is not None and length > limit:
            return _refusal(413, BodyTooLarge(limit).detail, "too_large", scope)
        return None

    @staticmethod
    async def _check_token(scope: Scope, headers: Headers, receive: Receive, send: Send, limit: int,
                           key: str) -> Receive | None:
        """Compare the page's token (header, or the form's field read while the body streams in) with the one
        tied to this browser; the body, kept, is replayed unchanged to the application."""
        login_value = one_cookie(headers, LOGIN_COOKIE)
        session_value = one_cookie(headers, COOKIE)
        if scope["path"] == "/login":
            expected = login_csrf(key, login_value) if login_value else None
        else:
            expected = session_csrf(key, session_value) if session_value else None
        sent = headers.get("x-csrf-token")
        chunks: list[bytes] = []
        if sent is None:
            form = FormToken(headers.get("content-type", ""))
            size, more = 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await _refusal(413, BodyTooLarge(limit).detail, "too_large", scope)(scope, receive, send)
                    return None
                form.feed(chunk)
                chunks.append(chunk)
                more = message.get("more_body", False)
            sent = form.value()
        if not (expected and sent and hmac.compare_digest(sent.encode("latin-1", "replace"), expected.encode())):
            detail = "missing or wrong CSRF token; reload the page and try again"
            if scope["path"] == "/login":
                login_page = RedirectResponse("/login?expired=1", status_code=303, headers=SECURITY_HEADERS)
                await login_page(scope, receive, send)
            else:
                await _refusal(403, detail, "forbidden", scope)(scope, receive, send)
            return None
        if sent is not None and not chunks:
            return receive
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return replay


def _secured(send: Send, *, credentialed: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
            if credentialed and "cache-control" not in headers:
                headers["Cache-Control"] = "no-store"
        await send(message)

    return wrapped


def set_session(response: Response, request: Request, raw: str) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(COOKIE, raw, max_age=settings.session_max_hours * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/")


def install_auth(app: FastAPI, secret_key: str) -> None:
    app.state.secret_key = secret_key
    templates.env.globals["csrf_token"] = csrf_token
    app.add_middleware(GuardMiddleware)
