"""Domain errors. Each carries the HTTP status it maps to; one handler in the
web app and one in the CLI render them, so no caller formats its own."""

from __future__ import annotations


class InvestDeskError(Exception):
    """Base of every error a user may see: one clear line, no traceback."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.code, "detail": self.message}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(InvestDeskError):
    status_code = 404
    code = "not_found"


class Conflict(InvestDeskError):
    """The record changed under the caller (version check) or a unique key clashes. ``record`` names the
    record (entity type and id) when the clash is an edit made on an older version, so whoever changed it
    meanwhile can be told."""

    status_code = 409
    code = "conflict"

    def __init__(self, message: str, *, field: str | None = None,
                 record: tuple[str, int] | None = None) -> None:
        super().__init__(message, field=field)
        self.record = record


class ValidationFailed(InvestDeskError):
    status_code = 422
    code = "validation_failed"


class InvalidTransition(InvestDeskError):
    status_code = 422
    code = "invalid_transition"


class PermissionDenied(InvestDeskError):
    status_code = 403
    code = "forbidden"


class NotAuthenticated(InvestDeskError):
    status_code = 401
    code = "not_authenticated"


class DatabaseUnavailable(InvestDeskError):
    status_code = 503
    code = "database_unavailable"


class PasswordChangeRequired(InvestDeskError):
    """Signed in with a one-time password: the pages open only after a new one is chosen."""

    status_code = 403
    code = "password_change_required"
