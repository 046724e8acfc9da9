"""Users, sign-in and API tokens. Every write is audited; nothing commits here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.db import utcnow
from investdesk.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from investdesk.models import ApiToken, LoginAttempt, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor, Perm, require
from investdesk.users import security
from investdesk.users.schemas import UserCreate

WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
# Demo accounts, one per role; documented in the README and created only by `investdesk demo`.
DEMO_USERS: list[tuple[str, str, Role, str, list[str], list[str]]] = [
    ("admin@demo.investdesk", "Asha Verma", Role.admin, "demo-admin-2025", [], []),
    ("manager@demo.investdesk", "Neha Srivastava", Role.manager, "demo-manager-2025", [], []),
    ("officer@demo.investdesk", "Rahul Mishra", Role.officer, "demo-officer-2025", [], []),
    ("nodal@demo.investdesk", "Sunita Yadav", Role.nodal_officer, "demo-nodal-2025", ["Lucknow", "Jhansi"], []),
    ("viewer@demo.investdesk", "Guest Viewer", Role.viewer, "demo-viewer-2025", [], []),
]


def actor_for(user: User) -> Actor:
    return Actor(id=user.id, label=user.email, role=user.role, districts=tuple(user.districts or ()),
                 departments=tuple(user.departments or ()), must_change_password=user.must_change_password,
                 name=user.name or "")


def create_user(session: Session, *, actor: Actor, data: UserCreate) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none was given), shown once."""
    require(actor, Perm.manage_users)
    if session.scalar(select(User.id).where(func.lower(User.email) == data.email)) is not None:
        raise Conflict(f"email: a user {data.email} already exists", field="email")
    password = data.password or security.new_password()
    user = User(email=data.email, name=data.name, role=data.role, districts=data.districts,
                departments=data.departments, password_hash=security.hash_password(password),
                must_change_password=data.password is None)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="user", entity_id=user.id,
                 after=audit.snapshot(user), summary=f"created user {user.email} ({user.role.value})")
    return user, password


def get_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"user {email} not found", field="email")
    return user


def set_password(session: Session, *, actor: Actor, email: str, password: str | None = None) -> str:
    """Set (or generate) a user's password; returns it."""
    require(actor, Perm.manage_users)
    user = get_by_email(session, email)
    new = password or security.new_password()
    user.password_hash, user.must_change_password = security.hash_password(new), password is None
    audit.record(session, actor=actor, action="password", entity_type="user", entity_id=user.id,
                 summary=f"password of {user.email} changed")
    return new


def change_own_password(session: Session, *, actor: Actor, current: str, new: str, confirm: str) -> User:
    """A signed-in user replaces their password (the one-time one first of all); the current one is asked
    again, and the new one must differ from it."""
    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None or not user.is_active:
        raise NotAuthenticated("sign in first")
    if not security.verify_password(user.password_hash, current):
        raise ValidationFailed("current: this is not your current password", field="current")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"new: at least {MIN_PASSWORD_LENGTH} characters", field="new")
    if new == current:
        raise ValidationFailed("new: choose a password other than the current one", field="new")
    if new != confirm:
        raise ValidationFailed("confirm: the two new passwords differ", field="confirm")
    user.password_hash, user.must_change_password = security.hash_password(new), False
    audit.record(session, actor=actor, action="password", entity_type="user", entity_id=user.id,
                 summary=f"{user.email} changed their password")
    return user


def disable(session: Session, *, actor: Actor, email: str) -> User:
    require(actor, Perm.manage_users)
    user = get_by_email(session, email)
    before = audit.snapshot(user)
    user.is_active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    audit.record(session, actor=actor, action="disable", entity_type="user", entity_id=user.id, before=before,
                 after=audit.snapshot(user), summary=f"disabled {user.email}")
    return user


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require(actor, Perm.manage_users)
    return list(session.scalars(select(User).order_by(User.email)))


def _recent_failures(session: Session, *, email: str | None = None, address: str | None = None) -> int:
    stmt = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(False),
                                                                LoginAttempt.at >= utcnow() - WINDOW)
    stmt = stmt.where(LoginAttempt.email == email) if email is not None else stmt.where(LoginAttempt.address == address)
    return session.scalar(stmt) or 0


def authenticate(session: Session, *, email: str, password: str, address: str) -> User:
    """The user with this e-mail and password. One message for an unknown user and a wrong password;
    too many failures for an account or an address lock sign-in for a while."""
    email = email.strip().lower()
    if _recent_failures(session, email=email) >= MAX_FAILURES_PER_ACCOUNT or \
            _recent_failures(session, address=address) >= MAX_FAILURES_PER_ADDRESS:
        raise NotAuthenticated("too many failed sign-ins; wait 15 minutes and try again")
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    ok = security.verify_password(user.password_hash if user else None, password) and bool(user and user.is_active)
    session.add(LoginAttempt(email=email, address=address, success=ok))
    if not ok or user is None:
        raise NotAuthenticated("wrong e-mail or password")
    user.last_login_at = utcnow()
    return user


def create_token(session: Session, *, actor: Actor, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A personal API token for a user (themselves, or anyone for an admin); the token is shown once."""
    if actor.id != user_id:
        require(actor, Perm.manage_users)
    raw = security.new_token()
    token = ApiToken(user_id=user_id, name=name, prefix=raw[:10], token_hash=security.token_hash(raw))
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="api_token", entity_id=token.id,
                 after={"user_id": user_id, "name": name, "prefix": token.prefix}, summary=f"API token {name}")
    return token, raw


def revoke_token(session: Session, *, actor: Actor, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.has(Perm.manage_users)):
        raise NotFound(f"token {token_id} not found", field="token_id")
    token.revoked_at = utcnow()
    audit.record(session, actor=actor, action="revoke", entity_type="api_token", entity_id=token.id,
                 summary=f"revoked API token {token.name}")


def actor_for_token(session: Session, raw: str) -> Actor | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == security.token_hash(raw),
                                                  ApiToken.revoked_at.is_(None)))
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = utcnow()
    return actor_for(user)


def actor_for_user_id(session: Session, user_id: int) -> Actor | None:
    user = session.get(User, user_id)
    return actor_for(user) if user is not None and user.is_active else None


def ensure_admin(session: Session) -> tuple[User, str] | None:
    """On an empty user table, create an administrator and return its one-time password."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    return create_user(session, actor=Actor.system("first start"),
                       data=UserCreate(email="admin@localhost", name="Administrator", role=Role.admin))


def ensure_demo_users(session: Session) -> list[tuple[str, str]]:
    """The documented demo accounts (one per role); existing ones are left as they are."""
    created = []
    for email, name, role, password, districts, departments in DEMO_USERS:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            user, _ = create_user(session, actor=Actor.system("demo"), data=UserCreate(
                email=email, name=name, role=role, password=password, districts=districts,
                departments=departments))
            user.must_change_password = False
            created.append((email, password))
    return created
