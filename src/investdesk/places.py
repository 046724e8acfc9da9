"""The agency's districts, shipped with the package and replaceable by a setting (INVESTDESK_DISTRICTS_FILE)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.text import normalize


def read_table(path: Path | None, packaged: str) -> list[dict[str, str]]:
    """Rows of a TSV shipped in investdesk/data (``packaged``), or of the file a setting names instead."""
    text = path.read_text(encoding="utf-8") if path else \
        resources.files("investdesk").joinpath(f"data/{packaged}").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=4)
def _districts(path: Path | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_table(path, "districts_up.tsv"):
        out[normalize(row["district"])] = row["district"]
        for alias in (row.get("aliases") or "").split("|"):
            if alias.strip():
                out[normalize(alias)] = row["district"]
    return out


def districts() -> list[str]:
    return sorted(set(_districts(get_settings().districts_file).values()))


def district(name: str | None, *, field: str = "district") -> str | None:
    """The district's name as listed, from its name or a former name ("Allahabad" -> "Prayagraj")."""
    if name is None or not name.strip():
        return None
    found = _districts(get_settings().districts_file).get(normalize(name.removesuffix(" district")))
    if found is None:
        raise ValidationFailed(f"{field}: {name!r} is not a district of the configured list", field=field)
    return found
