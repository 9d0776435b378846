"""The figure engine: SPEC 4.3's facts about a set of actions on a date, read from the database
by index probes rather than by loading the report history.

Every figure of a plan as of a date needs, per action, only a few of its reports: the latest
effective report on or before the date (its percent is A(d), its date answers "unreported");
A(d − 14) for the stalled rule; and, for the forecast, A(d − 30) and the day a done action
reached 100. Each is one probe of the index (action, date, id) — "the latest report ≤ a
date of this action" — so the cost does not grow with the length of the history, and grows
linearly with the number of actions.

How the engine knows a report is *effective* without rescanning history: it asks
`ProgressReport.objects.effective()` — the one definition (a report no correction supersedes;
corrections waiting for approval count nowhere) — inside each probe, as a correlated NOT EXISTS
on indexed columns. Nothing is stored that could go stale: a correction, approved or not, is
honoured by the next probe.

The rules themselves stay in `rollup.py` (`figures_from`, `forecast_finish`), which take the
same `Facts` the history gives (`rollup.facts`); tests compare both paths on random plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import connection
from django.db.models import FloatField, OuterRef, Subquery
from django.db.models.functions import Cast

from . import rollup
from .models import Action, ProgressReport

Latest = tuple[dt.date, float]  # (date, percent) of a report


def _effective():
    return ProgressReport.objects.effective()


def latest_effective(ids: Iterable[int], day: dt.date) -> dict[int, Latest]:
    """action id → (date, percent) of its latest effective report dated on or before `day`;
    actions without one are absent. One statement: two index probes per action."""
    ids = list(ids)
    if not ids:
        return {}
    probe = _effective().filter(action=OuterRef("pk"), date__lte=day).order_by("-date", "-id")
    rows = (
        Action.objects.filter(pk__in=ids)
        .order_by()
        .annotate(on=Subquery(probe.values("date")[:1]), pct=Subquery(probe.values("percent")[:1]))
        .values_list("pk", "on", "pct")
    )
    return {pk: (on, float(pct)) for pk, on, pct in rows if on is not None}


def reached_100(ids: Iterable[int], day: dt.date) -> dict[int, dt.date]:
    """action id → the date of its first effective report of 100 on or before `day`. A probe of
    the partial index of reports at 100."""
    ids = list(ids)
    if not ids:
        return {}
    probe = (
        _effective()
        .filter(action=OuterRef("pk"), date__lte=day, percent__gte=100)
        .order_by("date", "id")
    )
    rows = (
        Action.objects.filter(pk__in=ids)
        .order_by()
        .annotate(on=Subquery(probe.values("date")[:1]))
        .values_list("pk", "on")
    )
    return {pk: on for pk, on in rows if on is not None}


def facts(
    inputs: Mapping[int, rollup.ActionInput],
    d: dt.date,
    t: rollup.Thresholds,
    *,
    forecast: Iterable[int] = (),
    plan_id: int | None = None,
) -> dict[int, rollup.Facts]:
    """The `rollup.Facts` of each action (its schedule in `inputs`) on date d, with the facts
    of the forecast for the actions in `forecast`. One statement of three probes per action
    (A(d) as date and percent, A(d − stalled_days)), one more for the forecast when asked.
    `plan_id`: the inputs are the whole plan (a plan filter instead of a list of ids).

    The date of the latest effective report is also the date of the latest report of any kind
    (the unreported rule), because a correction keeps the date of the report it corrects
    (`services.report_progress`): a superseded or waiting report always has an effective one
    on its own date."""
    ids = list(inputs)
    if not ids:
        return {}
    then_day = d - dt.timedelta(days=t.stalled_days)
    now = _effective().filter(action=OuterRef("pk"), date__lte=d).order_by("-date", "-id")
    then = _effective().filter(action=OuterRef("pk"), date__lte=then_day).order_by("-date", "-id")
    actions = (
        Action.objects.filter(plan_id=plan_id) if plan_id else Action.objects.filter(pk__in=ids)
    )
    rows = (
        actions.order_by()
        .annotate(
            on=Subquery(now.values("date")[:1]),
            pct=Subquery(now.values("percent")[:1]),
            then=Subquery(then.values("percent")[:1]),
        )
        .values_list("pk", "on", "pct", "then")
    )
    current: dict[int, Latest] = {}
    then_values: dict[int, float] = {}
    for pk, on, pct, then_pct in rows:
        if on is not None:
            current[pk] = (on, float(pct))
        if then_pct is not None:
            then_values[pk] = float(then_pct)

    wanted = [i for i in forecast if i in inputs]
    window_day = d - dt.timedelta(days=t.forecast_window_days)
    moved = [
        i for i in wanted if i in current and current[i][1] < 100 and current[i][0] > window_day
    ]
    window = latest_effective(moved, window_day)
    done = reached_100([i for i in wanted if i in current and current[i][1] >= 100], d)

    out = {}
    for i in ids:
        on, a = current.get(i, (None, 0.0))
        out[i] = rollup.Facts(
            actual=a,
            actual_then=then_values.get(i, 0.0),
            last_report=on,
            actual_window=(window[i][1] if i in window else 0.0) if i in moved else a,
            reached_100=done.get(i),
        )
    return out


def _raw_rows(qs):
    """The rows of a values_list query straight from the database cursor: a history has tens of
    thousands of rows, and Django's per-row conversions would cost more than the query. Dates
    come back as dates (SQLite gives text), percents as floats (cast by the query)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][1], str):
        parse = dt.date.fromisoformat
        return [(a, parse(on), v) for a, on, v in rows]
    return rows


def history(
    ids: Iterable[int], until: dt.date, since: dt.date | None = None
) -> dict[int, list[Latest]]:
    """action id → its effective reports dated up to `until` as (date, percent), in date and
    entry order, keeping only those that change the value (the steps of A). With `since`, the
    steps before it are folded into one: the value on `since` (a probe) and the steps after it.
    This one does read the history it covers: a curve over a year is made of it."""
    ids = list(ids)
    out: dict[int, list[Latest]] = {i: [] for i in ids}
    if not ids:
        return out
    qs = _effective().filter(action_id__in=ids, date__lte=until)
    if since is not None:
        for i, step in latest_effective(ids, since).items():
            out[i].append(step)
        qs = qs.filter(date__gt=since)
    qs = qs.order_by("action_id", "date", "id").values_list(
        "action_id", "date", Cast("percent", FloatField())
    )
    for action_id, on, value in _raw_rows(qs):
        steps = out[action_id]
        if steps and steps[-1][0] == on:
            steps[-1] = (on, value)  # a later entry of the same day decides that day
        elif not steps or steps[-1][1] != value:
            steps.append((on, value))
    return out
