"""SPEC 4.3, the figures every agency is judged by, as pure functions over plain data.

No Django here: `selectors.py` loads the data into these dataclasses, and everything on a
dashboard, in the API or in a report is computed by the functions below.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ronagh.lib.workdays import Calendar


class Status(StrEnum):
    """SPEC 4.3's six statuses of an action, in the order their rules are tried."""

    DONE = "done"
    NOT_DUE = "not_due"
    STALLED = "stalled"
    CRITICAL = "critical"
    BEHIND = "behind"
    ON_TRACK = "on_track"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


def spi(actual_value: float, planned_value: float) -> float | None:
    """SPEC 4.3's schedule performance index A / P; None before anything is planned."""
    return actual_value / planned_value if planned_value > 0 else None


@dataclass(frozen=True)
class Thresholds:
    behind_gap: float = 5.0
    critical_gap: float = 20.0
    stalled_days: int = 14
    unreported_working_days: int = 3
    forecast_window_days: int = 30


@dataclass(frozen=True)
class ActionInput:
    """What the rules need to know about one action.

    `reports` are the effective reports (superseded ones left out) as (date, percent), sorted by
    date and then by the order they were entered; `report_dates` are the dates of every report the
    agency sent, effective or not (for the unreported rule)."""

    id: int
    axis_id: int
    weight: float
    start: dt.date | None
    end: dt.date | None
    lead_agency_id: int | None = None
    milestones: tuple[tuple[dt.date, float], ...] = ()
    reports: tuple[tuple[dt.date, float], ...] = ()
    report_dates: tuple[dt.date, ...] = ()
    communicated: bool = True


@dataclass(frozen=True)
class Facts:
    """What SPEC 4.3's rules need to know about one action's reports on a date d — read from the
    whole history here (`facts`), or from the database by a few index probes (`plans.engine`);
    a test checks that both give the same facts.

    `actual` is A(d); `actual_then` A(d − stalled_days), which the stalled rule compares with it;
    `last_report` the date of the latest report of any kind on or before d (the unreported rule);
    `actual_window` A(d − forecast_window) and `reached_100` the date of the first effective
    report of 100 on or before d, both for the forecast only. A fact the rules will not read may
    be None."""

    actual: float
    actual_then: float | None = None
    last_report: dt.date | None = None
    actual_window: float | None = None
    reached_100: dt.date | None = None


@dataclass(frozen=True)
class ActionFigures:
    id: int
    planned: float
    actual: float
    gap: float
    spi: float | None
    status: str
    unreported: bool
    last_report: dt.date | None


@dataclass(frozen=True)
class Rollup:
    planned: float
    actual: float
    gap: float
    count: int
    coverage: float | None
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def spi(self) -> float | None:
        return spi(self.actual, self.planned)


def planned(action: ActionInput, d: dt.date) -> float:
    """P(a, d): 0 before start, 100 from the end on, linear by calendar days in between, or
    piecewise-linear through the milestones."""
    s, e = action.start, action.end
    if s is None or e is None:
        return 0.0
    if d < s:
        return 0.0
    if d >= e:
        return 100.0
    points = [(s, 0.0)]
    points += [(m_date, float(pct)) for m_date, pct in sorted(action.milestones) if s < m_date < e]
    points.append((e, 100.0))
    for (d0, p0), (d1, p1) in zip(points, points[1:], strict=False):
        if d0 <= d <= d1:
            span = (d1 - d0).days
            return p0 if span == 0 else p0 + (p1 - p0) * (d - d0).days / span
    return 100.0  # unreachable: s ≤ d < e lies in one segment


def planned_series(action: ActionInput, dates: Sequence[dt.date]) -> list[float]:
    """P(a, d) for each of the sorted `dates` (the S-curve's), in one walk along the schedule's
    segments: the same values as `planned` date by date."""
    s, e = action.start, action.end
    if s is None or e is None:
        return [0.0] * len(dates)
    points = [(s, 0.0)]
    points += [(m_date, float(pct)) for m_date, pct in sorted(action.milestones) if s < m_date < e]
    points.append((e, 100.0))
    out, k = [], 0
    for d in dates:
        if d < s:
            out.append(0.0)
            continue
        if d >= e:
            out.append(100.0)
            continue
        while points[k + 1][0] < d:
            k += 1
        (d0, p0), (d1, p1) = points[k], points[k + 1]
        span = (d1 - d0).days
        out.append(p0 if span == 0 else p0 + (p1 - p0) * (d - d0).days / span)
    return out


