"""The review page's "Edit, then accept" speaks the records' language: select boxes with labels, the pipeline's
stages, the lead form's amount; a wrong field gets a plain message beside it and keeps what was typed. Each item
says what accepting will do. The lead form reads an amount written out too."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.models import ExtractedItem, Opportunity
from investdesk.models.enums import ItemState, Role
from tests import factories
from tests.documents.helpers import store

Pages = Callable[..., TestClient]
HTMX = {"HX-Request": "true", "HX-Target": "review-items"}


def _seed(engine: Engine, tmp_path: Path) -> tuple[int, int]:
    with Session(engine) as s:
        factories.create_organization(s, name="Tanaka Electric Corporation", acronym=None, kind="company")
        doc = store(s, tmp_path).document
        lead = next(i.id for i in doc.items if i.field == "opportunities")
        s.commit()
        return doc.id, lead


def test_the_review_says_what_accepting_does_and_offers_the_records_choices(pages: Pages, engine: Engine,
                                                                            tmp_path: Path) -> None:
    doc_id, lead = _seed(engine, tmp_path)
    html = pages().get(f"/documents/{doc_id}").text
    item = html.split(f'id="item-{lead}"')[1].split("</article>")[0]
    assert "Tanaka Electric Co. Ltd.: manufacturing R&amp;D base" in item and "manufacturing_rnd_base<" not in item
    assert re.search(r"Accepting will\s+create a new lead\.", item)
    assert '<option value="manufacturing_rnd_base" selected>Manufacturing R&amp;D base</option>' in item
    stages = re.findall(r'<option value="(\w+)"', item.split('name="f_stage"')[1].split("</select>")[0])
    assert stages == ["identified", "engaged", "interested", "mou_signed"]
    assert '<option value="interested" selected>' in item.split('name="f_stage"')[1]
    assert 'name="f_amount_value" type="text" value="1200"' in item
    assert "delegation to Japan" in html and "delegation to JP" not in html
    org = next(a for a in html.split("<article")[1:] if "Tanaka Electric Co. Ltd.</span>" in a)
    # Resolved to the organization already known, which the reviewer may trade for a new one.
    assert re.search(r'merge it into <a href="/organizations/\d+">Tanaka Electric Corporation</a>', org)
    # Each choice carries the sentence the line then says (the page's script puts it there when it is picked).
    assert ('<option value="" data-plan="merge" data-says="Accepting will merge it into Tanaka Electric '
            'Corporation.">Merge into Tanaka Electric Corporation</option>') in org
    assert ('<option value="new" data-plan="new" data-says="Accepting will create a new organization.">'
            'A new organization</option>') in org


def test_a_wrong_edit_keeps_what_was_typed_and_says_why_beside_the_field(pages: Pages, engine: Engine,
                                                                         tmp_path: Path) -> None:
    doc_id, lead = _seed(engine, tmp_path)
    client = pages()
    form = {"edit": "1", "f_counterpart": "Tanaka Electric Co. Ltd.", "f_kind": "manufacturing_base",
            "f_stage": "identified", "f_amount_value": "USD 50 million", "f_amount_currency": "",
            "f_amount_unit": "", "f_jobs": "many", "f_location": "Jhansi", "has_sectors": "1"}
    bad = client.post(f"/documents/{doc_id}/items/{lead}/accept", data=form, headers=HTMX)
    assert bad.status_code == 422
    item = bad.text.split(f'id="item-{lead}"')[1].split("</article>")[0]
    assert 'value="USD 50 million"' in item and 'value="many"' in item
    assert '<option value="identified" selected>' in item
    assert f'<p class="field-error" id="i{lead}-jobs-error">Write a whole number, e.g. 1,200.</p>' in item
    assert "Input should" not in bad.text and f"item {lead}" not in bad.text
    with Session(engine) as s:
        assert s.scalars(select(Opportunity)).first() is None
    good = client.post(f"/documents/{doc_id}/items/{lead}/accept", data={**form, "f_jobs": "1,200"}, headers=HTMX)
    assert good.status_code == 200, good.text[-300:]
    with Session(engine) as s:
        opp = s.scalars(select(Opportunity)).one()
        assert (opp.stage.value, opp.amount_currency, float(opp.amount_value or 0), opp.amount_unit, opp.jobs) == (
            "identified", "USD", 50.0, "million", 1200)
        assert s.get(ExtractedItem, lead).state is ItemState.edited  # type: ignore[union-attr]


def test_the_lead_form_reads_an_amount_written_out(pages: Pages, engine: Engine) -> None:
    client = pages()
    page = client.get("/opportunities/new").text
    token = re.search(r'name="csrf_token" value="([^"]*)"', page)
    created = client.post("/opportunities/new", data={
        "csrf_token": token.group(1) if token else "", "title": "Magnet plant", "kind": "investment",
        "stage": "identified", "amount_value": "USD 50 million", "amount_currency": "INR"})
    assert created.status_code == 303, created.text[-400:]
    with Session(engine) as s:
        opp = s.scalars(select(Opportunity)).one()
        assert (opp.amount_currency, float(opp.amount_value or 0), opp.amount_unit) == ("USD", 50.0, "million")


def test_the_reviewer_finds_any_record_of_the_kind_to_merge_into(pages: Pages, engine: Engine, tmp_path: Path) -> None:
    """The search box beside "Accept as" asks the search index, so a record whose name is nothing like the
    extracted one can be chosen; accepting then merges into it."""
    with Session(engine) as s:
        daehan = factories.create_organization(s, name="Daehan Display Materials", acronym=None, kind="company").id
        factories.create_person(s, name="Kenji Sato")
        s.commit()
    doc_id, _lead = _seed(engine, tmp_path)
    with Session(engine) as s:
        invest_up = s.scalars(select(ExtractedItem).where(ExtractedItem.document_id == doc_id,
                                                          ExtractedItem.field == "organizations")).all()
        item = next(i.id for i in invest_up if i.payload["name"] == "Invest UP")
    client = pages()
    html = client.get(f"/documents/{doc_id}").text
    article = html.split(f'id="item-{item}"')[1].split("</article>")[0]
    # No close name, yet the list and the search box are offered.
    assert 'name="merge_into"' in article and "Daehan" not in article
    assert f'hx-get="/documents/{doc_id}/items/{item}/targets"' in article
    found = client.get(f"/documents/{doc_id}/items/{item}/targets", params={"q": "daehan disp"},
                       headers={"HX-Request": "true"})
    assert found.status_code == 200 and found.text.strip().startswith(f'<select id="mi-{item}" name="merge_into"')
    assert re.search(f'<option value="{daehan}" data-plan="merge" data-says="Accepting will merge it into Daehan '
                     f'Display Materials[^"]*" selected>Merge into Daehan Display Materials', found.text)
    assert ('<option value="" data-plan="new" data-says="Accepting will create a new organization.">'
            'A new organization</option>') in found.text  # the other choices stay
    nothing = client.get(f"/documents/{doc_id}/items/{item}/targets", params={"q": "zzqx"}).text
    assert "Nothing found" in nothing and " selected" not in nothing
    # Only records of the item's kind: a person's name finds no organization.
    assert "Nothing found" in client.get(f"/documents/{doc_id}/items/{item}/targets", params={"q": "Kenji Sato"}).text
    accepted = client.post(f"/documents/{doc_id}/items/{item}/accept", data={"merge_into": str(daehan)},
                           headers=HTMX)
    assert accepted.status_code == 200
    with Session(engine) as s:
        row = s.get(ExtractedItem, item)
        assert row is not None and row.state is ItemState.accepted and row.record_id == daehan
    # A viewer may not review, so may not ask.
    assert pages(Role.viewer).get(f"/documents/{doc_id}/items/{item}/targets", params={"q": "daehan"}).status_code \
        in (403, 404)
