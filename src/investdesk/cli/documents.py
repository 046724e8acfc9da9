"""``investdesk documents`` (list, show) and ``investdesk review`` (accept, reject)."""

from __future__ import annotations

import json

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, console, render, render_record
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.documents import review
from investdesk.documents import service as documents
from investdesk.models.enums import ReviewState
from investdesk.paging import PageParams

documents_app = typer.Typer(help="Ingested documents and their review state.", no_args_is_help=True)
review_app = typer.Typer(help="Accept or reject a document's extracted items.", no_args_is_help=True)
app.add_typer(documents_app, name="documents")
app.add_typer(review_app, name="review")

COLUMNS = ["id", "filename", "review_state", "items_pending", "items_total", "title", "ingested_at"]
ITEM_COLUMNS = ["id", "field", "label", "state", "record", "evidence"]


@documents_app.command("list")
def documents_list(
    state: ReviewState | None = typer.Option(None, "--state", help="pending, accepted or rejected."),
    page: int = typer.Option(1, min=1),
    per_page: int = typer.Option(50, min=1, max=500),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List documents, newest first."""
    with unit_of_work() as session:
        rows, total = documents.list_documents(session, actor=cli_actor(session), state=state,
                                               page=PageParams(page=page, per_page=per_page))
        counts = documents.item_counts(session, [d.id for d in rows])
        render([documents.to_read(d, counts.get(d.id, (0, 0))).model_dump(mode="json") for d in rows], fmt,
               columns=COLUMNS, title=f"{total} documents" + (f" {state.value}" if state else "") + f" (page {page})")


@documents_app.command("show")
def documents_show(document_id: int, fmt: OutputFormat = FormatOption) -> None:
    """Show a document and its extracted items with their evidence."""
    with unit_of_work() as session:
        detail = documents.to_detail(documents.get(session, actor=cli_actor(session), document_id=document_id))
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(detail.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    render_record({k: v for k, v in detail.model_dump(mode="json").items()
                   if k not in ("text", "extraction", "items")}, fmt)
    rows = [{"id": i.id, "field": i.field, "label": i.label, "state": i.state.value,
             "record": f"{i.record_type} {i.record_id}" if i.record_id else "",
             "evidence": detail.text[i.evidence_start:i.evidence_end][:120] if i.evidence_start is not None else ""}
            for i in detail.items]
    render(rows, fmt, columns=ITEM_COLUMNS, title=f"{len(rows)} items")


@review_app.command("accept")
def review_accept(
    document_id: int,
    item: list[int] = typer.Option([], "--item", help="Accept only this item; repeat for several."),
) -> None:
    """Accept a document's pending items (all, or the ones given): records are created or merged."""
    with unit_of_work() as session:
        actor = cli_actor(session)
        if item:
            for item_id in item:
                review.accept_item(session, actor=actor, document_id=document_id, item_id=item_id)
            message = f"accepted {len(item)} item(s)"
        else:
            counts = review.accept_all(session, actor=actor, document_id=document_id)
            message = f"accepted {counts['accepted']} item(s)" + (
                f", {counts['left_pending']} left pending" if counts["left_pending"] else "")
        state = documents.get(session, actor=actor, document_id=document_id, with_items=False).review_state
    console.print(f"document {document_id}: {message}; review state {state.value}", highlight=False)


@review_app.command("reject")
def review_reject(
    document_id: int,
    item: list[int] = typer.Option([], "--item", help="Reject only this item; repeat for several."),
) -> None:
    """Reject a document's pending items (all, or the ones given): nothing is created from them."""
    with unit_of_work() as session:
        actor = cli_actor(session)
        if item:
            for item_id in item:
                review.reject_item(session, actor=actor, document_id=document_id, item_id=item_id)
            n = len(item)
        else:
            n = review.reject_all(session, actor=actor, document_id=document_id)["rejected"]
        state = documents.get(session, actor=actor, document_id=document_id, with_items=False).review_state
    console.print(f"document {document_id}: rejected {n} item(s); review state {state.value}", highlight=False)
