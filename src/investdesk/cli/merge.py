"""``investdesk org merge KEEP OTHER`` and ``investdesk org unmerge AUDIT_ID``."""

from __future__ import annotations

from investdesk.cli.common import console
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.cli.organizations import org_app
from investdesk.resolution.merge import merge, undo_merge


@org_app.command("merge")
def org_merge(keep: int, other: int) -> None:
    """Merge organization OTHER into KEEP: links moved, OTHER's names kept as aliases; undo with unmerge."""
    with unit_of_work() as session:
        event = merge(session, actor=cli_actor(session), keep_id=keep, other_id=other)
        moved = event.after["moved"] if event.after else {}
        event_id = event.id
    def links(name: str) -> int:
        entry = moved.get(name) or {}
        return len(entry.get("moved", [])) + len(entry.get("dropped", []))

    counts = {"engagements": links("engagement_counterparts"), "people": len(moved.get("people", [])),
              "leads": len(moved.get("opportunities", [])), "MoUs": links("mou_parties")}
    listed = ", ".join(f"{v} {k}" for k, v in counts.items())
    console.print(f"merged organization {other} into {keep} ({listed}); "
                  f"undo with: investdesk org unmerge {event_id}", highlight=False)


@org_app.command("unmerge")
def org_unmerge(audit_id: int) -> None:
    """Undo the merge recorded as audit event AUDIT_ID: every moved link goes back."""
    with unit_of_work() as session:
        event = undo_merge(session, actor=cli_actor(session), audit_event_id=audit_id)
        keep, other = event.before["keep"]["id"], event.before["other"]["id"]  # type: ignore[index]
    console.print(f"undid merge {audit_id}: organization {other} is separate from {keep} again", highlight=False)
