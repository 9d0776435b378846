"""The honest backtest of the early warning (SPEC 6, 7), as pure functions (no Django).

Months are numbered 0 … N−1. A **row** is a unit in a month in which it was active, scored with
the reports that had arrived by that month only (`risk.features_at`); its **label** is 1 when the
unit went idle or closed within the horizon (the next H months). The split is out of time:

- the model is fitted on the rows of months 0 … S−H−1, whose labels are all known by month S−1;
- nothing is used from the gap of H months that follows (their labels would reach into the test);
- it is tested on the rows of months S … N−1, with S = N − (H + 4), scoring each month with the
  fitted table exactly as the live system would. Labels of the last test months reach past the
  data and are counted as known so far (a distress after the last month is not seen), which can
  only understate the model.

Measured on the test rows, for the model and for the plain rule "any arrears ≥ 3 months":
- ``auc``: the probability that a row that went on to distress scored above one that did not
  (ties count half); the rule ranks by its largest arrears;
- each month the **alert budget** is the 5 % highest-scoring active units (rounded up); the rule
  gets the same number of alerts, taken among the units it flags, largest arrears first;
- ``precision`` and ``recall``: of the alerted rows, the share that went on to distress; of the
  rows that did, the share alerted;
- ``recall_lead_6``: of the distress events in the test period at least 6 months after it
  began, the share whose unit had been alerted 6 months or more before the event;
- ``alerts_per_month`` and ``false_alarms_per_month``: alerts, and alerts on units that did not
  go on to distress, per test month.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import fitting
from .risk import Report, Table, arrears_months, features_series, score

HORIZON = 6
BUDGET = 0.05
LEAD = 6
TEST_EXTRA = 4  # test months beyond the horizon


class NotEnoughHistory(ValueError):
    """Too few months, or no distress in the fitting months, to backtest."""


@dataclass
class UnitHistory:
    key: int
    reports: list[Report | None]  # by month 0 … N−1; None: no report that month
    active: list[bool]  # by month: active (not idle, not closed) that month


@dataclass(frozen=True)
class Row:
    key: int
    month: int
    features: dict[str, float]
    label: int


@dataclass(frozen=True)
class Split:
    months: int
    horizon: int
    train: tuple[int, int]  # first and last month of the fitting rows
    test: tuple[int, int]  # first and last month of the test rows

    @property
    def gap(self) -> tuple[int, int]:
        return self.train[1] + 1, self.test[0] - 1


def split_for(months: int, horizon: int = HORIZON) -> Split:
    start = months - (horizon + TEST_EXTRA)
    last_train = start - horizon - 1
    if last_train < 0:
        raise NotEnoughHistory(
            f"{months} months are too few: the backtest needs at least "
            f"{2 * horizon + TEST_EXTRA + 1} (a horizon of {horizon} months, as long a gap, and "
            f"{horizon + TEST_EXTRA} test months)"
        )
    return Split(months, horizon, (0, last_train), (start, months - 1))


def events_of(unit: UnitHistory) -> list[int]:
    """The months in which the unit went from active to idle or closed."""
    return [m for m in range(1, len(unit.active)) if unit.active[m - 1] and not unit.active[m]]


def rows_of(unit: UnitHistory, first: int, last: int, horizon: int) -> list[Row]:
    events = events_of(unit)
    series = features_series(unit.reports)
    out = []
    seen_report = False
    for m in range(len(unit.reports)):
        seen_report = seen_report or unit.reports[m] is not None
        if m < first or m > last or not unit.active[m] or not seen_report:
            continue
        label = int(any(m < e <= m + horizon for e in events))
        out.append(Row(unit.key, m, series[m], label))
    return out


def auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Mann–Whitney: P(score of a positive > score of a negative), ties counting half."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda p: p[0])
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2  # ranks i+1 … j share their mean
        rank_sum += mid_rank * sum(label for _s, label in pairs[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


@dataclass
class Figures:
    auc: float | None
    precision: float | None
    recall: float | None
    recall_lead_6: float | None
    alerts_per_month: float
    false_alarms_per_month: float

    def as_dict(self) -> dict:
        def r(v):
            return None if v is None else round(float(v), 4)

        return {
            "auc": r(self.auc),
            "precision": r(self.precision),
            "recall": r(self.recall),
            "recall_lead_6": r(self.recall_lead_6),
            "alerts_per_month": r(self.alerts_per_month),
            "false_alarms_per_month": r(self.false_alarms_per_month),
        }


def _evaluate(
    rows: list[Row],
    rank: Callable[[Row], tuple],
    eligible: Callable[[Row], bool],
    budgets: dict[int, int],
    ranking_score: Callable[[Row], float],
    events: dict[int, list[int]],
    split: Split,
) -> tuple[Figures, dict[int, int]]:
    by_month: dict[int, list[Row]] = {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    alerted: set[tuple[int, int]] = set()
    used: dict[int, int] = {}
    for month, month_rows in by_month.items():
        ranked = sorted((r for r in month_rows if eligible(r)), key=rank)
        chosen = ranked[: budgets[month]]
        used[month] = len(chosen)
        alerted.update((r.key, r.month) for r in chosen)
    positives = [r for r in rows if r.label]
    hits = [r for r in positives if (r.key, r.month) in alerted]
    alerts = len(alerted)
    false_alarms = sum(1 for r in rows if (r.key, r.month) in alerted and not r.label)
    first, last = split.test
    lead_events = [
        (key, e) for key, months in events.items() for e in months if first + LEAD <= e <= last
    ]
    caught = sum(
        1 for key, e in lead_events if any((key, m) in alerted for m in range(first, e - LEAD + 1))
    )
    n_months = max(len(by_month), 1)
    figures = Figures(
        auc=auc([ranking_score(r) for r in rows], [r.label for r in rows]),
        precision=(len(hits) / alerts) if alerts else None,
        recall=(len(hits) / len(positives)) if positives else None,
        recall_lead_6=(caught / len(lead_events)) if lead_events else None,
        alerts_per_month=alerts / n_months,
        false_alarms_per_month=false_alarms / n_months,
    )
    return figures, used


@dataclass
class Result:
    split: Split
    units: int
    table: Table
    model: Figures
    rule: Figures
    train_rows: int
    train_positives: int
    test_rows: int
    test_positives: int
    test_events: int
    lead_events: int

    def as_json(self) -> dict:
        """The object `ronagh backtest --json` prints (SPEC 7's keys, nothing else)."""
        return {
            "units": self.units,
            "months": self.split.months,
            "horizon_months": self.split.horizon,
            "model": self.model.as_dict(),
            "rule": self.rule.as_dict(),
        }


def run(
    units: Sequence[UnitHistory],
    *,
    horizon: int = HORIZON,
    budget: float = BUDGET,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Fit on the early months, skip the gap, test on the later ones (see the module's text)."""
    if not units:
        raise NotEnoughHistory("there are no production units with indicators")
    months = len(units[0].reports)
    split = split_for(months, horizon)
    train: list[Row] = []
    test: list[Row] = []
    events: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        train += rows_of(unit, split.train[0], split.train[1], horizon)
        test += rows_of(unit, split.test[0], split.test[1], horizon)
        events[unit.key] = events_of(unit)
        if progress is not None:
            progress(i + 1, len(units))
    if not any(r.label for r in train) or all(r.label for r in train):
        raise NotEnoughHistory("the fitting months hold no distress to learn from")
    table = fitting.fit(
        [r.features for r in train],
        [r.label for r in train],
        meta={"fitted_months": [split.train[0], split.train[1] + horizon]},
    )
    scores = {(r.key, r.month): score(table, r.features).score for r in test}
    counts: dict[int, int] = {}
    for r in test:
        counts[r.month] = counts.get(r.month, 0) + 1
    budgets = {m: math.ceil(budget * n) for m, n in counts.items()}

    model, used = _evaluate(
        test,
        rank=lambda r: (-scores[(r.key, r.month)], r.key),
        eligible=lambda r: True,
        budgets=budgets,
        ranking_score=lambda r: scores[(r.key, r.month)],
        events=events,
        split=split,
    )

    def total_arrears(r: Row) -> float:
        f = r.features
        return f["tax_overdue"] + f["insurance_overdue"] + f["bank_overdue"]

    rule, _used = _evaluate(
        test,
        rank=lambda r: (-arrears_months(r.features), -total_arrears(r), r.key),
        eligible=lambda r: arrears_months(r.features) >= 3,
        budgets=used,  # the same number of alerts as the model, month by month
        ranking_score=lambda r: arrears_months(r.features),
        events=events,
        split=split,
    )
    first, last = split.test
    return Result(
        split=split,
        units=len(units),
        table=table,
        model=model,
        rule=rule,
        train_rows=len(train),
        train_positives=sum(r.label for r in train),
        test_rows=len(test),
        test_positives=sum(r.label for r in test),
        test_events=sum(1 for ms in events.values() for e in ms if first <= e <= last),
        lead_events=sum(1 for ms in events.values() for e in ms if first + LEAD <= e <= last),
    )


def fit_all(units: Sequence[UnitHistory], *, horizon: int = HORIZON) -> Table:
    """The table a province adopts: fitted on every row whose label is fully known."""
    months = len(units[0].reports) if units else 0
    rows: list[Row] = []
    for unit in units:
        rows += rows_of(unit, 0, months - horizon - 1, horizon)
    if not rows or not any(r.label for r in rows) or all(r.label for r in rows):
        raise NotEnoughHistory("the history holds no distress to learn from")
    return fitting.fit(
        [r.features for r in rows],
        [r.label for r in rows],
        meta={"fitted_months": [0, months - 1]},
    )
