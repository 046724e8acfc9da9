"""The signed-in user's own API tokens (every user's for an administrator) and password."""

from __future__ import annotations

from fastapi import APIRouter, Response

from investdesk.i18n import _
from investdesk.models import ApiToken
from investdesk.users import service, tokens
from investdesk.users.schemas import PasswordChange, TokenCreate, TokenCreated, TokenRead
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(tags=["account"])


def _read(token: ApiToken, email: str) -> TokenRead:
    return TokenRead(id=token.id, user_id=token.user_id, user_email=email, name=token.name, prefix=token.prefix,
                     created_at=token.created_at, last_used_at=token.last_used_at, expires_at=token.expires_at,
                     revoked_at=token.revoked_at, live=tokens.is_live(token))


@router.get("/tokens")
def list_tokens(session: SessionDep, actor: ActorDep, all: bool = False) -> list[TokenRead]:
    """Your API tokens; with ``all=true`` (administrators) everyone's."""
    return [_read(t, email) for t, email in tokens.list_tokens(session, actor=actor, everyone=all)]


@router.post("/tokens", status_code=201)
def create_token(session: SessionDep, actor: ActorDep, data: TokenCreate) -> TokenCreated:
    """A new personal API token (send it as ``Authorization: Bearer TOKEN``); shown once."""
    if actor.id is None:
        from investdesk.errors import ValidationFailed

        raise ValidationFailed(_("tokens belong to a user; create them with `investdesk user token`"))
    token, raw = tokens.create_token(session, actor=actor, user_id=actor.id, name=data.name,
                                     expires_in_days=data.expires_in_days)
    return TokenCreated(id=token.id, name=token.name, token=raw, expires_at=token.expires_at)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(session: SessionDep, actor: ActorDep, token_id: int) -> Response:
    """Revoke one of your tokens (any token, for an administrator); it stops working at once."""
    tokens.revoke_token(session, actor=actor, token_id=token_id)
    return Response(status_code=204)


@router.post("/account/password", status_code=204)
def change_password(session: SessionDep, actor: ActorDep, data: PasswordChange) -> Response:
    """Replace your password (the only thing a session signed in with a one-time password may do). Every
    session of yours ends, this one too: sign in again with the new password."""
    service.change_own_password(session, actor=actor, current=data.current, new=data.new, confirm=data.confirm)
    return Response(status_code=204)
