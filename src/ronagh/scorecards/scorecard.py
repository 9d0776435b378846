"""SPEC 4.4, the agency scorecard, and SPEC 4.3's reporting compliance, as pure functions.

No Django here: `selectors.py` loads plain data into these shapes. Every figure an agency is
judged by on screen, in the API and in the year-end accountability report comes from here.

- `score` is the weighted mean of the components present: a component that is absent (None) —
  obstacles where none was due, compliance where nothing was required — drops out and the weights
  of the others are rescaled to sum to 1. It is rounded to 2 decimals, as the API shows it, and
  the grade is read from that rounded score, so 89.999 shown as 90.00 is an A, never a B.
- `compliance` counts (action, working day) pairs: a pair is required on each working day from
  the plan's communication to the as-of date on which the action is active (start ≤ day ≤ end)
  and not yet done (A < 100 as of that day); it is reported when the agency sent a report on that
  action dated that day (a late one, entered by the secretariat from a paper report, counts: it
  is still the agency's report of that day).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_WEIGHTS: Mapping[str, float] = {"progress": 0.60, "compliance": 0.25, "obstacles": 0.15}
GRADES: tuple[tuple[float, str], ...] = ((90.0, "A"), (75.0, "B"), (60.0, "C"))
UNDER_PERFORMING = "D"


# --- the score ---------------------------------------------------------------------------------


def score(
    components: Mapping[str, float | None], weights: Mapping[str, float] = DEFAULT_WEIGHTS
) -> float | None:
    """Σ wᵢ·xᵢ / Σ wᵢ over the components present (not None, weight > 0), rounded to 2
    decimals; None when no component is present."""
    present = {
        k: float(v) for k, v in components.items() if v is not None and weights.get(k, 0) > 0
    }
    total = sum(weights[k] for k in present)
    if total <= 0:
        return None
    return round(sum(weights[k] * v for k, v in present.items()) / total, 2) + 0.0


def grade(value: float | None) -> str | None:
    """A ≥ 90, B ≥ 75, C ≥ 60, D below; None for no score."""
    if value is None:
        return None
    return next((g for floor, g in GRADES if value >= floor), UNDER_PERFORMING)


def score_and_grade(
    components: Mapping[str, float | None], weights: Mapping[str, float] = DEFAULT_WEIGHTS
) -> tuple[float | None, str | None]:
    """The score and its grade, e.g. progress 80, compliance 60, obstacles None →
    (0.6·80 + 0.25·60) / 0.85 = 74.12 → C."""
    value = score(components, weights)
    return value, grade(value)


def share(part: int, whole: int) -> float | None:
    """100 · part / whole; None when nothing was due (whole = 0)."""
    if whole <= 0:
        return None
    return 100.0 * part / whole


def obstacles_component(on_time: int, due: int) -> float | None:
    """100 · obstacles resolved on or before their due date / obstacles due by the as-of date;
    None (the component is left out) when none was due."""
    return share(on_time, due)


def rank(scores: Sequence[float | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; None for no score."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for i, s in enumerate(ordered, start=1):
        first.setdefault(s, i)
    return [first[s] if s is not None else None for s in scores]


# --- reporting compliance ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceAction:
    """What compliance needs to know of one lead action.

    `reports` are the effective reports (date, percent) sorted by date, which give A(a, day);
    `reported_days` the dates of every report the agency itself sent on the action; `from_day`
    the day the plan was communicated (None: never communicated, nothing is required)."""

    id: int
    start: dt.date | None
    end: dt.date | None
    from_day: dt.date | None
    reports: tuple[tuple[dt.date, float], ...] = ()
    reported_days: frozenset[dt.date] = frozenset()


def _actual(reports: tuple[tuple[dt.date, float], ...], day: dt.date) -> float:
    i = bisect.bisect_right(reports, day, key=lambda r: r[0])
    return float(reports[i - 1][1]) if i else 0.0


def required_days(action: ComplianceAction, working_days: Sequence[dt.date]) -> list[dt.date]:
    """The working days (of the sorted `working_days`) on which a report on the action is
    required: from communication on, start ≤ day ≤ end, and A < 100 as of that day."""
    if action.start is None or action.end is None or action.from_day is None:
        return []
    first = max(action.start, action.from_day)
    lo = bisect.bisect_left(working_days, first)
    hi = bisect.bisect_right(working_days, action.end)
    return [d for d in working_days[lo:hi] if _actual(action.reports, d) < 100]


@dataclass
class ComplianceTally:
    """Required and reported pairs of a set of actions over a list of working days, with the
    breakdown by action and by day, and the missed pairs (action id, day), newest first."""

    required: int = 0
    reported: int = 0
    by_action: dict[int, list[int]] = field(default_factory=dict)  # id → [required, reported]
    by_day: dict[dt.date, list[int]] = field(default_factory=dict)  # day → [required, reported]
    missed: list[tuple[int, dt.date]] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return share(self.reported, self.required)

    @property
    def missed_count(self) -> int:
        return self.required - self.reported


def tally(actions: Iterable[ComplianceAction], working_days: Sequence[dt.date]) -> ComplianceTally:
    """Count the required and reported (action, working day) pairs. `working_days` must be
    sorted; only days in it count (weekends and holidays are simply not in it)."""
    out = ComplianceTally(by_day={d: [0, 0] for d in working_days})
    for action in actions:
        days = required_days(action, working_days)
        done = [d for d in days if d in action.reported_days]
        out.by_action[action.id] = [len(days), len(done)]
        out.required += len(days)
        out.reported += len(done)
        for d in days:
            cell = out.by_day[d]
            cell[0] += 1
            if d in action.reported_days:
                cell[1] += 1
            else:
                out.missed.append((action.id, d))
    out.missed.sort(key=lambda pair: (pair[1], pair[0]), reverse=True)
    return out


# --- what a grade cost ---------------------------------------------------------------------------


def progress_losses(
    actions: Iterable[tuple[int, float, float, float]],
) -> dict[int, float]:
    """The points of the progress component each action costs its agency, from
    (id, effective weight, planned P, actual A): an action due (P > 0) loses
    100 · w · (1 − min(A/P, 1)) / Σ w over the agency's due actions; one not yet due loses
    nothing. The losses sum to 100 − progress, so they say exactly where the component went.
    E.g. weights 0.2 and 0.3, P 50 and 40, A 25 and 40: the first loses
    100 · 0.2 · 0.5 / 0.5 = 20 points, the second 0 (progress 80)."""
    rows = [(i, float(w), float(p), float(a)) for i, w, p, a in actions]
    due = [(i, w, p, a) for i, w, p, a in rows if p > 0]
    total = sum(w for _i, w, _p, _a in due)
    out = {i: 0.0 for i, *_rest in rows}
    if total <= 0:
        return out
    for i, w, p, a in due:
        out[i] = 100.0 * w * (1.0 - min(a / p, 1.0)) / total
    return out
