from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from investdesk.i18n import N_, _

# Each kind of event, as the bell and the preferences page name it.
KINDS: dict[str, str] = {
    "lead_assigned": N_("A lead assigned to me"),
    "followup_due": N_("A follow-up due tomorrow"),
    "followup_overdue": N_("A follow-up overdue"),
    "mou_pending": N_("An MoU of mine turning pending"),
    "blocker_escalated": N_("A blocker escalated to my level"),
    "enquiry_deadline": N_("An enquiry near its response deadline"),
    "enquiry_overdue": N_("An enquiry past its response deadline"),
    "document_review": N_("A document of mine waiting for review"),
    "edit_conflict": N_("Someone's change refused because mine came first"),
    "digest": N_("The daily digest"),
}
# Mailed as soon as they happen (the rest reach the mail through the daily digest).
IMMEDIATE_MAIL = {"blocker_escalated"}


class NotificationRead(BaseModel):
    id: int
    kind: str
    title: str
    url: str
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    unread: int


class PreferencesRead(BaseModel):
    digest_time: str
    digest_enabled: bool
    mail_off: list[str]
    app_off: list[str]
    calendar_url: str | None


class PreferencesUpdate(BaseModel):
    digest_time: str = Field(default="08:00", description="Local time of the daily digest, HH:MM.")
    digest_enabled: bool = True
    mail_off: list[str] = Field(default_factory=list, description="Kinds not sent by mail.")
    app_off: list[str] = Field(default_factory=list, description="Kinds not shown under the bell.")

    @field_validator("digest_time")
    @classmethod
    def _time(cls, v: str) -> str:
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", v.strip())
        if not m:
            raise ValueError(_("a time of day as HH:MM, e.g. 08:30"))
        return f"{int(m.group(1)):02d}:{m.group(2)}"

    @field_validator("mail_off", "app_off")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        unknown = [k for k in v if k not in KINDS]
        if unknown:
            raise ValueError(_('unknown kind %(unknown)s (known: %(value)s)', unknown=repr(unknown[0]),
                               value=', '.join(KINDS)))
        return sorted(set(v))


class OutboxRead(BaseModel):
    id: int
    kind: str
    to_addr: str
    subject: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    message_id: str
