"""Charts of the papers, drawn by matplotlib's SVG backend into vector graphics.

Text stays text (``svg.fonttype: none``) and is set in the paper's own fonts, so district names in Devanagari
read correctly and the PDF's text layer holds the labels. No pyplot: figures are made and dropped here, safe
in a server's threads.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

FONT = "'Desk Sans', 'Desk Sans Ext', 'Desk Devanagari'"
NAVY, SAFFRON, GREY = "#12355b", "#f2a33a", "#9fb0c2"
RC: dict[str, Any] = {"svg.fonttype": "none", "font.size": 8, "axes.spines.top": False, "axes.spines.right": False,
      "axes.edgecolor": "#888888", "svg.hashsalt": "investdesk"}


def _svg(fig: object) -> Markup:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buf)  # type: ignore[arg-type]
    # Matplotlib names the font it measured with; the paper sets the labels in its own fonts.
    text = re.sub(r"'?DejaVu Sans'?", FONT.replace('"', "'"), buf.getvalue())
    data = base64.b64encode(text.encode("utf-8")).decode()
    return Markup(f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">')


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


def bars(labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str, horizontal: bool = False,
         height: float = 2.4) -> Markup | None:
    """A bar chart (grouped when there are several series); None when there is nothing to draw."""
    if not labels or not any(any(v for v in values) for values in series.values()):
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context(RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(7.0, height))
        ax = fig.add_subplot()
        n = len(series)
        width = 0.8 / n
        colours = [NAVY, SAFFRON, GREY]
        positions = list(range(len(labels)))
        for i, (name, values) in enumerate(series.items()):
            offsets = [p + (i - (n - 1) / 2) * width for p in positions]
            if horizontal:
                ax.barh(offsets, values, height=width, label=name, color=colours[i % 3])
            else:
                ax.bar(offsets, values, width=width, label=name, color=colours[i % 3])
        short = [_short(lb) for lb in labels]
        if horizontal:
            ax.set_yticks(positions, short)
            ax.invert_yaxis()
        else:
            ax.set_xticks(positions, short, rotation=30 if len(labels) > 6 else 0,
                          ha="right" if len(labels) > 6 else "center")
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, loc="left", fontsize=9)
        if n > 1:
            ax.legend(frameon=False, fontsize=7)
        fig.tight_layout()
        return _svg(fig)
