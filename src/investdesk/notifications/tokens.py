"""Signed tokens for links that work without signing in: unsubscribe from one kind of mail."""

from __future__ import annotations

import base64
import hashlib
import hmac

from investdesk.errors import NotFound
from investdesk.i18n import _


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    body = base64.urlsafe_b64encode(f"{user_id}:{kind}".encode()).decode().rstrip("=")
    return f"{body}.{_mac(secret, 'unsubscribe:' + body)}"


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; a forged or damaged one is an unknown link."""
    body, _dot, mac = token.partition(".")
    if not body or not hmac.compare_digest(mac, _mac(secret, "unsubscribe:" + body)):
        raise NotFound(_("this unsubscribe link is not valid (copied incompletely?)"), field="token")
    try:
        user_id, _colon, kind = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().partition(":")
        return int(user_id), kind
    except (ValueError, UnicodeDecodeError):
        raise NotFound(_("this unsubscribe link is not valid"), field="token") from None
