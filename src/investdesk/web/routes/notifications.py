"""The bell, the notifications page, one's preferences (digest, kinds, calendar address), the outbox for an
administrator, and the unsubscribe links of mails (which work without signing in)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from investdesk.errors import InvestDeskError
from investdesk.i18n import _, ngettext
from investdesk.jobs import service as jobs
from investdesk.notifications import outbox, preferences, service
from investdesk.notifications.schemas import KINDS, PreferencesUpdate
from investdesk.notifications.tokens import read_unsubscribe_token
from investdesk.paging import Pager
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes.common import (
    PAGE,
    form_errors,
    form_text,
    page_params,
    query_choice,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(include_in_schema=False, dependencies=PAGE)
public = APIRouter(include_in_schema=False)
STATES = ("pending", "sending", "sent", "failed")


@router.get("/notifications/bell")
def bell(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The bell's number (fetched by the top bar when the page loads and every minute)."""
    return render(request, "notifications/_bell.html", {"unread": service.unread_count(session, actor=actor)})


@router.get("/notifications")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    unread_only = query_choice(request, "show", ("unread",)) == "unread"
    params = page_params(request)
    rows, total = service.list_notifications(session, actor=actor, unread=unread_only, page=params)
    return render(request, "notifications/list.html", {
        "rows": rows, "pager": Pager(page=params.page, per_page=params.per_page, total=total),
        "unread_only": unread_only, "kinds": KINDS, "unread": service.unread_count(session, actor=actor),
        "section": "notifications"})


@router.get("/notifications/{notification_id}/open")
def open_one(request: Request, session: SessionDep, actor: ActorDep, notification_id: int) -> Response:
    """Mark it read and go to its record."""
    note = service.mark_read(session, actor=actor, notification_id=notification_id)
    return redirect(note.url if note.url.startswith("/") and not note.url.startswith("//") else "/")


@router.post("/notifications/{notification_id}/read")
def read_one(request: Request, session: SessionDep, actor: ActorDep, notification_id: int) -> Response:
    service.mark_read(session, actor=actor, notification_id=notification_id)
    return redirect("/notifications", request=request)


@router.post("/notifications/read-all")
def read_all(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    n = service.mark_all_read(session, actor=actor)
    return redirect("/notifications", ngettext('%(num)s notification marked read.',
                                        '%(num)s notifications marked read.', n), request=request)


def _preferences_page(request: Request, session: SessionDep, actor: ActorDep, errors: dict[str, str] | None = None,
                      status_code: int = 200) -> Response:
    pref = preferences.mine(session, actor=actor)
    return render(request, "notifications/preferences.html", {
        "pref": preferences.to_read(pref, request.app.state.settings.base_url), "kinds": KINDS,
        "errors": errors or {}, "section": "preferences"}, status_code=status_code)


@router.get("/account/preferences")
def preferences_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _preferences_page(request, session, actor)


@router.post("/account/preferences")
async def save_preferences(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    form = await request.form()
    mail = {k for k in KINDS if form.get(f"mail_{k}")}
    app = {k for k in KINDS if form.get(f"app_{k}")}
    try:
        data = PreferencesUpdate(digest_time=form_text(form, "digest_time") or "", digest_enabled="digest" in mail,
                                 mail_off=[k for k in KINDS if k not in mail and k != "digest"],
                                 app_off=[k for k in KINDS if k not in app and k != "digest"])
        preferences.update(session, actor=actor, data=data)
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return _preferences_page(request, session, actor, form_errors(exc), status_code=422)
    return redirect("/account/preferences", _("Preferences saved."), request=request)


@router.post("/account/calendar/issue")
def issue_calendar(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    preferences.issue_calendar(session, actor=actor)
    return redirect("/account/preferences", _("Calendar address issued; any earlier one no longer works."),
                    request=request)


@router.post("/account/calendar/revoke")
def revoke_calendar(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    preferences.revoke_calendar(session, actor=actor)
    return redirect("/account/preferences", _("Calendar address revoked."), request=request)


@router.get("/admin/outbox")
def outbox_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.admin)
    state = query_choice(request, "state", STATES)
    params = page_params(request)
    rows, total = outbox.list_outbox(session, actor=actor, state=state, page=params)
    smtp = request.app.state.settings.smtp_url
    return render(request, "notifications/outbox.html", {
        "rows": rows, "pager": Pager(page=params.page, per_page=params.per_page, total=total), "state": state,
        "counts": outbox.counts(session, actor=actor), "jobs": jobs.list_jobs(session, actor=actor),
        "smtp_configured": bool(smtp),
        "section": "outbox"})


@router.post("/admin/outbox/{message_id}/retry")
def retry(request: Request, session: SessionDep, actor: ActorDep, message_id: int) -> Response:
    row = outbox.retry(session, actor=actor, message_id=message_id)
    return redirect("/admin/outbox", _('Message %(id)s to %(to_addr)s is back in line.', id=row.id,
                                       to_addr=row.to_addr), request=request)


@public.get("/unsubscribe/{token}")
def unsubscribe_page(request: Request, session: SessionDep, token: str) -> Response:
    user_id, kind = read_unsubscribe_token(request.app.state.secret_key, token)
    return render(request, "notifications/unsubscribe.html", {"token": token, "kind": KINDS.get(kind, kind),
                                                              "done": False})


@public.post("/unsubscribe/{token}")
def unsubscribe(request: Request, session: SessionDep, token: str) -> HTMLResponse:
    user_id, kind = read_unsubscribe_token(request.app.state.secret_key, token)
    preferences.unsubscribe(session, user_id=user_id, kind=kind)
    return render(request, "notifications/unsubscribe.html", {"token": token, "kind": KINDS.get(kind, kind),
                                                              "done": True})
