"""Passwords (argon2), API tokens (only their hash is kept) and signed session values."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
TOKEN_PREFIX = "idk_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        # Same work either way, so a missing account takes as long as a wrong password.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    return secrets.token_urlsafe(12)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign_session(user_id: int, secret: str, *, now: float | None = None) -> str:
    """``user_id.issued.nonce.mac``: the cookie value of a signed-in browser."""
    message = f"{user_id}.{int(now or time.time())}.{secrets.token_hex(8)}"
    return f"{message}.{_mac(secret, message)}"


def read_session(value: str | None, secret: str, *, max_age: int, now: float | None = None) -> int | None:
    """The user id of a valid, unexpired session value; None for anything else."""
    if not value or value.count(".") != 3:
        return None
    message, mac = value.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, message)):
        return None
    user_id, issued, _nonce = message.split(".")
    if not (user_id.isdigit() and issued.isdigit()) or (now or time.time()) - int(issued) > max_age:
        return None
    return int(user_id)


def csrf_token(session_value: str | None, secret: str) -> str:
    """A form token tied to the browser's session (or to no session, for the sign-in form)."""
    return _mac(secret, "csrf:" + (session_value or "anonymous"))[:40]
