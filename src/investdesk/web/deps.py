"""Request dependencies: the unit of work and the acting user.

Each request gets one session; it commits once when the route returns and
rolls back on any error, before the response is sent (``scope="function"``),
so a client never sees success for a write that did not land.

No request thread ever waits for a database connection that another request holds while it waits for a
thread: at most ``INVESTDESK_DB_POOL_SIZE`` requests hold a session at once (the others wait on the event loop,
holding nothing), the sign-in look-ups have their own few connections (web/auth.py), and the pool has room for
both (db.get_engine). FastAPI validates a plain ``def`` route's response in the thread pool before the session
is closed, so without the slots every thread could be waiting for a connection held by a request that waits
for a thread: the "QueuePool limit ... timed out" stall.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from investdesk.db import session_factory, user_errors
from investdesk.i18n import _
from investdesk.paging import PageParams
from investdesk.permissions import Actor

T = TypeVar("T")
_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[int, str], Any]] = \
    weakref.WeakKeyDictionary()


def loop_local(owner: object, name: str, make: Callable[[], T]) -> T:
    """One object per event loop and owner (anyio's semaphores and limiters belong to a loop)."""
    store = _per_loop.setdefault(asyncio.get_running_loop(), {})
    key = (id(owner), name)
    if key not in store:
        store[key] = make()
    found: T = store[key]
    return found


@asynccontextmanager
async def session_slot(request: Request) -> AsyncIterator[None]:
    size = request.app.state.settings.db_pool_size
    async with loop_local(request.app, "session slots", lambda: anyio.Semaphore(size)):
        yield


async def in_thread(fn: Callable[[], object]) -> None:
    """Commit, roll back or close off the loop, without waiting for a pool thread (its own limiter) and
    without being cut short by a client that went away."""
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(fn, limiter=anyio.CapacityLimiter(1))


def _finish(session: Session, *, commit: bool) -> Callable[[], None]:
    """Commit (or roll back) and close in one trip to a thread: each trip costs the loop a hand-over."""
    def finish() -> None:
        if commit:
            session.commit()  # on error the session stays open: the caller rolls back and closes
        else:
            session.rollback()
        session.close()
    return finish


async def get_session(request: Request) -> AsyncIterator[Session]:
    async with session_slot(request):
        session = session_factory(request.app.state.engine)()
        closed = False
        try:
            with user_errors():
                try:
                    yield session
                    await in_thread(_finish(session, commit=True))
                    closed = True
                except BaseException:
                    await in_thread(_finish(session, commit=False))
                    closed = True
                    raise
        finally:
            if not closed:
                await in_thread(session.close)


# What a session signed in with a one-time password may reach: choosing a new password, and signing out.
WHILE_PASSWORD_CHANGE_REQUIRED = frozenset({"/account/password", "/api/account/password", "/logout"})


async def get_actor(request: Request) -> Actor:
    """The signed-in user as an Actor; identified by the authentication layer (web/auth.py) before the route.
    A session opened with a one-time password gets nothing but the password change, on pages and API alike.
    Asynchronous, as every dependency that touches no database: a plain ``def`` one costs a trip to a thread."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        from investdesk.errors import NotAuthenticated

        raise NotAuthenticated(_("sign in or send an API token (Authorization: Bearer ...)"))
    if actor.must_change_password and request.url.path not in WHILE_PASSWORD_CHANGE_REQUIRED:
        from investdesk.errors import PasswordChangeRequired

        raise PasswordChangeRequired(_("choose a new password first (/account/password)"))
    return actor


async def read_form(request: Request) -> FormData:
    """The posted form, parsed once (streaming) on the event loop, so the route itself can be a plain ``def``
    that runs in the thread pool with its database work."""
    return await request.form()


async def page_query(page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                     per_page: Annotated[int, Query(ge=1, le=500)] = 50) -> PageParams:
    """``?page=`` and ``?per_page=`` of an API list, read on the loop (a class as a dependency is called in a
    thread)."""
    return PageParams(page=page, per_page=per_page)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
PageDep = Annotated[PageParams, Depends(page_query)]
ActorDep = Annotated[Actor, Depends(get_actor)]
FormDep = Annotated[FormData, Depends(read_form)]


# Record ids are 32-bit on PostgreSQL (INTEGER) and 64-bit on SQLite; a larger one names no record.
MAX_ID = 2**31 - 1


async def check_path_ids(request: Request) -> None:
    """An id in the address too large to exist is an unknown record, named by its parameter."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and value.isdigit() and int(value) > MAX_ID:
            from investdesk.errors import NotFound

            raise NotFound(_('%(name)s: no record with id %(value)s', name=name, value=value), field=name)


def _nul_path(value: object, path: str) -> str | None:
    """The dotted path of the first string holding a NUL character, if any."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items: list[tuple[str, object]] = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for key, item in items:
        found = _nul_path(key, path) if "\x00" in key else _nul_path(item, f"{path}.{key}" if path else key)
        if found is not None:
            return found
    return None


async def refuse_nul_characters(request: Request) -> None:
    """NUL characters have no place in a record (PostgreSQL cannot store them in text): refused at the door,
    naming the field, for the query string, JSON bodies and plain forms. File uploads are read by their own
    route, which checks their content by type."""
    from urllib.parse import parse_qsl

    from investdesk.errors import ValidationFailed

    field = _nul_path(dict(parse_qsl(request.url.query, keep_blank_values=True)), "")
    content_type = request.headers.get("content-type", "")
    if field is None and request.method in ("POST", "PUT", "PATCH"):
        if content_type.startswith("application/json"):
            import json

            try:
                field = _nul_path(json.loads(await request.body() or b"null"), "")
            except ValueError:
                return  # not JSON: the route's own validation says so
        elif content_type.startswith("application/x-www-form-urlencoded"):
            form = await request.form()  # parsed once: the route reads the same parsed form
            field = _nul_path({k: v for k, v in form.multi_items() if isinstance(v, str)}, "")
    if field is not None:
        raise ValidationFailed(_('%(request)s: NUL characters are not allowed',
                                 request=field or 'request'), field=field or None)
