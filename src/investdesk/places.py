"""The agency's districts, shipped with the package and replaceable by a setting (INVESTDESK_DISTRICTS_FILE): their
Hindi names and the boundary file their map is drawn from; and the Hindi names of countries, sectors and
vocabularies."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.extraction.normalize import normalize
from investdesk.i18n import _


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
        # A sheet written in Hindi names the district in Devanagari ("लखनऊ"): the list's ``hindi`` column.
        for alias in [*(row.get("aliases") or "").split("|"), row.get("hindi") or ""]:
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
        raise ValidationFailed(_('%(field)s: %(name)s is not a district of the configured list', field=field,
                                 name=repr(name)), field=field)
    return found


@dataclass(frozen=True)
class DistrictRef:
    """A district of the configured list: its name, Hindi name, the shape that draws it on the district map (its
    2011 census name when renamed since) and, for a district created after the boundaries were drawn, the
    district whose shape holds it."""

    name: str
    hindi: str | None
    shape: str | None
    parent: str | None


@lru_cache(maxsize=4)
def _district_refs(path: Path | None) -> tuple[DistrictRef, ...]:
    out = []
    for line, row in enumerate(read_table(path, "districts_up.tsv"), start=2):
        name = (row.get("district") or "").strip()
        if not name:
            raise ValidationFailed(_('%(file)s: row %(line)s has no district', file=path or 'districts_up.tsv',
                                     line=line), field="district")
        parent = (row.get("parent") or "").strip() or None
        shape = None if parent else ((row.get("map") or "").strip() or name)
        out.append(DistrictRef(name=name, hindi=(row.get("hindi") or "").strip() or None, shape=shape,
                               parent=parent))
    return tuple(out)


def district_refs() -> tuple[DistrictRef, ...]:
    """The configured districts with their Hindi names and map shapes, in the file's order."""
    return _district_refs(get_settings().districts_file)


def boundary_file() -> Path | Traversable | None:
    """The district boundaries (GeoJSON) of the configured list: the districts file's name with ``.geojson``
    (``districts_up.tsv`` -> ``districts_up.geojson``); None when there is none beside it."""
    path = get_settings().districts_file
    if path is None:
        return resources.files("investdesk").joinpath("data/districts_up.geojson")
    beside = path.with_suffix(".geojson")
    return beside if beside.is_file() else None


@lru_cache(maxsize=1)
def _hindi_names() -> dict[tuple[str, str], str]:
    rows = read_table(None, "hindi_names.tsv")
    return {(row["kind"], row["key"]): row["hindi"] for row in rows}


def hindi_names(kind: str) -> dict[str, str]:
    """Every listed Hindi name of one kind (``country``: ISO code -> name; ``district``: district -> name)."""
    if kind == "district":
        return {d.name: d.hindi for d in district_refs() if d.hindi}
    return {key: hindi for (k, key), hindi in _hindi_names().items() if k == kind}


def hindi_name(kind: str, key: str | None) -> str | None:
    """The Hindi name of a country (ISO code), sector (id), stage, status, blocker category, escalation level
    or district; None when none is listed."""
    if not key:
        return None
    if kind == "district":
        return next((d.hindi for d in district_refs() if d.name == key), None)
    return _hindi_names().get((kind, key.upper() if kind == "country" else key))
