"""The district map drawn as inline SVG, the same for the pages and the papers: no script, no tiles, no network.

Each district is a link to its filtered list, named for screen readers by its figure; colours step through a
five-class blue ramp (grey for nothing), every class readable against the white borders."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from markupsafe import Markup

from investdesk.i18n import _, ngettext
from investdesk.reports.schemas import DistrictMap, MapMetric

# Class 0 (nothing) to 5 (most). Light enough at the low end for the borders, dark enough at the top to read.
RAMP = ("#eef1f4", "#cfe0f3", "#9fc2e7", "#5f97d1", "#2c6cb0", "#123f73")


def value_text(metric: MapMetric, value: float, money: Callable[[float], str]) -> str:
    if metric is MapMetric.pipeline:
        return money(value)
    n = int(round(value))
    if metric is MapMetric.signed:
        return ngettext("%(num)s MoU signed", "%(num)s MoUs signed", n, num=n)
    if metric is MapMetric.pending:
        return ngettext("%(num)s pending MoU", "%(num)s pending MoUs", n, num=n)
    return ngettext("%(num)s open blocker", "%(num)s open blockers", n, num=n)


def svg(m: DistrictMap, *, money: Callable[[float], str], links: bool = True, title: str = "") -> Markup:
    """The map as an ``<svg>`` element sized by its container (viewBox only)."""
    if not m.shapes:
        return Markup("")
    out = [f'<svg class="district-map" viewBox="0 0 {m.width:.0f} {m.height:.0f}" role="group" '
           f'aria-label="{escape(title or _("District map"))}" xmlns="http://www.w3.org/2000/svg">']
    for s in m.shapes:
        name = s.district + (" " + _("(with %(names)s)", names=", ".join(s.holds)) if s.holds else "")
        label = _("%(name)s: %(value)s", name=name, value=value_text(m.metric, s.value, money))
        shape = (f'<path d="{s.path}" fill="{RAMP[s.step]}" stroke="#ffffff" stroke-width="0.8" '
                 f'stroke-linejoin="round" data-step="{s.step}"><title>{escape(label)}</title></path>')
        if links:
            out.append(f'<a href="{escape(s.href)}" aria-label="{escape(label)}" data-district="{escape(s.district)}">'
                       f'{shape}</a>')
        else:
            out.append(shape)
    out.append("</svg>")
    return Markup("".join(out))


def legend(m: DistrictMap, *, money: Callable[[float], str]) -> list[tuple[int, str, str]]:
    """(class, colour, range) of each class in use, most first, then nothing."""
    rows: list[tuple[int, str, str]] = []
    lower = 0.0
    first_step = 6 - len(m.breaks)
    for i, upper in enumerate(m.breaks):
        if m.metric is MapMetric.pipeline:
            text = _("up to %(amount)s", amount=money(upper)) if i == 0 else f"{money(lower)} – {money(upper)}"
        else:
            low, high = int(lower) + 1, int(upper)
            text = str(high) if low >= high else f"{low}–{high}"
        rows.append((first_step + i, RAMP[first_step + i], text))
        lower = upper
    rows.reverse()
    rows.append((0, RAMP[0], _("none")))
    return rows
