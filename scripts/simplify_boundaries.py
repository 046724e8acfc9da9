"""Simplify a GeoJSON file of district boundaries into the small file InvestDesk draws its district map from.

    python scripts/simplify_boundaries.py SOURCE.json OUT.geojson [--tolerance 0.004] [--name-field DISTRICT]

Borders shared by two districts are simplified once (between the points where three or more districts meet),
so neighbours keep a common edge and no gaps or overlaps appear. Coordinates are rounded to 3 decimals
(about 100 m), far below one pixel of a state map.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

Point = tuple[float, float]


def _key(p: list[float]) -> Point:
    return (round(p[0], 7), round(p[1], 7))


def _distance(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on an open line, its end points kept; the same result whichever way the line runs."""
    if len(points) < 3:
        return points
    flip = points[0] > points[-1]
    line = list(reversed(points)) if flip else points
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, at = 0.0, -1
        for i in range(lo + 1, hi):
            d = _distance(line[i], line[lo], line[hi])
            if d > best:
                best, at = d, i
        if at >= 0 and best > tolerance:
            keep[at] = True
            stack += [(lo, at), (at, hi)]
    out = [p for p, k in zip(line, keep, strict=True) if k]
    return list(reversed(out)) if flip else out


def _rings(geometry: dict) -> list[list[list[Point]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[[_key(p) for p in ring] for ring in polygon] for polygon in polygons]


def simplify(features: list[dict], tolerance: float) -> list[list[list[list[Point]]]]:
    shapes = [_rings(f["geometry"]) for f in features]
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for polygons in shapes:
        for polygon in polygons:
            for ring in polygon:
                n = len(ring) - 1  # closed: the last point repeats the first
                for i in range(n):
                    neighbours[ring[i]].update((ring[i - 1], ring[(i + 1) % n]))
    junction = {p for p, near in neighbours.items() if len(near) > 2}
    out = []
    for polygons in shapes:
        simple_polygons = []
        for polygon in polygons:
            simple_rings = []
            for ring in polygon:
                points = ring[:-1]
                stops = [i for i, p in enumerate(points) if p in junction]
                if not stops:  # an island or a border shared with no one: fix two points of its own
                    stops = [0, len(points) // 2]
                rotated = points[stops[0]:] + points[:stops[0]]
                stops = [s - stops[0] for s in stops] + [len(points)]
                rotated.append(rotated[0])
                simple: list[Point] = []
                for a, b in zip(stops, stops[1:], strict=False):
                    simple.extend(douglas_peucker(rotated[a:b + 1], tolerance)[:-1])
                simple.append(simple[0])
                if len(simple) >= 4:
                    simple_rings.append(simple)
            if simple_rings:
                simple_polygons.append(simple_rings)
        out.append(simple_polygons)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tolerance", type=float, default=0.004, help="degrees (0.004 is about 400 m)")
    parser.add_argument("--name-field", default="DISTRICT")
    parser.add_argument("--code-field", default="censuscode")
    parser.add_argument("--attribution", default="District boundaries: DataMeet (2011 census), CC BY 2.5 IN",
                        help="the attribution shown under the map")
    args = parser.parse_args()
    source = json.loads(args.source.read_text(encoding="utf-8"))
    features = source["features"]
    shapes = simplify(features, args.tolerance)
    rows = []
    for feature, polygons in zip(features, shapes, strict=True):
        coords = [[[[round(x, 3), round(y, 3)] for x, y in ring] for ring in polygon] for polygon in polygons]
        props = {"name": feature["properties"][args.name_field],
                 "code": str(feature["properties"].get(args.code_field, ""))}
        geometry = {"type": "MultiPolygon", "coordinates": coords}
        rows.append(json.dumps({"type": "Feature", "properties": props, "geometry": geometry},
                               separators=(",", ":"), ensure_ascii=False))
    args.out.write_text('{"type":"FeatureCollection","source":' + json.dumps(args.attribution, ensure_ascii=False)
                              + ',"features":[\n' + ",\n".join(rows) + "\n]}\n", encoding="utf-8")
    before = sum(len(r) for s in (_rings(f["geometry"]) for f in features) for p in s for r in p)
    after = sum(len(r) for s in shapes for p in s for r in p)
    print(f"{len(features)} districts, {before} points -> {after}, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
