"""REST API: the caller's notifications and preferences; the outbox for administrators."""

from __future__ import annotations

from fastapi import APIRouter, Request

from investdesk.notifications import outbox, preferences, service
from investdesk.notifications.schemas import (
    NotificationRead,
    OutboxRead,
    PreferencesRead,
    PreferencesUpdate,
    UnreadCount,
)
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(tags=["notifications"])


def _base(request: Request) -> str:
    return str(request.app.state.settings.base_url)


@router.get("/notifications", response_model=Page[NotificationRead])
def list_notifications(session: SessionDep, actor: ActorDep, page: PageDep,
                       unread: bool = False) -> Page[NotificationRead]:
    rows, total = service.list_notifications(session, actor=actor, unread=unread, page=page)
    return Page(items=[service.to_read(n) for n in rows], total=total, page=page.page, per_page=page.per_page)


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(session: SessionDep, actor: ActorDep) -> UnreadCount:
    return UnreadCount(unread=service.unread_count(session, actor=actor))


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
def mark_read(session: SessionDep, actor: ActorDep, notification_id: int) -> NotificationRead:
    return service.to_read(service.mark_read(session, actor=actor, notification_id=notification_id))


@router.post("/notifications/read-all", response_model=UnreadCount)
def mark_all_read(session: SessionDep, actor: ActorDep) -> UnreadCount:
    service.mark_all_read(session, actor=actor)
    return UnreadCount(unread=0)


@router.get("/account/preferences", response_model=PreferencesRead)
def get_preferences(request: Request, session: SessionDep, actor: ActorDep) -> PreferencesRead:
    return preferences.to_read(preferences.mine(session, actor=actor), _base(request))


@router.put("/account/preferences", response_model=PreferencesRead)
def put_preferences(request: Request, session: SessionDep, actor: ActorDep, data: PreferencesUpdate) -> PreferencesRead:
    return preferences.to_read(preferences.update(session, actor=actor, data=data), _base(request))


@router.post("/account/calendar", response_model=PreferencesRead)
def issue_calendar(request: Request, session: SessionDep, actor: ActorDep) -> PreferencesRead:
    """A new secret calendar address (the previous one stops working)."""
    return preferences.to_read(preferences.issue_calendar(session, actor=actor), _base(request))


@router.delete("/account/calendar", response_model=PreferencesRead)
def revoke_calendar(request: Request, session: SessionDep, actor: ActorDep) -> PreferencesRead:
    return preferences.to_read(preferences.revoke_calendar(session, actor=actor), _base(request))


@router.get("/outbox", response_model=Page[OutboxRead])
def list_outbox(session: SessionDep, actor: ActorDep, page: PageDep,
                state: str | None = None) -> Page[OutboxRead]:
    rows, total = outbox.list_outbox(session, actor=actor, state=state, page=page)
    return Page(items=[outbox.to_read(r) for r in rows], total=total, page=page.page, per_page=page.per_page)


@router.post("/outbox/{message_id}/retry", response_model=OutboxRead)
def retry(session: SessionDep, actor: ActorDep, message_id: int) -> OutboxRead:
    return outbox.to_read(outbox.retry(session, actor=actor, message_id=message_id))
