"""Pages of documents: upload several at once, the review screen's highlighted evidence, accept/edit/reject."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from importlib import resources

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.documents.items import delegate_twins
from investdesk.models import Document, ExtractedItem, Organization
from investdesk.models.enums import ItemState, ReviewState, Role

Pages = Callable[..., TestClient]
REPORT = resources.files("investdesk.demo").joinpath("trip-report.txt").read_bytes()


def upload(client: TestClient, *files: tuple[str, bytes, str], json: bool = True) -> object:
    headers = {"Accept": "application/json"} if json else {}
    return client.post("/documents/upload", files=[("files", f) for f in files], headers=headers)


def test_upload_several_files_reports_each(pages: Pages, engine: Engine) -> None:
    client = pages()
    res = upload(client, ("korea.txt", REPORT, "text/plain"), ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                                                 "image/png"))
    assert res.status_code == 200  # type: ignore[attr-defined]
    ok, bad = res.json()["results"]  # type: ignore[attr-defined]
    assert ok["filename"] == "korea.txt" and ok["item_count"] > 5 and ok["url"] == f"/documents/{ok['id']}"
    assert bad["filename"] == "photo.png" and bad["error"]
    again = upload(client, ("copy-of-korea.txt", REPORT, "text/plain")).json()["results"][0]  # type: ignore[attr-defined]
    assert again["duplicate"] is True and again["id"] == ok["id"]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
    # Without JavaScript the same form posts and gets a page listing the results.
    page = upload(client, ("notes.txt", b"A short note about nothing in particular.", "text/plain"), json=False)
    assert page.status_code == 200 and "notes.txt" in page.text and "<html" in page.text  # type: ignore[attr-defined]
    nothing = client.post("/documents/upload", data={"csrf_token": ""}, headers={"Accept": "application/json"})
    assert nothing.status_code == 422 and nothing.json()["results"][0]["error"] == "choose at least one file"


def test_review_screen_highlights_each_evidence_span(pages: Pages, engine: Engine) -> None:
    client = pages()
    doc_id = upload(client, ("korea.txt", REPORT, "text/plain")).json()["results"][0]["id"]  # type: ignore[attr-defined]
    html = client.get(f"/documents/{doc_id}").text
    with Session(engine) as s:
        doc = s.get(Document, doc_id)
        items = s.scalars(select(ExtractedItem).where(ExtractedItem.document_id == doc_id)).all()
        spans = {(i.evidence_start, i.evidence_end) for i in items if i.evidence_start is not None}
        sentences = [doc.text[a:b] for a, b in sorted(spans)]  # type: ignore[union-attr]
    marked = [m for m in re.findall(r'<mark id="span-\d+" data-span="\d+">(.*?)</mark>', html, re.S)]
    assert len(marked) == len(sentences) and len(marked) >= 3
    assert marked[0] == sentences[0].replace("&", "&amp;")
    # A delegate who is also one of the people is one entry (marked "Delegate"), so counted once.
    twins = delegate_twins(list(items))
    shown = len(items) - len(twins)
    assert twins and f"{shown} of {shown} to review" in html and f"Accept all {shown}<" in html
    hidden = {d.id for d in twins.values()}
    for i in items:
        assert (f'id="item-{i.id}"' in html) is (i.id not in hidden)


def test_accept_edit_and_reject_items_then_all(pages: Pages, engine: Engine) -> None:
    client = pages()
    doc_id = upload(client, ("korea.txt", REPORT, "text/plain")).json()["results"][0]["id"]  # type: ignore[attr-defined]
    with Session(engine) as s:
        orgs = s.scalars(select(ExtractedItem).where(ExtractedItem.document_id == doc_id,
                                                     ExtractedItem.field == "organizations")
                         .order_by(ExtractedItem.position)).all()
        first, second, third = orgs[0], orgs[1], orgs[2]
    base = f"/documents/{doc_id}/items"
    htmx = {"HX-Request": "true", "HX-Target": "review-items"}
    bad_edit = client.post(f"{base}/{first.id}/accept", data={"edit": "1", "f_kind": "pirate_ship"}, headers=htmx)
    assert bad_edit.status_code == 422 and "kind" in bad_edit.text and 'class="field-error"' in bad_edit.text
    edited = client.post(f"{base}/{first.id}/accept", data={"edit": "1", "f_name": "Edited Name Holdings"},
                         headers=htmx)
    assert edited.status_code == 200 and '<section id="review-items"' in edited.text and "<html" not in edited.text
    assert '<span id="doc-state" hx-swap-oob="true">' in edited.text  # the header's state follows
    assert "Edited Name Holdings edited and accepted." in edited.text
    rejected = client.post(f"{base}/{second.id}/reject")
    assert rejected.status_code == 303
    twice = client.post(f"{base}/{second.id}/reject", headers=htmx)
    assert twice.status_code == 422 and "already rejected" in twice.text
    accepted = client.post(f"{base}/{third.id}/accept")
    assert accepted.status_code == 303
    page = client.get(f"/documents/{doc_id}").text
    assert "Open the organization" in page
    all_in = client.post(f"/documents/{doc_id}/accept", headers=htmx)
    assert all_in.status_code == 200 and "Every item has been reviewed" in all_in.text
    with Session(engine) as s:
        states = {i.id: i.state for i in s.scalars(select(ExtractedItem).where(ExtractedItem.document_id == doc_id))}
        assert states[first.id] is ItemState.edited and states[second.id] is ItemState.rejected
        assert ItemState.pending not in states.values()
        assert s.get(Document, doc_id).review_state is ReviewState.accepted  # type: ignore[union-attr]
        assert s.scalar(select(Organization.id).where(Organization.name == "Edited Name Holdings")) is not None


def test_reviewing_needs_the_right_role(pages: Pages) -> None:
    doc_id = upload(pages(), ("korea.txt", REPORT, "text/plain")).json()["results"][0]["id"]  # type: ignore[attr-defined]
    viewer = pages(Role.viewer)
    html = viewer.get(f"/documents/{doc_id}").text
    assert "Accept all" not in html and "Edit, then accept" not in html
    assert viewer.post(f"/documents/{doc_id}/accept").status_code == 403
    assert upload(viewer, ("x.txt", b"Some text here.", "text/plain")).status_code == 403  # type: ignore[attr-defined]


def test_documents_list_filters_and_exports(pages: Pages) -> None:
    client = pages()
    upload(client, ("korea.txt", REPORT, "text/plain"), ("notes.txt", b"Minutes of a call with nobody.", "text/plain"))
    listing = client.get("/documents", params={"q": "korea"}).text
    assert "korea.txt" in listing and "notes.txt" not in listing
    rows = list(csv.DictReader(io.StringIO(client.get("/documents", params={"format": "csv", "state": "pending"})
                                           .content.decode("utf-8-sig"))))
    assert {r["filename"] for r in rows} >= {"korea.txt"}


def test_review_page_says_when_the_text_came_from_ocr(pages: Pages, engine: Engine) -> None:
    import shutil

    import pytest

    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    from tests.extraction.layouts import text_image

    client = pages()
    png = text_image(["The Kerala delegation met Alpha Marine Ltd in Oslo on Monday",
                      "to discuss a shipyard cluster in Kochi worth Rs 400 crore."])
    result = upload(client, ("clipping.png", png, "image/png")).json()["results"][0]  # type: ignore[attr-defined]
    assert "error" not in result, result
    html = client.get(result["url"]).text
    assert 'id="ocr-note"' in html and "read by OCR" in html
    typed = upload(client, ("korea.txt", REPORT, "text/plain")).json()["results"][0]  # type: ignore[attr-defined]
    assert 'id="ocr-note"' not in client.get(typed["url"]).text
    with Session(engine) as s:
        assert s.get(Document, result["id"]).ocr is True  # type: ignore[union-attr]
