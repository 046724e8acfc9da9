"""Personal API tokens: only their hash is kept; each may expire; listed and revoked by their owner or an
administrator."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.db import utcnow
from investdesk.errors import NotFound
from investdesk.i18n import _
from investdesk.models import ApiToken, User
from investdesk.permissions import Actor, Perm, require
from investdesk.users import recent, security

# ``last_used_at`` is written at most this often per token: a read request does not write.
USED_EVERY = dt.timedelta(minutes=5)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def create_token(session: Session, *, actor: Actor, user_id: int, name: str,
                 expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """A personal API token for a user (themselves, or anyone for an admin); the token is shown once."""
    if actor.id != user_id:
        require(actor, Perm.manage_users)
    if session.get(User, user_id) is None:
        raise NotFound(_('user %(user_id)s not found', user_id=user_id), field="user_id")
    raw = security.new_token()
    expires = utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(user_id=user_id, name=name, prefix=raw[:10], token_hash=security.token_hash(raw),
                     expires_at=expires)
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="api_token", entity_id=token.id,
                 after={"user_id": user_id, "name": name, "prefix": token.prefix,
                        "expires_at": expires.isoformat() if expires else None}, summary=f"API token {name}")
    return token, raw


def list_tokens(session: Session, *, actor: Actor, user_id: int | None = None,
                everyone: bool = False) -> list[tuple[ApiToken, str]]:
    """Tokens with their owner's e-mail: the actor's own; a given user's or everyone's for an administrator."""
    stmt = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if everyone or (user_id is not None and user_id != actor.id):
        require(actor, Perm.manage_users)
    if not everyone:
        stmt = stmt.where(ApiToken.user_id == (user_id if user_id is not None else actor.id))
    return [(token, email) for token, email in session.execute(stmt)]


def revoke_token(session: Session, *, actor: Actor, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.has(Perm.manage_users)):
        raise NotFound(_('token %(token_id)s not found', token_id=token_id), field="token_id")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        recent.forget_on_commit(session)
        audit.record(session, actor=actor, action="revoke", entity_type="api_token", entity_id=token.id,
                     summary=f"revoked API token {token.name}")
    return token


def is_live(token: ApiToken, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return token.revoked_at is None and (token.expires_at is None or _aware(token.expires_at) > now)


def actor_for_token(session: Session, raw: str) -> Actor | None:
    """The actor of a live token of an active user, or None."""
    return lookup(session, raw)[0]


def lookup(session: Session, raw: str) -> tuple[Actor | None, dt.datetime | None]:
    """The actor of a live token of an active user and the time the token expires, or (None, None). Writes
    ``last_used_at`` at most every USED_EVERY."""
    from investdesk.users.service import actor_for

    # The token and its user in one statement: this runs at the door of every request not remembered.
    found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                            .where(ApiToken.token_hash == security.token_hash(raw))).first()
    now = utcnow()
    if found is None:
        return None, None
    token, user = found
    if not is_live(token, now) or not user.is_active:
        return None, None
    if token.last_used_at is None or _aware(token.last_used_at) + USED_EVERY <= now:
        stale = (ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < now - USED_EVERY)
        session.execute(update(ApiToken).where(ApiToken.id == token.id, stale).values(last_used_at=now),
                        execution_options={"synchronize_session": False})  # the database compares, not Python
    return actor_for(user), _aware(token.expires_at) if token.expires_at is not None else None
