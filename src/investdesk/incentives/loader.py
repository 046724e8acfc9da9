"""Reading the policy data files: each YAML file validated whole, errors naming the file, line and field.

A file that fails is refused whole (nothing from it is used) and the message says where: the app and the
CLI show ``fdi_fci_2023.yaml line 42: incentives.0.rate: ...``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from investdesk import places
from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.incentives.rules import REGIONS, PolicyDoc, RegionMaps, SourceList, overlaps
from investdesk.migrate import sector_rows

SHIPPED = "incentives/data"
M = TypeVar("M", bound=BaseModel)


class PolicyFileError(ValidationFailed):
    """A policy data file (or an edited policy) that does not validate."""


def _line_map(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[(*path, k)] = key.start_mark.line + 1
            _line_map(value, (*path, k), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), out)


def parse(text: str, name: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The YAML document and the line of every key and item in it."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise PolicyFileError(_('%(name)s%(where)s: not valid YAML (%(exc)s)', name=name, where=where,
                                exc=getattr(exc, 'problem', exc)),
                              field="document") from None
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _line_map(node, (), lines)
    return data, lines


def _where(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def validate(model: type[M], text: str, name: str) -> M:
    """``text`` as ``model``, or one message naming the file, line and field of the first problem."""
    data, lines = parse(text, name)
    if not isinstance(data, dict):
        raise PolicyFileError(_('%(name)s: expected a mapping of fields at the top', name=name), field="document")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        # Pydantic names union branches in the location ("float", "dict[...]"); the file has no such keys.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in {"float", "str"})))
        msg = err["msg"].removeprefix("Value error, ")
        # A check across fields names its field first ("rate: a percentage above 100"): point at that line.
        named = msg.split(": ", 1)
        if len(named) == 2 and (*loc, named[0]) in lines:
            loc, msg = (*loc, named[0]), named[1]
        line = _where(lines, loc)
        field = ".".join(str(p) for p in loc) or "document"
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise PolicyFileError(f"{name}{f' line {line}' if line else ''}: {field}: {msg}{more}",
                              field=field) from None


def _shipped(name: str) -> str:
    return resources.files("investdesk").joinpath(f"{SHIPPED}/{name}").read_text(encoding="utf-8")


def _sector_ids() -> set[str]:
    return {row["id"] for row in sector_rows()}


@dataclass(frozen=True)
class PolicyData:
    """Everything the calculator needs: the policies by id, the sources, the district-to-region maps."""

    policies: dict[str, PolicyDoc]
    files: dict[str, str]  # policy id -> file it came from
    sources: SourceList
    district_region: dict[str, dict[str, str]]  # map id -> district -> region
    region_maps: RegionMaps


def check_policy(doc: PolicyDoc, name: str, *, sources: SourceList, maps: RegionMaps,
                 others: dict[str, PolicyDoc] | None = None) -> None:
    """Cross-file checks: sources and sectors exist, the region map exists, no overlap within a family."""
    unknown = sorted(doc.sources_used() - set(sources.sources))
    if unknown:
        raise PolicyFileError(_('%(name)s: source %(unknown)s is not in sources.yaml', name=name,
                                unknown=repr(unknown[0])), field="source")
    if doc.region_map not in maps.maps:
        raise PolicyFileError(_('%(name)s: region_map %(region_map)s is not in regions.yaml', name=name,
                                region_map=repr(doc.region_map)), field="region_map")
    known = _sector_ids()
    if doc.eligibility.sectors.ids != "any" and known:
        bad = [s for s in doc.eligibility.sectors.ids if s not in known]
        if bad:
            raise PolicyFileError(_('%(name)s: eligibility.sectors.ids: unknown sector %(bad)s (see `investdesk '
                                    'sectors`)', name=name, bad=repr(bad[0])), field="eligibility.sectors.ids")
    for other in (others or {}).values():
        if other.id != doc.id and other.family == doc.family and overlaps(other.validity, doc.validity):
            raise PolicyFileError(
                _('%(name)s: validity.valid_from: %(valid_from)s to %(open)s overlaps %(id)s (%(valid_from2)s to '
                  '%(open2)s) of the same family %(family)s', name=name, valid_from=doc.validity.valid_from,
                  open=doc.validity.valid_to or 'open', id=other.id, valid_from2=other.validity.valid_from,
                  open2=other.validity.valid_to or 'open', family=repr(doc.family)), field="validity")


def region_table(maps: RegionMaps, name: str) -> dict[str, dict[str, str]]:
    """District -> region per map; every district of the configured list in exactly one region."""
    districts = set(places.districts())
    out: dict[str, dict[str, str]] = {}
    for map_id, rmap in maps.maps.items():
        table: dict[str, str] = {}
        for region, names in rmap.regions.items():
            for district in names:
                if district not in districts:
                    raise PolicyFileError(_('%(name)s: maps.%(map_id)s.regions.%(region)s: %(district)s is not a '
                                            'district of the configured list', name=name, map_id=map_id, region=region,
                                            district=repr(district)), field=f"maps.{map_id}")
                if district in table:
                    raise PolicyFileError(_('%(name)s: maps.%(map_id)s: %(district)s is in both %(district2)s and '
                                            '%(region)s', name=name, map_id=map_id, district=repr(district),
                                            district2=table[district], region=region), field=f"maps.{map_id}")
                table[district] = region
        missing = sorted(districts - set(table))
        if missing:
            raise PolicyFileError(_('%(name)s: maps.%(map_id)s: district %(missing)s is in no region (%(missing2)s '
                                    'missing)', name=name, map_id=map_id, missing=repr(missing[0]),
                                    missing2=len(missing)), field=f"maps.{map_id}")
        absent = [r for r in REGIONS if r not in rmap.regions]
        if absent:
            raise PolicyFileError(_('%(name)s: maps.%(map_id)s.regions: no %(absent)s', name=name, map_id=map_id,
                                    absent=absent[0]), field=f"maps.{map_id}")
        out[map_id] = table
    return out


def _read_dir(directory: Path | None) -> list[tuple[str, str]]:
    if directory is not None:
        if not directory.is_dir():
            raise PolicyFileError(_('INVESTDESK_INCENTIVE_POLICIES_DIR: %(directory)s is not a directory',
                                    directory=directory),
                                  field="incentive_policies_dir")
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.yaml"))]
    folder = resources.files("investdesk").joinpath(SHIPPED)
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".yaml")]


def load_dir(directory: Path | None) -> PolicyData:
    """Every file of the folder (default: the shipped data), validated; the first bad file stops the load."""
    files = dict(_read_dir(directory))
    for needed in ("sources.yaml", "regions.yaml"):
        if needed not in files:
            raise PolicyFileError(_('%(directory)s: %(needed)s is missing', directory=directory or SHIPPED,
                                    needed=needed), field="incentive_policies_dir")
    sources = validate(SourceList, files.pop("sources.yaml"), "sources.yaml")
    maps = validate(RegionMaps, files.pop("regions.yaml"), "regions.yaml")
    table = region_table(maps, "regions.yaml")
    policies: dict[str, PolicyDoc] = {}
    origin: dict[str, str] = {}
    for name, text in files.items():
        doc = validate(PolicyDoc, text, name)
        if doc.id in policies:
            raise PolicyFileError(_('%(name)s: id %(id)s is also in %(id2)s', name=name, id=repr(doc.id),
                                    id2=origin[doc.id]), field="id")
        check_policy(doc, name, sources=sources, maps=maps, others=policies)
        policies[doc.id] = doc
        origin[doc.id] = name
    return PolicyData(policies=policies, files=origin, sources=sources, district_region=table, region_maps=maps)


@lru_cache(maxsize=4)
def _cached(directory: Path | None) -> PolicyData:
    return load_dir(directory)


def policy_data() -> PolicyData:
    """The configured policy files (INVESTDESK_INCENTIVE_POLICIES_DIR, else the shipped ones)."""
    return _cached(get_settings().incentive_policies_dir)


def shipped_text(policy_id: str) -> str:
    data = policy_data()
    directory = get_settings().incentive_policies_dir
    name = data.files[policy_id]
    return (directory / name).read_text(encoding="utf-8") if directory else _shipped(name)
