"""Small steps every area's update takes: version check, applying a partial update, flushing."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from investdesk.errors import Conflict, NotFound, ValidationFailed
from investdesk.i18n import _

FORCED = " (forced: saved without a version, over whatever was stored)"


def check_version(record: Any, version: int | None, label: str, *, force: bool = False) -> str:
    """Refuse an edit made on a version older than the stored one, or made without saying which version it
    was made on (unless ``force``). Returns what the audit summary adds: FORCED for a forced overwrite."""
    if version is None:
        if not force:
            raise ValidationFailed(_('version: required; send the version of %(label)s %(id)s you read (now '
                                     '%(version)s), or force it ("force": true, --force) to overwrite whatever it '
                                     'holds', label=label, id=record.id, version=record.version), field="version")
        return FORCED
    if version != record.version:
        raise Conflict(_('%(label)s %(id)s was changed by someone else (now version %(version)s, you edited version '
                         '%(version2)s); reload and try again', label=label, id=record.id, version=record.version,
                         version2=version), record=(label.lower(), record.id))
    return ""


def apply_update(record: Any, data: BaseModel, *, skip: set[str] | None = None) -> dict[str, Any]:
    """Set the fields the caller gave (not the ones left out); returns them."""
    fields = data.model_dump(exclude_unset=True, exclude={"version", "force", *(skip or set())})
    for key, value in fields.items():
        setattr(record, key, value)
    return fields


def flush_or_conflict(session: Session, label: str, record_id: int) -> None:
    """Flush; a concurrent writer that got there first turns into a Conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(_('%(label)s %(record_id)s was changed by someone else; reload and try again', label=label,
                         record_id=record_id), record=(label.lower(), record_id)) from None


def load_all(session: Session, model: type[Any], ids: list[int], field: str) -> list[Any]:
    """The records with these ids, in the order given; a missing one names the field."""
    if not ids:
        return []
    found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_('%(field)s: no %(__tablename__)s with id %(missing)s', field=field,
                         __tablename__=model.__tablename__, missing=', '.join(map(str, missing))), field=field)
    return [found[i] for i in dict.fromkeys(ids)]


def refuse_nulls(data: BaseModel, fields: tuple[str, ...]) -> None:
    """Fields an update may change but not empty (null), named in the error."""
    for name in fields:
        if name in data.model_fields_set and getattr(data, name) is None:
            raise ValidationFailed(_('%(name)s: may be changed but not left empty', name=name), field=name)


def append_note(notes: str, note: str | None) -> str:
    """A record's notes with one more line (none added for an empty note)."""
    return f"{notes}\n{note}".strip() if note else notes
