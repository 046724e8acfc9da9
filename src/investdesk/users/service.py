"""Users and sign-in. Every write is audited; nothing commits here. API tokens: tokens.py; browser sessions:
sessions.py; the sign-in throttle: throttle.py; password rules: passwords.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from investdesk.i18n import _
from investdesk.models import ApiToken, LoginAttempt, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor, Perm, require
from investdesk.users import passwords, recent, security, sessions
from investdesk.users.passwords import MIN_PASSWORD_LENGTH
from investdesk.users.schemas import UserCreate

__all__ = ["MIN_PASSWORD_LENGTH", "actor_for", "authenticate", "change_own_password", "create_user", "disable",
           "enable", "ensure_admin", "ensure_demo_users", "get_by_email", "id_by_email", "list_users", "names",
           "options", "set_password"]
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
                 name=user.name or "", language=user.language or "en")


def _one_time_expiry() -> dt.datetime:
    return utcnow() + dt.timedelta(hours=get_settings().one_time_password_hours)


def create_user(session: Session, *, actor: Actor, data: UserCreate, check_password: bool = True) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none was given: a one-time password that
    expires and signs in once), shown once. A given password must pass the password rules."""
    require(actor, Perm.manage_users)
    if session.scalar(select(User.id).where(func.lower(User.email) == data.email)) is not None:
        raise Conflict(_('email: a user %(email)s already exists', email=data.email), field="email")
    if data.password is not None and check_password:
        passwords.check(data.password, email=data.email, name=data.name, field="password")
    password = data.password or security.new_password()
    user = User(email=data.email, name=data.name, role=data.role, districts=data.districts,
                departments=data.departments, password_hash=security.hash_password(password),
                must_change_password=data.password is None,
                otp_expires_at=_one_time_expiry() if data.password is None else None)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="user", entity_id=user.id,
                 after=audit.snapshot(user), summary=f"created user {user.email} ({user.role.value})")
    return user, password


def get_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(_('user %(email)s not found', email=email), field="email")
    return user


def id_by_email(session: Session, email: str | None) -> int | None:
    """The id of the user with this e-mail (None for no e-mail); an unknown one is NotFound, naming it."""
    return get_by_email(session, email).id if email else None


def set_password(session: Session, *, actor: Actor, email: str, password: str | None = None) -> str:
    """Set (or generate a one-time) password for a user; returns it. Every session of the user ends."""
    require(actor, Perm.manage_users)
    user = get_by_email(session, email)
    if password is not None:
        passwords.check(password, email=user.email, name=user.name, field="password")
    new = password or security.new_password()
    user.password_hash, user.must_change_password = security.hash_password(new), password is None
    user.otp_expires_at, user.otp_used_at = (_one_time_expiry() if password is None else None), None
    sessions.end_all(session, user_id=user.id)
    audit.record(session, actor=actor, action="password", entity_type="user", entity_id=user.id,
                 summary=f"password of {user.email} changed")
    return new


def change_own_password(session: Session, *, actor: Actor, current: str, new: str, confirm: str) -> User:
    """A signed-in user replaces their password (the one-time one first of all); the current one is asked
    again, and the new one must differ from it and pass the password rules. Every session of the user ends
    (the caller starts a new one for the browser that asked)."""
    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None or not user.is_active:
        raise NotAuthenticated(_("sign in first"))
    if not security.verify_password(user.password_hash, current):
        raise ValidationFailed(_("current: this is not your current password"), field="current")
    passwords.check(new, email=user.email, name=user.name, field="new")
    if new == current:
        raise ValidationFailed(_("new: choose a password other than the current one"), field="new")
    if new != confirm:
        raise ValidationFailed(_("confirm: the two new passwords differ"), field="confirm")
    user.password_hash, user.must_change_password = security.hash_password(new), False
    user.otp_expires_at = user.otp_used_at = None
    sessions.end_all(session, user_id=user.id)
    audit.record(session, actor=actor, action="password", entity_type="user", entity_id=user.id,
                 summary=f"{user.email} changed their password")
    return user


