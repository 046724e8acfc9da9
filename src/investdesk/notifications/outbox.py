"""Mail written to the outbox, in the transaction of its event. Nothing commits or sends here
(``notifications.sender`` sends). Each message has its Message-ID from the start, so a resend after a crash
between sending and recording it carries the same ID and receiving servers can drop the duplicate."""

from __future__ import annotations

import re
import uuid
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk import i18n
from investdesk.audit import service as audit
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.errors import InvalidTransition, NotFound
from investdesk.i18n import _
from investdesk.models import OutboxMessage, User
from investdesk.notifications.schemas import KINDS, OutboxRead
from investdesk.notifications.tokens import unsubscribe_token
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor, Perm, require

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]), undefined=StrictUndefined, trim_blocks=True,
                   lstrip_blocks=True)
i18n.install_jinja(_env)
_env.filters.update(date=lambda value: i18n.date(value))
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def is_address(value: str) -> bool:
    return bool(ADDRESS.match(value or ""))


def links(user_id: int, kind: str) -> dict[str, str]:
    settings = get_settings()
    base = settings.base_url.rstrip("/")
    token = unsubscribe_token(settings.resolved_secret_key(), user_id, kind)
    return {"base": base, "unsubscribe": f"{base}/unsubscribe/{token}", "preferences": f"{base}/account/preferences"}


def render(template: str, **context: Any) -> tuple[str, str]:
    """The plain-text and HTML parts of a mail."""
    return (_env.get_template(f"mail/{template}.txt").render(**context),
            _env.get_template(f"mail/{template}.html").render(**context))


def _add(session: Session, *, user: User, kind: str, subject: str, text: str, html: str,
         dedupe_key: str | None, checked: bool = False) -> OutboxMessage | None:
    """One message, unless one with its dedupe key exists (``checked``: the caller looked for a batch)."""
    if dedupe_key is not None and not checked and session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None:
        return None
    domain = get_settings().mail_from.rsplit("@", 1)[-1].strip(" >") or "investdesk.local"
    message = OutboxMessage(user_id=user.id, kind=kind, to_addr=user.email, subject=subject[:300], body_text=text,
                            body_html=html, dedupe_key=dedupe_key,
                            message_id=make_msgid(idstring=uuid.uuid4().hex, domain=domain))
    session.add(message)
    return message


def enqueue_event(session: Session, *, user: User, kind: str, title: str, url: str,
                  dedupe_key: str | None) -> OutboxMessage | None:
    """An immediate mail for one event (an escalation)."""
    link = links(user.id, kind)
    with i18n.using(user.language):  # in the reader's language
        text, html = render("event", user=user, kind_label=i18n.gettext(KINDS[kind]), title=title,
                            url=link["base"] + url, **link)
    return _add(session, user=user, kind=kind, subject=f"[InvestDesk] {title}", text=text, html=html,
                dedupe_key=dedupe_key)


def enqueue_digest(session: Session, *, user: User, subject: str, context: dict[str, Any],
                   dedupe_key: str, checked: bool = False) -> OutboxMessage | None:
    link = links(user.id, "digest")
    text, html = render("digest", user=user, **context, **link)
    return _add(session, user=user, kind="digest", subject=subject, text=text, html=html, dedupe_key=dedupe_key,
                checked=checked)


def list_outbox(session: Session, *, actor: Actor, state: str | None = None,
                page: PageParams | None = None) -> tuple[list[OutboxMessage], int]:
    """The outbox for an administrator: each message's state, attempts and last error, newest first."""
    require(actor, Perm.admin)
    stmt = select(OutboxMessage)
    if state:
        stmt = stmt.where(OutboxMessage.state == state)
    return paginate(session, stmt.order_by(OutboxMessage.id.desc()), page or PageParams())


def counts(session: Session, *, actor: Actor) -> dict[str, int]:
    require(actor, Perm.admin)
    return {s: n for s, n in session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state))}


def retry(session: Session, *, actor: Actor, message_id: int) -> OutboxMessage:
    """Put a failed message back in line (after its address or the mail settings were fixed)."""
    require(actor, Perm.admin)
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(_('outbox message %(message_id)s not found', message_id=message_id), field="message_id")
    if row.state != "failed":
        raise InvalidTransition(_('message %(message_id)s is %(state)s; only failed messages are retried',
                                  message_id=message_id, state=row.state),
                                field="message_id")
    if row.user_id is not None:
        user = session.get(User, row.user_id)
        if user is not None:
            row.to_addr = user.email  # the address may have been corrected since
    row.state, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
    session.flush()
    audit.record(session, actor=actor, action="retry", entity_type="outbox_message", entity_id=row.id,
                 summary=f"mail to {row.to_addr} put back in line")
    return row


def to_read(row: OutboxMessage) -> OutboxRead:
    return OutboxRead(id=row.id, kind=row.kind, to_addr=row.to_addr, subject=row.subject, state=row.state,
                      attempts=row.attempts, next_attempt_at=row.next_attempt_at, last_error=row.last_error,
                      created_at=row.created_at, sent_at=row.sent_at, message_id=row.message_id)
