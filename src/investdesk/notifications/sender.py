"""Sending the outbox over SMTP (setting ``smtp_url``), with retries and exponential back-off.

Each message is claimed before it is sent (``UPDATE ... SET state='sending' WHERE id = :id AND state =
'pending'``, committed), then marked ``sent`` in a transaction of its own right after the server accepted it:
two senders never take the same message, and a message accepted is never sent again. A sender that died
between the two leaves it ``sending`` until its lease ends; it is then sent again with the same Message-ID.
A mail server that is down or refuses the password leaves the messages ``pending`` with the error and the
time of the next attempt; an address the server (or we) refuse, or too many attempts, make it ``failed``.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from ssl import SSLContext, create_default_context
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import CursorResult, Engine, or_, select, update

from investdesk.config import get_settings
from investdesk.db import transaction
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.models import OutboxMessage
from investdesk.notifications.outbox import is_address

MAX_ATTEMPTS = 10
LEASE = dt.timedelta(minutes=10)
TIMEOUT = 15.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None
    password: str | None
    ssl: bool
    starttls: bool
    cafile: str | None = None  # the agency's own certificate authority, for a mail server it signed

    def tls_context(self) -> SSLContext:
        """Verify the server's certificate and name: against the given authority, else the system's."""
        return create_default_context(cafile=self.cafile)


def parse_smtp_url(url: str) -> SmtpConfig:
    """``smtp://user:pass@host:587?starttls=1`` or ``smtps://user:pass@host:465``; ``cafile=/path/ca.pem``
    trusts a certificate authority of the agency's own (a mail server on a closed network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValidationFailed(_('INVESTDESK_SMTP_URL: expected smtp://[user:pass@]host[:port][?starttls=1] or '
                                 'smtps://..., got %(scheme)s://%(host)s', scheme=parts.scheme or 'no scheme',
                                 host=parts.hostname or ''),
                               field="smtp_url")
    secure = parts.scheme == "smtps"
    query = parse_qs(parts.query)
    try:
        port = parts.port or (465 if secure else 25)
    except ValueError:
        raise ValidationFailed(_("INVESTDESK_SMTP_URL: the port is not a number"), field="smtp_url") from None
    cafile = query.get("cafile", [None])[0]
    if cafile is not None and not Path(cafile).is_file():
        raise ValidationFailed(_("INVESTDESK_SMTP_URL: cafile %(cafile)s is not a readable file", cafile=cafile),
                               field="smtp_url")
    if cafile is not None and not (secure or query.get("starttls")):
        raise ValidationFailed(_("INVESTDESK_SMTP_URL: cafile is for TLS; use smtps:// or add starttls=1"),
                               field="smtp_url")
    return SmtpConfig(host=parts.hostname, port=port, cafile=cafile,
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None, ssl=secure,
                      starttls=query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes"))


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(dt.timedelta(minutes=2 ** max(0, attempts - 1)), dt.timedelta(hours=6))


def _message(row: OutboxMessage, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, row.to_addr, row.subject
    msg["Message-ID"] = row.message_id
    msg.set_content(row.body_text)
    msg.add_alternative(row.body_html, subtype="html")
    return msg


def _connect(cfg: SmtpConfig) -> smtplib.SMTP:
    if cfg.ssl:
        conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT, context=cfg.tls_context())
    else:
        conn = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT)
    try:
        if cfg.starttls and not cfg.ssl:
            conn.starttls(context=cfg.tls_context())
        if cfg.username:
            conn.ehlo_or_helo_if_needed()
            if not (cfg.ssl or cfg.starttls) and conn.has_extn("starttls") and not conn.has_extn("auth"):
                raise smtplib.SMTPNotSupportedError("the server takes a password only over TLS: add starttls=1 "
                                                    "to INVESTDESK_SMTP_URL (or use smtps://)")
            conn.login(cfg.username, cfg.password or "")
    except BaseException:
        conn.close()
        raise
    return conn


def _claim(engine: Engine, message_id: int, now: dt.datetime) -> OutboxMessage | None:
    with transaction(engine) as session:
        result: CursorResult[Any] = session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, or_(
                (OutboxMessage.state == "pending") & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.state == "sending") & (OutboxMessage.lease_until < now)))
            .values(state="sending", lease_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False))  # type: ignore[assignment]
        return session.get(OutboxMessage, message_id) if result.rowcount == 1 else None


def _record(engine: Engine, message_id: int, **values: object) -> None:
    with transaction(engine) as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state == "sending")
                        .values(lease_until=None, **values).execution_options(synchronize_session=False))


def _failed(engine: Engine, row: OutboxMessage, now: dt.datetime, error: str, *, permanent: bool) -> None:
    give_up = permanent or row.attempts >= MAX_ATTEMPTS
    _record(engine, row.id, state="failed" if give_up else "pending", last_error=error[:1000],
            next_attempt_at=now if give_up else now + backoff(row.attempts))


def _error(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "recipient refused: " + "; ".join(
            f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for addr, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {' '.join(text.split())}"
    return f"{type(exc).__name__}: {' '.join(str(exc).split()) or 'no detail'}"


def send_due(engine: Engine, now: dt.datetime, *, batch: int = 200) -> str:
    """Send what is due; one line saying what happened."""
    settings = get_settings()
    with transaction(engine) as session:
        due = list(session.scalars(select(OutboxMessage.id).where(or_(
            (OutboxMessage.state == "pending") & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.state == "sending") & (OutboxMessage.lease_until < now)))
            .order_by(OutboxMessage.id).limit(batch)))
    if not settings.smtp_url:
        return f"SMTP not configured (INVESTDESK_SMTP_URL): {len(due)} message(s) waiting"
    cfg = parse_smtp_url(settings.smtp_url)
    sent = failed = 0
    conn: smtplib.SMTP | None = None
    try:
        for message_id in due:
            row = _claim(engine, message_id, now)
            if row is None:
                continue  # another sender took it
            if not is_address(row.to_addr):
                _failed(engine, row, now, f"invalid recipient address {row.to_addr!r}", permanent=True)
                failed += 1
                continue
            try:
                if conn is None:
                    conn = _connect(cfg)
                conn.send_message(_message(row, settings.mail_from))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
                _failed(engine, row, now, _error(exc), permanent=isinstance(exc, smtplib.SMTPRecipientsRefused))
                failed += 1
                continue
            except (OSError, smtplib.SMTPException) as exc:
                # The server is down, unreachable or refuses us: this one waits for its next attempt, and so
                # do the rest (they were not touched and keep their place).
                _failed(engine, row, now, _error(exc), permanent=False)
                failed += 1
                if conn is not None:
                    conn.close()
                return f"sent {sent}, failed {failed}: {_error(exc)}; the rest wait"
            _record(engine, row.id, state="sent", sent_at=now, last_error="")
            sent += 1
    finally:
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()
    return f"sent {sent}, failed {failed}"
