"""The figure engine: SPEC 4.3's facts about a set of actions on a date, read from the database
by index probes rather than by loading the report history.

Every figure of a plan as of a date needs, per action, only a few of its reports: the latest
effective report on or before the date (its percent is A(d), its date answers "unreported");
A(d − 14) for the stalled rule; and, for the forecast, A(d − 30) and the day a done action
reached 100. Each is one probe of the index (action, date, id) — "the latest report ≤ a
date of this action" — so the cost does not grow with the length of the history, and grows
linearly with the number of actions.

How the engine knows a report is *effective* without rescanning history: effectiveness is
asked of `ProgressReport.objects.effective()` — the one definition — and of nothing else, but
only for the report each probe finds. A probe first takes the latest report of any kind (a plain
walk down the index that every planner, with or without statistics, runs as "read one entry"),
then looks that one report up in `effective()` by primary key. If it is effective it is the
answer, since it is the latest of all reports; if it is not (a correction awaiting approval, a
refused one), the probe is asked again with `effective()` inside, for those few actions only.
Nothing is stored that could go stale, and a correction, approved or not, is honoured by the
next probe. (The direct form — `effective()` inside every probe — is correct too, but without
table statistics PostgreSQL plans it as "sort every report of the action", which grows with
history: autovacuum is off on some machines, and a plan must not depend on it.)

The rules themselves stay in `rollup.py` (`figures_from`, `forecast_finish`), which take the
same `Facts` the history gives (`rollup.facts`); tests compare both paths on random plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear, Round

from . import rollup
from .models import Action, ProgressReport

Latest = tuple[dt.date, float]  # (date, percent) of a report
Pick = Callable[[QuerySet], QuerySet]  # reports of one action → the one wanted first


def _reports() -> QuerySet:
    return ProgressReport.objects.order_by()


def _effective() -> QuerySet:
    return ProgressReport.objects.effective().order_by()


def latest_on_or_before(day: dt.date) -> Pick:
    """The latest report dated on or before `day` (a later entry wins a day)."""
    return lambda qs: qs.filter(date__lte=day).order_by("-date", "-id")


def first_at_100(day: dt.date) -> Pick:
    """The first report of 100 dated on or before `day` (the partial index of reports at 100)."""
    return lambda qs: qs.filter(date__lte=day, percent__gte=100).order_by("date", "id")


def _code() -> Cast:
    """A report's date and percent as one whole number, yyyymmdd·10⁴ + tenths of a percent: one
    lookup brings both back (`_decode`)."""
    day = ExtractYear("date") * 10_000 + ExtractMonth("date") * 100 + ExtractDay("date")
    return Cast(Round(day * 10_000 + F("percent") * 10), BigIntegerField())


@lru_cache(maxsize=4096)
def _day(yyyymmdd: int) -> dt.date:
    year, rest = divmod(yyyymmdd, 10_000)
    return dt.date(year, *divmod(rest, 100))


def _decode(code: int) -> Latest:
    day, tenths = divmod(code, 10_000)
    return _day(day), tenths / 10


NOT_EFFECTIVE = -1


CHUNK = 10_000  # ids per statement (SQLite's limit on parameters is 32,766)


def probe(actions: QuerySet | list[int], picks: Mapping[str, Pick]) -> dict[int, dict[str, Latest]]:
    """action id → {name: (date, percent)} of the effective report each pick finds; a name is
    absent when the action has no such report. One statement for every action and pick, one
    column per pick (see the module's docstring): the report the pick finds among all reports,
    looked up in `effective()`, or NOT_EFFECTIVE when it is not there; and a second statement
    only for the actions whose found report does not count. `actions`: a query of actions, or
    their ids."""
    if isinstance(actions, list):
        out: dict[int, dict[str, Latest]] = {}
        for k in range(0, len(actions), CHUNK):
            out.update(probe(Action.objects.filter(pk__in=actions[k : k + CHUNK]), picks))
        return out
    columns = {}
    for n, pick in picks.items():
        found = pick(_reports().filter(action=OuterRef(OuterRef("pk")))).values("id")[:1]
        plain = pick(_reports().filter(action=OuterRef("pk"))).values("id")[:1]
        counted = _effective().filter(pk=Subquery(found)).annotate(code=_code()).values("code")
        columns[n] = Coalesce(
            Subquery(counted),
            Case(When(Exists(plain), then=Value(NOT_EFFECTIVE))),
            output_field=BigIntegerField(),
        )
    rows = actions.order_by().annotate(**columns).values_list("pk", *picks)
    out = {}
    again: dict[str, list[int]] = {n: [] for n in picks}
    for pk, *codes in rows:
        got = out[pk] = {}
        for n, code in zip(picks, codes, strict=True):
            if code == NOT_EFFECTIVE:
                again[n].append(pk)  # the report found does not count: ask the slow way
            elif code is not None:
                got[n] = _decode(code)
    for n, ids in again.items():
        if not ids:
            continue
        report = picks[n](_effective().filter(action=OuterRef("pk")))
        slow = (
            Action.objects.filter(pk__in=ids)
            .order_by()
            .annotate(
                on=Subquery(report.values("date")[:1]), pct=Subquery(report.values("percent")[:1])
            )
            .values_list("pk", "on", "pct")
        )
        for pk, on, pct in slow:
            if on is not None:
                out[pk][n] = (on, float(pct))
    return out


def latest_effective(ids: Iterable[int], day: dt.date) -> dict[int, Latest]:
    """action id → (date, percent) of its latest effective report dated on or before `day`;
    actions without one are absent."""
    ids = list(ids)
    if not ids:
        return {}
    got = probe(ids, {"r": latest_on_or_before(day)})
    return {pk: v["r"] for pk, v in got.items() if "r" in v}


def reached_100(ids: Iterable[int], day: dt.date) -> dict[int, dt.date]:
    """action id → the date of its first effective report of 100 on or before `day`."""
    ids = list(ids)
    if not ids:
        return {}
    got = probe(ids, {"r": first_at_100(day)})
    return {pk: v["r"][0] for pk, v in got.items() if "r" in v}


def facts(
    inputs: Mapping[int, rollup.ActionInput],
    d: dt.date,
    t: rollup.Thresholds,
    *,
    forecast: Iterable[int] = (),
    plan_ids: Iterable[int] | None = None,
) -> dict[int, rollup.Facts]:
    """The `rollup.Facts` of each action (its schedule in `inputs`) on date d, with the facts
    of the forecast for the actions in `forecast`. One probe per action for A(d) and its date;
    one more, A(d − stalled_days), for the actions whose status the stalled rule decides
    (`rollup.needs_then`: started long enough ago, due, not done); two more for the forecast
    when asked. `plan_ids`: the inputs are these whole plans (a plan filter instead of a list
    of ids).

    The date of the latest effective report is also the date of the latest report of any kind
    (the unreported rule), because a correction keeps the date of the report it corrects
    (`services.report_progress`): a superseded or waiting report always has an effective one
    on its own date."""
    if not inputs:
        return {}
    scope = Action.objects.filter(plan_id__in=list(plan_ids)) if plan_ids else list(inputs)
    now = {
        pk: got["now"] for pk, got in probe(scope, {"now": latest_on_or_before(d)}).items() if got
    }

    needs_then = [
        i
        for i, inp in inputs.items()
        if rollup.needs_then(inp, d, rollup.planned(inp, d), now.get(i, (None, 0.0))[1], t)
    ]
    then_day = d - dt.timedelta(days=t.stalled_days)
    then = probe(needs_then, {"then": latest_on_or_before(then_day)}) if needs_then else {}

    wanted = [i for i in forecast if i in inputs]
    window_day = d - dt.timedelta(days=t.forecast_window_days)
    moved = [i for i in wanted if i in now and now[i][1] < 100 and now[i][0] > window_day]
    done = [i for i in wanted if i in now and now[i][1] >= 100]
    extra = {}
    if moved or done:
        extra = probe(
            moved + done, {"window": latest_on_or_before(window_day), "done": first_at_100(d)}
        )

    out = {}
    for i in inputs:
        on, a = now.get(i, (None, 0.0))
        more = extra.get(i, {})
        out[i] = rollup.Facts(
            actual=a,
            actual_then=then[i].get("then", (None, 0.0))[1] if i in then else None,
            last_report=on,
            actual_window=more.get("window", (None, 0.0))[1] if i in moved else a,
            reached_100=more["done"][0] if i in done and "done" in more else None,
        )
    return out


def _raw_rows(qs: QuerySet) -> list[tuple]:
    """The rows of a values_list query straight from the database cursor: a history has tens of
    thousands of rows, and Django's per-row conversions would cost more than the query. Dates
    come back as dates (SQLite gives text)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][1], str):
        parse = dt.date.fromisoformat
        return [(a, parse(on), *rest) for a, on, *rest in rows]
    return rows