def actual(action: ActionInput, d: dt.date) -> float:
    """A(a, d): the percent of the latest effective report dated on or before d; 0 if none."""
    i = bisect.bisect_right(action.reports, d, key=lambda r: r[0])
    return float(action.reports[i - 1][1]) if i else 0.0


def last_report_date(action: ActionInput, d: dt.date) -> dt.date | None:
    i = bisect.bisect_right(action.report_dates, d)
    return action.report_dates[i - 1] if i else None


def needs_then(action: ActionInput, d: dt.date, p: float, a: float, t: Thresholds) -> bool:
    """Whether the stalled rule will compare A(d) with A(d − stalled_days)."""
    s = action.start
    return a < 100 and p > 0 and s is not None and (d - s).days >= t.stalled_days


def facts(action: ActionInput, d: dt.date, t: Thresholds = Thresholds()) -> Facts:
    """Every fact of `Facts` from the action's whole history (the definition the database's
    index probes must match)."""
    a = actual(action, d)
    reached = next((r for r, pct in action.reports if r <= d and float(pct) >= 100), None)
    return Facts(
        actual=a,
        actual_then=actual(action, d - dt.timedelta(days=t.stalled_days)),
        last_report=last_report_date(action, d),
        actual_window=actual(action, d - dt.timedelta(days=t.forecast_window_days)),
        reached_100=reached,
    )


def status(
    action: ActionInput, d: dt.date, p: float, f: Facts, t: Thresholds = Thresholds()
) -> str:
    """The first of SPEC 4.3's six rules that holds."""
    a = f.actual
    if a >= 100:
        return Status.DONE
    if p <= 0:
        return Status.NOT_DUE
    if needs_then(action, d, p, a, t):
        if f.actual_then is None:
            raise ValueError("the stalled rule needs A(d − stalled_days)")
        if f.actual_then == a:
            return Status.STALLED
    return gap_status(p - a, t)


def gap_status(g: float, t: Thresholds = Thresholds()) -> str:
    """critical, behind or on_track by the gap alone (rules 4–6); also the tone of a set's gap
    on the dashboards."""
    if g > t.critical_gap:
        return Status.CRITICAL
    if g > t.behind_gap:
        return Status.BEHIND
    return Status.ON_TRACK


def is_unreported(
    action: ActionInput,
    d: dt.date,
    a: float,
    last_report: dt.date | None,
    calendar: Calendar,
    t: Thresholds = Thresholds(),
) -> bool:
    """An active action (communicated, started, not done) about which its agency has sent no
    report for `unreported_working_days` working days or more."""
    if not action.communicated or action.start is None or d < action.start or a >= 100:
        return False
    since = last_report if last_report is not None else action.start - dt.timedelta(days=1)
    return calendar.at_least_working_days(since, d, t.unreported_working_days)


def forecast_finish(d: dt.date, f: Facts, t: Thresholds = Thresholds()) -> dt.date | None:
    """d + (100 − A) / mean daily gain over the last 30 days; None ("never") when there was no
    gain. A done action's forecast is the day it reached 100."""
    a = f.actual
    if a >= 100:
        return f.reached_100 or d
    window = t.forecast_window_days
    if f.actual_window is None:
        raise ValueError("the forecast needs A(d − forecast_window_days)")
    gain = (a - f.actual_window) / window
    if gain <= 0:
        return None
    return d + dt.timedelta(days=math.ceil((100 - a) / gain - 1e-9))


def forecast(action: ActionInput, d: dt.date, t: Thresholds = Thresholds()) -> dt.date | None:
    """The forecast finish of one action on date d, from its whole history."""
    return forecast_finish(d, facts(action, d, t), t)


