"""Who may do what. Enforced in the services, so every door (web, API, CLI) obeys.

Routes resolve the signed-in user to an :class:`Actor`; services call
:func:`require` before they read or write, and scope queries with the
actor's districts and departments where the role is scoped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from investdesk.errors import PermissionDenied
from investdesk.i18n import _
from investdesk.models.enums import Role


class Perm(StrEnum):
    read = "read"                      # organizations, people, missions, engagements, documents, reports
    write_records = "write_records"    # organizations, people, missions, engagements, offerings, policies
    review_documents = "review_documents"
    write_opportunities = "write_opportunities"
    write_all_opportunities = "write_all_opportunities"  # not only the leads one owns
    read_all_mous = "read_all_mous"
    write_mous = "write_mous"          # create, edit, import, assign
    update_mou_status = "update_mou_status"
    write_followups = "write_followups"
    manage_users = "manage_users"
    admin = "admin"                    # backup, restore, merge undo


_BASE_OFFICER = {Perm.read, Perm.write_records, Perm.review_documents, Perm.write_opportunities,
                 Perm.read_all_mous, Perm.write_followups}
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.viewer: frozenset({Perm.read, Perm.read_all_mous}),
    Role.nodal_officer: frozenset({Perm.read, Perm.update_mou_status, Perm.write_followups}),
    Role.officer: frozenset(_BASE_OFFICER),
    Role.manager: frozenset(_BASE_OFFICER | {Perm.write_all_opportunities, Perm.write_mous, Perm.update_mou_status}),
    Role.admin: frozenset(Perm),
}


@dataclass(frozen=True)
class Actor:
    """The person (or job) on whose behalf a service acts."""

    id: int | None
    label: str
    role: Role
    districts: tuple[str, ...] = field(default_factory=tuple)
    departments: tuple[str, ...] = field(default_factory=tuple)
    must_change_password: bool = False  # signed in with a one-time password: the pages ask for a new one first
    name: str = ""  # the person's name as the pages greet them; ``label`` (the e-mail) stays the audit identity
    language: str = "en"  # the interface language the user chose: "en" or "hi"

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        """The actor of CLI commands and jobs run by the operator of the machine."""
        return cls(id=None, label=label, role=Role.admin)

    def has(self, perm: Perm) -> bool:
        return perm in ROLE_PERMISSIONS[self.role]

    @property
    def is_scoped(self) -> bool:
        """Nodal officers see only the MoUs of their districts or departments."""
        return self.role is Role.nodal_officer


def operator_actor(name: str) -> Actor:
    """The operator of the machine, for administrative commands and scheduled jobs that hold the database itself."""
    return Actor.system(name)


def require(actor: Actor, perm: Perm) -> None:
    if not actor.has(perm):
        raise PermissionDenied(_('%(label)s (%(role)s) may not %(value)s', label=actor.label, role=actor.role.value,
                                 value=perm.value.replace('_', ' ')))


@dataclass(frozen=True)
class Decision:
    """Whether an actor may take an action on a record, and in plain words why not."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


_ROLE_REFUSALS = {
    "upload_documents": (Perm.write_records, "upload documents"),
    "review_documents": (Perm.review_documents, "review documents"),
    "create_lead": (Perm.write_opportunities, "create leads"),
    "register_mou": (Perm.write_mous, "register MoUs"),
    "edit_mou": (Perm.write_mous, "edit MoUs"),
    "update_mou_status": (Perm.update_mou_status, "update MoU status"),
}
LEAD_ACTIONS = ("edit_lead", "move_lead", "claim_lead")


def can(actor: Actor | None, action: str, record: Any = None) -> Decision:
    """May ``actor`` take ``action`` (on ``record``)? The services refuse with the same rule; the pages use it
    to hide or disable what would be refused, with the reason."""
    if actor is None:
        return Decision(False, "Sign in first.")
    role = actor.role.value.replace("_", " ")
    if action in _ROLE_REFUSALS:
        perm, what = _ROLE_REFUSALS[action]
        return Decision(True) if actor.has(perm) else Decision(False, f"Your role ({role}) may not {what}.")
    if action not in LEAD_ACTIONS:
        raise ValueError(_('unknown action %(action)s', action=repr(action)))
    if not actor.has(Perm.write_opportunities):
        return Decision(False, f"Your role ({role}) may not change leads.")
    owner_id = getattr(record, "owner_id", None)
    if action == "claim_lead":
        if owner_id is None:
            return Decision(True)
        return Decision(False, "You already own this lead." if owner_id == actor.id
                        else "This lead already has an owner.")
    if actor.has(Perm.write_all_opportunities) or (owner_id is not None and owner_id == actor.id):
        return Decision(True)
    if owner_id is None:
        return Decision(False, "This lead has no owner: claim it first.")
    return Decision(False, "Only the lead's owner or a manager may change it.")
