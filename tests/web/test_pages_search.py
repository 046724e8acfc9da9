"""The search page's "See all": one kind's matches in pages, with honest counts (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from tests.factories import SYSTEM

Pages = Callable[..., TestClient]


def test_see_all_pages_through_every_match(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        for i in range(1, 8):
            pipeline.create(s, actor=SYSTEM, data=OpportunityCreate(title=f"Foundry unit {i}", stage="identified"))
        s.commit()
    client = pages()
    overview = client.get("/search", params={"q": "foundry"}).text
    assert "/search?q=foundry&amp;kind=opportunity" not in overview  # seven fit on the overview: no "See all"
    seen: list[str] = []
    for number, (first, last) in enumerate(((1, 3), (4, 6), (7, 7)), start=1):
        page = client.get("/search", params={"q": "foundry", "kind": "opportunity", "per_page": 3, "page": number})
        assert page.status_code == 200
        assert f"{first}–{last} of 7 opportunities found" in page.text
        assert f"Page {number} of 3" in page.text
        assert ('rel="prev"' in page.text) == (number > 1) and ('rel="next"' in page.text) == (number < 3)
        seen += re.findall(r'<a href="/opportunities/\d+">(Foundry unit \d)</a>', page.text)
    assert sorted(seen) == [f"Foundry unit {i}" for i in range(1, 8)]
    # A page past the end shows the last one; the page size is offered.
    last = client.get("/search", params={"q": "foundry", "kind": "opportunity", "per_page": 3, "page": 40}).text
    assert "7–7 of 7" in last and "per page" in last
