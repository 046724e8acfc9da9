"""Reference data: every district, country, sector, stage, status, blocker category and escalation level shipped
with the package has a name in Devanagari; the district list reads with or without its map columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from investdesk import places
from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.formatting import country_choices
from investdesk.migrate import sector_rows
from investdesk.models.enums import BlockerCategory, EscalationLevel, MouStatus, OpportunityStage

DEVANAGARI = re.compile(r"^[\u0900-\u097F\u200c\u200d ,()/-]+$")


def test_every_shipped_name_has_a_hindi_name_in_devanagari() -> None:
    wanted = [("district", d.name) for d in places.district_refs()]
    wanted += [("country", code) for code, _ in country_choices()]
    wanted += [("sector", row["id"]) for row in sector_rows()]
    wanted += [("stage", s.value) for s in OpportunityStage] + [("status", s.value) for s in MouStatus]
    wanted += [("blocker", c.value) for c in BlockerCategory] + [("level", lv.value) for lv in EscalationLevel]
    missing = [w for w in wanted if not places.hindi_name(*w)]
    assert not missing
    latin = [(w, places.hindi_name(*w)) for w in wanted if not DEVANAGARI.match(places.hindi_name(*w) or "")]
    assert not latin
    assert places.hindi_name("district", "Lucknow") == "लखनऊ" and places.hindi_name("country", "jp") == "जापान"
    assert places.hindi_name("sector", "nothing") is None and places.hindi_name("country", None) is None


def test_a_district_list_without_the_new_columns_still_reads(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    listing = tmp_path / "districts_mh.tsv"
    listing.write_text("district\taliases\nPune\tPoona\nMumbai City\tBombay\n", encoding="utf-8")
    monkeypatch.setenv("INVESTDESK_DISTRICTS_FILE", str(listing))
    get_settings.cache_clear()
    try:
        refs = places.district_refs()
        assert [(d.name, d.hindi, d.shape, d.parent) for d in refs] == [
            ("Pune", None, "Pune", None), ("Mumbai City", None, "Mumbai City", None)]
        assert places.district("Poona") == "Pune" and places.boundary_file() is None
        (tmp_path / "districts_mh.geojson").write_text("{}", encoding="utf-8")
        assert places.boundary_file() == tmp_path / "districts_mh.geojson"
        broken = tmp_path / "districts_bad.tsv"
        broken.write_text("district\taliases\n\tPoona\n", encoding="utf-8")
        monkeypatch.setenv("INVESTDESK_DISTRICTS_FILE", str(broken))
        get_settings.cache_clear()
        with pytest.raises(ValidationFailed, match="districts_bad.tsv: row 2 has no district"):
            places.district_refs()
    finally:
        get_settings.cache_clear()
