"""Request dependencies: the unit of work and the acting user.

Each request gets one session; it commits once when the route returns and
rolls back on any error, before the response is sent (``scope="function"``),
so a client never sees success for a write that did not land.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from investdesk.db import transaction, user_errors
from investdesk.permissions import Actor


def get_session(request: Request) -> Iterator[Session]:
    with user_errors(), transaction(request.app.state.engine) as session:
        yield session


# What a session signed in with a one-time password may reach: choosing a new password, and signing out.
WHILE_PASSWORD_CHANGE_REQUIRED = frozenset({"/account/password", "/api/account/password", "/logout"})


def get_actor(request: Request) -> Actor:
    """The signed-in user as an Actor; identified by the authentication layer (web/auth.py) before the route.
    A session opened with a one-time password gets nothing but the password change, on pages and API alike."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        from investdesk.errors import NotAuthenticated

        raise NotAuthenticated("sign in or send an API token (Authorization: Bearer ...)")
    if actor.must_change_password and request.url.path not in WHILE_PASSWORD_CHANGE_REQUIRED:
        from investdesk.errors import PasswordChangeRequired

        raise PasswordChangeRequired("choose a new password first (/account/password)")
    return actor


async def read_form(request: Request) -> FormData:
    """The posted form, parsed once (streaming) on the event loop, so the route itself can be a plain ``def``
    that runs in the thread pool with its database work."""
    return await request.form()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = Annotated[Actor, Depends(get_actor)]
FormDep = Annotated[FormData, Depends(read_form)]


# Record ids are 32-bit on PostgreSQL (INTEGER) and 64-bit on SQLite; a larger one names no record.
MAX_ID = 2**31 - 1


def check_path_ids(request: Request) -> None:
    """An id in the address too large to exist is an unknown record, named by its parameter."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and value.isdigit() and int(value) > MAX_ID:
            from investdesk.errors import NotFound

            raise NotFound(f"{name}: no record with id {value}", field=name)


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
        raise ValidationFailed(f"{field or 'request'}: NUL characters are not allowed", field=field or None)
