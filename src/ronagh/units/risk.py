"""The early-warning score of SPEC 6 as pure functions (no Django): a points scorecard.

A unit's monthly indicators become **badness** features, computed from the reports that had
arrived by the month scored and nothing later (no leakage; the unit's own status is not an
input):

- ``utilisation_gap``   100 − capacity utilisation %;
- ``tax_overdue``, ``insurance_overdue``, ``bank_overdue``   months overdue;
- ``bounced_cheques``, ``utility_cutoffs``   counted over the last three months;
- ``staff_fall_3``, ``staff_fall_12``   % fall of employees against 3 and 12 months before;
- ``sales_fall_3``, ``sales_fall_12``   % fall of sales against 3 and 12 months before;
- ``missing_reports``   months in a row, up to the month scored, with no report.

A month without a report carries every value of the last report forward (and adds to
``missing_reports``), so a missing report never scores lower than an unchanged one.

Each feature falls into bins by thresholds (``value ≥ threshold``); every threshold reached adds
its points, and points are never negative, so the points of a feature only rise as it worsens.
The score is the sum of the points of every feature, capped at 100; levels: low, medium (≥ 40),
high (≥ 70). The table of thresholds and points is data (`Table`), fitted by `fitting.py` and
stored with a version, so a score can always be explained by the table that made it.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

MEDIUM, HIGH = 40, 70
MAX_SCORE = 100


class Level(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def level_of(score: float) -> Level:
    if score >= HIGH:
        return Level.HIGH
    if score >= MEDIUM:
        return Level.MEDIUM
    return Level.LOW


@dataclass(frozen=True)
class Report:
    """One month's indicators of a unit as entered (None: not given)."""

    employees: float | None = None
    utilisation: float | None = None
    sales: float | None = None
    energy: float | None = None
    tax: float | None = None
    insurance: float | None = None
    bank: float | None = None
    cheques: float | None = None
    cutoffs: float | None = None


REPORT_FIELDS = tuple(Report.__dataclass_fields__)

# feature → default thresholds (the bins); a fitted table may keep or change them.
DEFAULT_BINS: dict[str, tuple[float, ...]] = {
    "utilisation_gap": (30, 50, 70, 90),
    "tax_overdue": (1, 3, 6),
    "insurance_overdue": (1, 3, 6),
    "bank_overdue": (1, 3, 6),
    "bounced_cheques": (1, 3, 6),
    "utility_cutoffs": (1, 3),
    "staff_fall_3": (10, 25, 50),
    "staff_fall_12": (15, 30, 60),
    "sales_fall_3": (20, 40, 70),
    "sales_fall_12": (25, 50, 80),
    "missing_reports": (1, 2, 3),
}
FEATURES = tuple(DEFAULT_BINS)


def _fall(now: float | None, before: float | None) -> float:
    """% fall from `before` to `now` (0 when it rose, or when either is unknown)."""
    if now is None or before is None or before <= 0:
        return 0.0
    return max(0.0, (before - now) / before * 100.0)


def features_series(history: Sequence[Report | None]) -> list[dict[str, float]]:
    """The badness features of every month of `history` (None marks a month with no report),
    each from that month and the months before it only. Unknown values count as no badness."""
    out: list[dict[str, float]] = []
    carried: list[Report] = []
    last: dict[str, float | None] = dict.fromkeys(REPORT_FIELDS)
    missing = 0
    none = Report()
    for index, report in enumerate(history):
        if report is None:
            missing += 1
        else:
            missing = 0
            for name in REPORT_FIELDS:
                value = getattr(report, name)
                if value is not None:
                    last[name] = float(value)
        now = Report(**last)
        carried.append(now)
        before_3 = carried[index - 3] if index >= 3 else none
        before_12 = carried[index - 12] if index >= 12 else none
        window = carried[max(0, index - 2) : index + 1]
        out.append(
            {
                "utilisation_gap": (100.0 - now.utilisation)
                if now.utilisation is not None
                else 0.0,
                "tax_overdue": now.tax or 0.0,
                "insurance_overdue": now.insurance or 0.0,
                "bank_overdue": now.bank or 0.0,
                "bounced_cheques": sum(r.cheques or 0.0 for r in window),
                "utility_cutoffs": sum(r.cutoffs or 0.0 for r in window),
                "staff_fall_3": _fall(now.employees, before_3.employees),
                "staff_fall_12": _fall(now.employees, before_12.employees),
                "sales_fall_3": _fall(now.sales, before_3.sales),
                "sales_fall_12": _fall(now.sales, before_12.sales),
                "missing_reports": float(missing),
            }
        )
    return out


