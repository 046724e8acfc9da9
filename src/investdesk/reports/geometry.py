"""District boundaries as SVG paths: a GeoJSON file of (Multi)Polygons projected to a fixed-width canvas.

The projection is equirectangular, scaled by the cosine of the middle latitude: over one Indian state (a few
hundred kilometres) it is indistinguishable from a conformal one, and it needs no library."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from investdesk.errors import ValidationFailed
from investdesk.i18n import _

WIDTH = 600.0  # SVG user units; the page scales the drawing to its column


@dataclass(frozen=True)
class Outline:
    name: str
    path: str  # SVG path data
    centre: tuple[float, float]


@dataclass(frozen=True)
class Outlines:
    width: float
    height: float
    shapes: tuple[Outline, ...]
    source: str = ""  # the attribution the file's licence asks for (its top-level "source" member)


def _polygons(geometry: dict, where: str) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValidationFailed(_("%(where)s: geometry %(kind)s is not a Polygon or MultiPolygon", where=where,
                             kind=repr(kind)), field="geometry")


def _num(v: float) -> str:
    text = f"{v:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _ring_path(pts: list[tuple[float, float]]) -> str:
    """A closed ring as compact path data: the first point absolute, the rest relative to the one before,
    rounded to a tenth of a unit (the deltas are summed from the rounded points, so errors do not add up)."""
    rounded = [(round(x, 1), round(y, 1)) for x, y in pts]
    steps = [f"{_num(x - px)} {_num(y - py)}" for (px, py), (x, y) in zip(rounded, rounded[1:], strict=False)
             if (x, y) != (px, py)]
    return f"M{_num(rounded[0][0])} {_num(rounded[0][1])}l" + " ".join(steps) + "z"


def _load(file: Path | Traversable) -> Outlines:
    where = str(file)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(_("%(where)s: not a GeoJSON FeatureCollection (%(error)s)", where=where, error=exc),
                               field="districts_file") from None
    named: list[tuple[str, list[list[list[list[float]]]]]] = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        name = props.get("name") or props.get("DISTRICT") or props.get("district")
        if not name:
            raise ValidationFailed(_("%(where)s: feature %(number)s has no name property", where=where, number=i),
                                   field="name")
        named.append((str(name), _polygons(feature.get("geometry") or {}, f"{where}: feature {i} ({name})")))
    points = [p for _, polygons in named for polygon in polygons for ring in polygon for p in ring]
    if not points:
        raise ValidationFailed(_("%(where)s: no boundaries in the file", where=where), field="districts_file")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = WIDTH / ((max(lons) - min(lons)) * squeeze)
    west, north = min(lons), max(lats)

    def xy(p: list[float]) -> tuple[float, float]:
        return (p[0] - west) * squeeze * scale, (north - p[1]) * scale

    shapes = []
    for name, polygons in named:
        parts, area_x, area_y, area = [], 0.0, 0.0, 0.0
        for polygon in polygons:
            for ring in polygon:
                pts = [xy(p) for p in ring]
                parts.append(_ring_path(pts))
                # Area-weighted centroid of the rings (the label point of the district).
                for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
                    cross = x1 * y2 - x2 * y1
                    area += cross
                    area_x += (x1 + x2) * cross
                    area_y += (y1 + y2) * cross
        centre = (area_x / (3 * area), area_y / (3 * area)) if area else xy(polygons[0][0][0])
        shapes.append(Outline(name=name, path="".join(parts), centre=(round(centre[0], 1), round(centre[1], 1))))
    height = (max(lats) - min(lats)) * scale
    return Outlines(width=WIDTH, height=round(height, 1), shapes=tuple(shapes), source=str(data.get("source") or ""))


_read: dict[str, Outlines] = {}


def outlines(file: Path | Traversable) -> Outlines:
    """The file's districts as SVG paths (read once per file and modification time)."""
    stamp = file.stat().st_mtime_ns if isinstance(file, Path) else 0
    key = f"{file}@{stamp}"
    if key not in _read:
        _read[key] = _load(file)
    return _read[key]