def figures_from(
    action: ActionInput, d: dt.date, f: Facts, calendar: Calendar, t: Thresholds = Thresholds()
) -> ActionFigures:
    """Every SPEC 4.3 figure of one action on date d but the forecast, from its facts."""
    p = planned(action, d)
    a = f.actual
    return ActionFigures(
        id=action.id,
        planned=p,
        actual=a,
        gap=p - a,
        spi=spi(a, p),
        status=status(action, d, p, f, t),
        unreported=is_unreported(action, d, a, f.last_report, calendar, t),
        last_report=f.last_report,
    )


def figures(
    action: ActionInput, d: dt.date, calendar: Calendar, t: Thresholds = Thresholds()
) -> ActionFigures:
    """Every SPEC 4.3 figure of one action on date d, from its whole history."""
    return figures_from(action, d, facts(action, d, t), calendar, t)


def effective_weights(
    actions: Iterable[ActionInput], axis_weights: dict[int, float]
) -> dict[int, float]:
    """W(axis)/ΣW(axes) · w(a)/Σw(actions of that axis). `axis_weights` holds every axis of the
    plan, with or without actions."""
    actions = list(actions)
    total_axes = sum(axis_weights.values())
    per_axis: dict[int, float] = {}
    for act in actions:
        per_axis[act.axis_id] = per_axis.get(act.axis_id, 0.0) + act.weight
    if total_axes <= 0:
        return {act.id: 0.0 for act in actions}
    return {
        act.id: (axis_weights[act.axis_id] / total_axes) * (act.weight / per_axis[act.axis_id])
        for act in actions
    }


def _covered(fig: ActionFigures, action: ActionInput, d: dt.date) -> bool | None:
    """Whether the action's latest report is inside the window; None when it is not yet due to
    report (not started, or no dates)."""
    if fig.status == Status.DONE:
        return True
    if action.start is None or d < action.start:
        return None
    return not fig.unreported


def rollup(
    items: Sequence[tuple[ActionInput, ActionFigures]], weights: dict[int, float], d: dt.date
) -> Rollup:
    """Σ eff_w · X / Σ eff_w for X = P and A over any set of actions, with its coverage and the
    count of actions in each status."""
    total = sum(weights.get(a.id, 0.0) for a, _ in items)
    if total > 0:
        p = sum(weights.get(a.id, 0.0) * f.planned for a, f in items) / total
        act = sum(weights.get(a.id, 0.0) * f.actual for a, f in items) / total
    else:
        p = act = 0.0
    covered = [c for c in (_covered(f, a, d) for a, f in items) if c is not None]
    coverage = 100.0 * sum(covered) / len(covered) if covered else None
    counts = Counter(f.status for _, f in items)
    return Rollup(
        planned=p,
        actual=act,
        gap=p - act,
        count=len(items),
        coverage=coverage,
        status_counts={s: counts.get(s, 0) for s in STATUSES},
    )


def scorecard_progress(
    items: Sequence[tuple[ActionInput, ActionFigures]], weights: dict[int, float]
) -> float | None:
    """SPEC 4.4: 100 · Σ eff_w · min(A/P, 1) / Σ eff_w over lead actions with P > 0."""
    due = [(a, f) for a, f in items if f.planned > 0]
    total = sum(weights.get(a.id, 0.0) for a, _ in due)
    if total <= 0:
        return None
    return (
        100.0 * sum(weights.get(a.id, 0.0) * min(f.actual / f.planned, 1.0) for a, f in due) / total
    )


def curve(
    actions: Sequence[ActionInput], weights: dict[int, float], dates: Iterable[dt.date]
) -> list[tuple[dt.date, float, float]]:
    """Planned and actual rollup of a set of actions on each date (the S-curve)."""
    total = sum(weights.get(a.id, 0.0) for a in actions)
    out = []
    for d in dates:
        if total <= 0:
            out.append((d, 0.0, 0.0))
            continue
        p = sum(weights.get(a.id, 0.0) * planned(a, d) for a in actions) / total
        x = sum(weights.get(a.id, 0.0) * actual(a, d) for a in actions) / total
        out.append((d, p, x))
    return out
