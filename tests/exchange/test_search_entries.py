"""An import writes the search entries of what it creates from the rows it wrote, in bulk: they must be what the
index writes when it reads the records back (``search rebuild``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from investdesk.exchange import service as exchange
from investdesk.models import SearchEntry
from investdesk.search import index as search_index
from tests.exchange.helpers import MOU_HEADER, xlsx
from tests.factories import SYSTEM, create_organization


def _entries(session: Session) -> list[tuple[Any, ...]]:
    session.flush()
    return [tuple(r) for r in session.execute(
        select(SearchEntry.id, SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.subtitle,
               SearchEntry.body, cast(SearchEntry.tsv, Text)).order_by(SearchEntry.id))]


def test_imported_records_are_indexed_as_a_rebuild_indexes_them(session: Session, tmp_path: Path) -> None:
    known = create_organization(session)  # matched by another spelling: the entry shows the name on record
    mous: list[list[Any]] = [MOU_HEADER,
            [1, "Cell plant", f"{known.name.upper()}; Sakura Battery Pvt Ltd", 120, 300, "Jhansi", "Pharmaceuticals",
             "12-01-2024", "Land Allotted", "GIS-1"],
            [2, "Rare-earth magnets", "Hokuto Materials", 9, None, "Lucknow", None, "13-01-2024", "Signed", None],
            [3, "झाँसी पार्क", "Sakura Battery Pvt Ltd", None, 10, None, "electric_mobility", None, "Stalled", "GIS-3"]]
    exchange.import_mous(session, actor=SYSTEM, source=exchange.Source.from_path(xlsx(tmp_path / "m.xlsx", mous)))
    leads: list[list[Any]] = [
        ["Lead", "Investor", "Type", "Status", "Sectors", "Country", "District", "Next Action", "Notes"],
        ["Battery line", "Sakura Battery Pvt Ltd", "Manufacturing", "Interested",
         "electric_mobility; Pharmaceuticals", "Japan", "Jhansi", "Site visit", "rare-earth supply"],
        ["Lab", "Orion Labs", "R&D Centre", "Engaged", None, None, None, None, None]]
    exchange.import_opportunities(session, actor=SYSTEM,
                                  source=exchange.Source.from_path(xlsx(tmp_path / "l.xlsx", leads)))
    written = _entries(session)
    assert {kind for _, kind, *_ in written} == {"organization", "mou", "opportunity"}
    assert len([e for e in written if e[1] == "mou"]) == 3
    search_index.rebuild(session)
    assert _entries(session) == written