def history(
    ids: Iterable[int], until: dt.date, since: dt.date | None = None
) -> dict[int, list[Latest]]:
    """action id → its effective reports dated up to `until` as (date, percent), in date and
    entry order, keeping only those that change the value (the steps of A). With `since`, the
    steps before it are folded into one: the value on `since` (a probe) and the steps after it.
    This one does read the history it covers: a curve over a year is made of it.

    The reports are read plainly, without `effective()` in the scan (an anti-join over the whole
    history, the slowest part of reading it); then `effective()` is asked about the only reports
    that can fail it — the corrections among the rows and the reports they point at (a report
    that is no correction and that no correction points at counts: SPEC 4.2) — and those that
    fail are left out."""
    ids = list(ids)
    out: dict[int, list[Latest]] = {i: [] for i in ids}
    if not ids:
        return out
    qs = _reports().filter(action_id__in=ids, date__lte=until)
    if since is not None:
        for i, step in latest_effective(ids, since).items():
            out[i].append(step)
        qs = qs.filter(date__gt=since)
    corrections = qs.filter(corrects__isnull=False).values_list("pk", "corrects_id")
    touched = {r for pair in corrections for r in pair}
    dropped = touched - set(_effective().filter(pk__in=touched).values_list("pk", flat=True))
    if dropped:
        qs = qs.exclude(pk__in=dropped)
    rows = _raw_rows(
        qs.order_by("action_id", "date", "id").values_list(
            "action_id", "date", Cast("percent", FloatField())
        )
    )
    for action_id, on, value in rows:
        steps = out[action_id]
        if steps and steps[-1][0] == on:
            steps[-1] = (on, value)  # a later entry of the same day decides that day
        elif not steps or steps[-1][1] != value:
            steps.append((on, value))
    return out
