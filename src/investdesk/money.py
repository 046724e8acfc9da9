"""Amounts as written (value, currency, unit) normalised to INR crore and USD million, with the currency rates
shipped with the package or the file a setting names (INVESTDESK_RATES_FILE)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.extraction.normalize import UNIT_FACTOR
from investdesk.i18n import _
from investdesk.places import read_table


@lru_cache(maxsize=4)
def _rates(path: Path | None) -> dict[str, tuple[float, float]]:
    return {row["currency"].upper(): (float(row["inr"]), float(row["usd"])) for row in read_table(path, "rates.tsv")}


def currencies() -> set[str]:
    """The currency codes amounts can be normalised from (those with a rate)."""
    return set(_rates(get_settings().rates_file))


def normalise_amount(value: float | None, currency: str | None, unit: str | None, *,
                     field: str = "amount") -> tuple[float | None, float | None]:
    """(INR crore, USD million) of an amount as written; (None, None) when there is none."""
    if value is None:
        return None, None
    if unit not in UNIT_FACTOR:
        raise ValidationFailed(_('%(field)s: unknown unit %(unit)s (use one of thousand, lakh, million, crore, '
                                 'billion, trillion)', field=field, unit=repr(unit)), field=field)
    rates = _rates(get_settings().rates_file)
    code = (currency or "INR").upper()
    if code not in rates:
        raise ValidationFailed(_('%(field)s: no exchange rate for currency %(code)s', field=field,
                                 code=repr(code)), field=field)
    inr, usd = rates[code]
    absolute = float(value) * UNIT_FACTOR[unit]
    return round(absolute * inr / 1e7, 4), round(absolute * usd / 1e6, 4)
