"""The district map as a PNG picture, for the workbook (a spreadsheet holds no SVG that every reader shows).

Drawn by matplotlib's Agg renderer from the same shapes, colour classes and legend as the SVG map of the pages and
the PDF pack (reports.mapsvg), so the three agree; the legend is set in the paper's own fonts (Noto Sans, with
Noto Sans Devanagari for Hindi and the rupee sign), shaped by the renderer's text layout. No pyplot: the figure
is made and dropped here, safe in a server's threads.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from pathlib import Path

from investdesk.reports import mapsvg
from investdesk.reports.schemas import DistrictMap

FONTS = Path(__file__).resolve().parent / "fonts"
# Latin first, Devanagari for what it lacks (Hindi words, ₹): matplotlib falls back glyph by glyph.
FAMILIES = ["Noto Sans", "Noto Sans Devanagari"]
_FONT_FILES = ("noto-sans-latin-400-normal.ttf", "noto-sans-latin-700-normal.ttf",
               "noto-sans-devanagari-devanagari-400-normal.ttf", "noto-sans-devanagari-devanagari-700-normal.ttf")
DPI = 100
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_RING = re.compile(r"M([^lz]*)l([^z]*)z")
_fonts_added = threading.Lock()
_added: list[bool] = []


def rings(path: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a shape's path data as written by reports.geometry ("M x y l dx dy dx dy ... z",
    one per ring): absolute points."""
    out = []
    for start, steps in _RING.findall(path):
        x, y = (float(v) for v in _NUMBER.findall(start)[:2])
        ring = [(x, y)]
        deltas = [float(v) for v in _NUMBER.findall(steps)]
        for dx, dy in zip(deltas[::2], deltas[1::2], strict=False):
            x, y = x + dx, y + dy
            ring.append((x, y))
        out.append(ring)
    return out


def _add_fonts() -> None:
    """The shipped fonts made known to matplotlib, once per process."""
    from matplotlib import font_manager

    with _fonts_added:
        if not _added:
            for name in _FONT_FILES:
                font_manager.fontManager.addfont(str(FONTS / name))
            _added.append(True)


def png(m: DistrictMap, *, title: str, money: Callable[[float], str], width_in: float = 7.0) -> bytes | None:
    """The map with its title and legend as PNG bytes; None when there are no boundaries to draw."""
    if not m.shapes or not m.width or not m.height:
        return None
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath

    _add_fonts()
    map_w = width_in * 0.68
    height_in = max(3.0, map_w * m.height / m.width + 0.6)
    with rc_context({"font.family": FAMILIES, "font.size": 9}):
        fig = Figure(figsize=(width_in, height_in), dpi=DPI)
        ax = fig.add_axes((0.01, 0.02, 0.66, 0.86))
        patches, colours = [], []
        for shape in m.shapes:
            parts = rings(shape.path)
            if not parts:
                continue
            vertices = [p for ring in parts for p in [*ring, ring[0]]]
            codes = [c for ring in parts
                     for c in [MplPath.MOVETO, *[MplPath.LINETO] * (len(ring) - 1), MplPath.CLOSEPOLY]]
            patches.append(PathPatch(MplPath(vertices, codes)))
            colours.append(mapsvg.RAMP[shape.step])
        ax.add_collection(PatchCollection(patches, facecolors=colours, edgecolors="#ffffff", linewidths=0.6))
        ax.set_xlim(0, m.width)
        ax.set_ylim(m.height, 0)  # the shapes' y grows downwards, as in SVG
        ax.set_aspect("equal")
        ax.axis("off")
        fig.text(0.01, 0.97, title, fontsize=12, fontweight="bold", va="top")
        legend = mapsvg.legend(m, money=money)
        key = [Rectangle((0, 0), 1, 1, facecolor=colour, edgecolor="#888888", linewidth=0.5)
               for _step, colour, _text in legend]
        fig.legend(key, [text for _step, _colour, text in legend], loc="upper left", bbox_to_anchor=(0.69, 0.86),
                   frameon=False, fontsize=9, handlelength=1.4, handleheight=1.2)
        out = io.BytesIO()
        # A long legend (Hindi amounts) widens the picture rather than being cut at the figure's edge.
        FigureCanvasAgg(fig).print_figure(out, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15)
        return out.getvalue()
