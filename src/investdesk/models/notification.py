"""Reminders: job runs (one claim per slot across servers), notifications, preferences and the mail outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from investdesk.db import Base, utcnow


class JobRun(Base):
    """One row per scheduled job. A server runs a job only after claiming its slot with one atomic
    ``UPDATE ... WHERE last_slot < :slot AND (lease expired)``, so several servers never run it twice."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_slot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="never")
    result: Mapped[str] = mapped_column(Text, default="")
    runner: Mapped[str] = mapped_column(String(120), default="")


class Notification(Base):
    """Something a user should know, shown under the bell; one per (user, dedupe key)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "dedupe_key"),
                      Index("ix_notifications_user_id_read_at", "user_id", "read_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(400))
    url: Mapped[str] = mapped_column(String(300), default="/")
    dedupe_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Base):
    """A user's choices: the digest's local time, kinds muted by mail or in the app, the calendar secret."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    digest_time: Mapped[str] = mapped_column(String(5), default="08:00")
    digest_enabled: Mapped[bool] = mapped_column(default=True)
    mail_off: Mapped[list[str]] = mapped_column(default=list)
    app_off: Mapped[list[str]] = mapped_column(default=list)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_digest_on: Mapped[date | None] = mapped_column(Date)


class OutboxMessage(Base):
    """A mail written in the same transaction as its event and sent later by the ``send_mail`` job."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@event.listens_for(Session, "before_flush")
def _raise_events(session: Session, _context: object, _instances: object) -> None:
    """Events raised by a service become notifications in the same flush, hence the same transaction
    (``notifications.events.from_audit`` reads the audit rows the services write)."""
    from investdesk.notifications.events import from_audit

    from_audit(session)