def set_language(session: Session, *, actor: Actor, language: str) -> User:
    """The signed-in user's interface language ("en" or "hi"), kept in their profile."""
    from investdesk.i18n import LANGUAGES

    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None or not user.is_active:
        raise NotAuthenticated(_("sign in first"))
    if language not in LANGUAGES:
        raise ValidationFailed(_("language: choose one of %(choices)s", choices=", ".join(LANGUAGES)),
                               field="language")
    if user.language != language:
        before = audit.snapshot(user)
        user.language = language
        audit.record(session, actor=actor, action="update", entity_type="user", entity_id=user.id, before=before,
                     after=audit.snapshot(user), summary=f"{user.email} chose the language {language}")
        recent.forget_on_commit(session)  # the remembered identity carries the language: read it anew
    return user


def disable(session: Session, *, actor: Actor, email: str) -> User:
    """The user can no longer sign in: their sessions end and their API tokens are revoked."""
    require(actor, Perm.manage_users)
    user = get_by_email(session, email)
    before = audit.snapshot(user)
    user.is_active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    sessions.end_all(session, user_id=user.id)
    audit.record(session, actor=actor, action="disable", entity_type="user", entity_id=user.id, before=before,
                 after=audit.snapshot(user), summary=f"disabled {user.email}")
    return user


def enable(session: Session, *, actor: Actor, email: str) -> User:
    """A disabled user may sign in again (with their password; revoked API tokens stay revoked)."""
    require(actor, Perm.manage_users)
    user = get_by_email(session, email)
    if user.is_active:
        raise Conflict(_('email: %(email)s is not disabled', email=user.email), field="email")
    before = audit.snapshot(user)
    user.is_active = True
    audit.record(session, actor=actor, action="enable", entity_type="user", entity_id=user.id, before=before,
                 after=audit.snapshot(user), summary=f"enabled {user.email}")
    return user


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require(actor, Perm.manage_users)
    return list(session.scalars(select(User).order_by(User.email)))


def options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the active users, by name (the e-mail when no name is known): an owner picker's choices."""
    rows = session.execute(select(User.id, User.name, User.email).where(User.is_active.is_(True)).order_by(User.name))
    return [(uid, name or email) for uid, name, email in rows]


def names(session: Session, ids: set[int | None]) -> dict[int, str]:
    """The names of these users (the e-mail when no name is known), in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name, User.email).where(User.id.in_(wanted)))
    return {uid: name or email for uid, name, email in rows}


def authenticate(session: Session, *, email: str, password: str, address: str) -> User:
    """The user with this e-mail and password. One message for an unknown user and a wrong password. A one-time
    password signs in once and only until it expires. (The caller throttles attempts: throttle.py.)"""
    email = email.strip().lower()
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    ok = security.verify_password(user.password_hash if user else None, password) and bool(user and user.is_active)
    session.add(LoginAttempt(email=email[:254], address=address[:64], success=ok))
    if not ok or user is None:
        raise NotAuthenticated(_("wrong e-mail or password"))
    if user.must_change_password:
        expires = user.otp_expires_at
        if expires is not None and (expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)) <= utcnow():
            raise NotAuthenticated(_("this one-time password has expired; ask an administrator for a new one"))
        if user.otp_used_at is not None:
            raise NotAuthenticated(_("this one-time password was used already; ask an administrator for a new one"))
        user.otp_used_at = utcnow()
    user.last_login_at = utcnow()
    return user


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
            # The documented demo passwords name their role, which the password rules refuse for real users.
            user, _ = create_user(session, actor=Actor.system("demo"), data=UserCreate(
                email=email, name=name, role=role, password=password, districts=districts,
                departments=departments), check_password=False)
            user.must_change_password = False
            created.append((email, password))
    return created
