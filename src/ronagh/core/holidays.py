"""The official holidays of a Jalali year from the `holidays` package (SPEC 3): country `IR`,
solar and lunar, Persian names; the lunar ones, which follow the moon's sighting, are only
estimated by the package (their names end in "(estimated)") and the secretariat corrects them
when they are announced. Pure: no Django here; `services.seed_holidays` stores what this says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_package

from ronagh.lib import jalali

# The holidays fixed in the solar calendar (Jalali month, day): Nowruz, the Islamic Republic's
# day, Nature day, Khomeini's death and 15 Khordad, the Revolution's victory, the oil industry's
# nationalisation. Every other official holiday is lunar.
SOLAR = {(1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22), (12, 29)}
ESTIMATED_FA = "(تخمینی)"


@dataclass(frozen=True)
class OfficialHoliday:
    date: dt.date
    title: str
    lunar: bool
    estimated: bool


def official_holidays(year: int) -> list[OfficialHoliday]:
    """The official holidays of Jalali `year`, by date."""
    first, last = jalali.year_bounds(year)
    years = sorted({first.year, last.year})
    names_fa = holidays_package.country_holidays("IR", years=years, language="fa_IR")
    names_en = holidays_package.country_holidays("IR", years=years, language="en_US")
    out = []
    for day in sorted(d for d in names_fa if first <= d <= last):
        estimated = "estimated" in (names_en.get(day) or "")
        parts = [p.replace(ESTIMATED_FA, "").strip() for p in names_fa[day].split(";")]
        title = "، ".join(dict.fromkeys(p for p in parts if p))
        j = jalali.to_jalali(day)
        out.append(OfficialHoliday(day, title[:200], (j.month, j.day) not in SOLAR, estimated))
    return out