def features_at(history: Sequence[Report | None], index: int) -> dict[str, float]:
    """The badness features of the month `history[index]`, from months 0..index only."""
    if not 0 <= index < len(history):
        raise IndexError(index)
    return features_series(history[: index + 1])[-1]


def arrears_months(feats: dict[str, float]) -> float:
    """The largest of the three arrears (the plain rule "any arrears ≥ 3 months" reads it)."""
    return max(feats["tax_overdue"], feats["insurance_overdue"], feats["bank_overdue"])


@dataclass(frozen=True)
class Table:
    """A fitted scorecard: per feature its thresholds and the points each one adds (≥ 0)."""

    bins: dict[str, tuple[float, ...]]
    points: dict[str, tuple[float, ...]]
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        for name in self.bins:
            thresholds, points = self.bins[name], self.points.get(name, ())
            if len(thresholds) != len(points):
                raise ValueError(f"{name}: {len(thresholds)} thresholds, {len(points)} points")
            if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
                raise ValueError(f"{name}: thresholds must rise")
            if any(p < 0 or not math.isfinite(p) for p in points):
                raise ValueError(f"{name}: points must be finite and not negative")

    def to_dict(self) -> dict:
        return {
            "bins": {k: list(v) for k, v in self.bins.items()},
            "points": {k: list(v) for k, v in self.points.items()},
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(
            bins={k: tuple(float(x) for x in v) for k, v in data["bins"].items()},
            points={k: tuple(float(x) for x in v) for k, v in data["points"].items()},
            meta=dict(data.get("meta", {})),
        )


@dataclass(frozen=True)
class Contribution:
    """What one feature adds: its value, how many of its thresholds it reached, its points."""

    feature: str
    value: float
    reached: int
    points: float
    threshold: float | None  # the highest threshold reached


@dataclass(frozen=True)
class Scored:
    score: int
    level: Level
    contributions: tuple[Contribution, ...]  # every feature with points, most points first

    def reasons(self, n: int = 3) -> tuple[Contribution, ...]:
        """The bins that scored most (SPEC 6: the reasons that drive the score)."""
        return self.contributions[:n]


def contribution(table: Table, name: str, value: float) -> Contribution:
    thresholds, points = table.bins[name], table.points[name]
    reached = sum(1 for t in thresholds if value >= t)
    return Contribution(
        feature=name,
        value=value,
        reached=reached,
        points=sum(points[:reached]),
        threshold=thresholds[reached - 1] if reached else None,
    )


def score(table: Table, feats: dict[str, float]) -> Scored:
    """The 0–100 score of a month's features under `table`, its level and its contributions."""
    parts = [
        contribution(table, name, value)
        for name, thresholds in table.bins.items()
        # below its first threshold a feature adds nothing (the common case, skipped quickly)
        if (value := float(feats.get(name, 0.0))) >= thresholds[0]
    ]
    total = sum(c.points for c in parts)
    value = int(min(MAX_SCORE, math.floor(total + 0.5)))
    ranked = sorted(
        (c for c in parts if c.points > 0), key=lambda c: (-c.points, FEATURES.index(c.feature))
    )
    return Scored(score=value, level=level_of(value), contributions=tuple(ranked))


def score_history(table: Table, history: Sequence[Report | None], index: int) -> Scored:
    return score(table, features_at(history, index))


# --- episodes of high risk (the preventive case) --------------------------------------------------


def episodes(levels: Sequence[tuple[int, Level]]) -> list[tuple[int, int]]:
    """The episodes of high risk in a unit's scored months: (first month, last month) of each
    run of high months. A new episode begins only after the unit has been below high for at
    least one full month (SPEC 6); months are consecutive integers and a month that was not
    scored does not end an episode."""
    out: list[tuple[int, int]] = []
    start = last_high = None
    below_since = None
    for month, lvl in sorted(levels):
        if lvl == Level.HIGH:
            if start is not None and below_since is None:
                last_high = month
                continue
            if start is not None:
                out.append((start, last_high))
            start = last_high = month
            below_since = None
        elif start is not None and below_since is None:
            below_since = month
    if start is not None:
        out.append((start, last_high))
    return out
