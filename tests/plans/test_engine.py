"""The figure engine (plans.engine) reads by index probes what rollup.py's pure functions read
from the whole history: on random plans — reports on random days, unchanged confirmations,
corrections up and down — both give the same facts, the same figures and the same compliance
counts, on any date."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronagh.lib.workdays import Calendar
from ronagh.plans import engine, rollup
from ronagh.plans.figures import PlanFigures, plan_data
from ronagh.plans.models import CorrectionDecision, ProgressReport
from ronagh.scorecards import scorecard
from ronagh.scorecards.compliance import compliance_counts, compliance_inputs
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    secretariat,
)

pytestmark = pytest.mark.django_db

YEAR_START = dt.date(2026, 3, 21)
T = rollup.Thresholds()


class Rollback(Exception):
    pass


day = st.integers(min_value=0, max_value=200)
KINDS = ("immediate", "pending", "approved", "rejected")
report = st.tuples(
    day,
    st.integers(min_value=0, max_value=1000),
    st.booleans(),
    st.integers(0, 3),
    st.sampled_from(KINDS),
)  # (day, tenths, a correction?, which earlier report it corrects, what kind of correction)
action = st.tuples(day, st.integers(min_value=0, max_value=150), st.lists(report, max_size=25))


def build(specs, other_agency):
    """Actions and their reports written straight to the table, corrections of an earlier report
    of the same action: a manager's (in force at once) or a reporter's (needs approval: waiting,
    approved or refused). Only a report that counts, with no correction waiting or in force, is
    corrected."""
    user = secretariat()
    plan = communicated(PlanFactory(), on=YEAR_START + dt.timedelta(days=3))
    axis = AxisFactory(plan=plan)
    actions = []
    for start, length, reports in specs:
        a = ActionFactory(
            axis=axis,
            start=YEAR_START + dt.timedelta(days=start),
            end=YEAR_START + dt.timedelta(days=start + length),
        )
        written = []
        for offset, tenths, corrects, which, kind in sorted(reports, key=lambda r: r[0]):
            on = YEAR_START + dt.timedelta(days=offset)
            target = None
            open_ones = [r for r in written if not getattr(r, "_closed", False)]
            if corrects and open_ones:
                target = open_ones[which % len(open_ones)]
                target._closed = kind != "rejected"  # a refused correction leaves it open
            r = ProgressReport.objects.create(
                action=a,
                agency=a.lead_agency if tenths % 7 else other_agency,  # some by a partner
                date=target.date if target else on,
                percent=tenths / 10,
                corrects=target,
                reason="اصلاح" if target else "",
                needs_approval=bool(target) and kind != "immediate",
                entered_by=user,
            )
            if target and kind in ("approved", "rejected"):
                CorrectionDecision.objects.create(
                    correction=r, approved=kind == "approved", comment="بررسی شد", decided_by=user
                )
            r._closed = bool(target) and kind in ("pending", "rejected")  # counts nowhere
            written.append(r)
        actions.append(a)
    return plan, actions


def history_inputs(data, until):
    """What rollup.py reads: every action with its whole effective and reported history."""
    out = {}
    for i, inp in data.inputs.items():
        qs = ProgressReport.objects.filter(action_id=i).order_by("date", "id")
        effective = list(
            ProgressReport.objects.effective()
            .filter(action_id=i)
            .order_by("date", "id")
            .values_list("date", "percent")
        )
        out[i] = rollup.ActionInput(
            **{**inp.__dict__, "reports": tuple((d, float(p)) for d, p in effective),
               "report_dates": tuple(qs.values_list("date", flat=True))},
        )  # fmt: skip
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(action, min_size=1, max_size=6), when=st.lists(day, min_size=1, max_size=4))
def test_the_engine_gives_the_facts_of_the_history(specs, when):
    try:
        with transaction.atomic():
            plan, actions = build(specs, AgencyFactory())
            data = plan_data(plan)
            full = history_inputs(data, None)
            ids = [a.id for a in actions]
            for offset in when:
                d = YEAR_START + dt.timedelta(days=offset)
                got = engine.facts(data.inputs, d, T, forecast=ids)
                for i in ids:
                    want = rollup.facts(full[i], d, T)
                    f = got[i]
                    assert f.actual == want.actual
                    assert f.last_report == want.last_report
                    assert f.reached_100 == (want.reached_100 if want.actual >= 100 else None)
                    p = rollup.planned(full[i], d)
                    if rollup.needs_then(full[i], d, p, want.actual, T):
                        assert f.actual_then == want.actual_then
                    if want.actual < 100:
                        assert f.actual_window == want.actual_window
                    cal = data.calendar
                    assert rollup.figures_from(data.inputs[i], d, f, cal, T) == rollup.figures(
                        full[i], d, cal, T
                    )
                    assert rollup.forecast_finish(d, f, T) == rollup.forecast(full[i], d, T)
                pf = PlanFigures(data, d)
                assert pf.total == rollup.rollup(
                    [(full[i], rollup.figures(full[i], d, data.calendar, T)) for i in ids],
                    data.weights,
                    d,
                )
            raise Rollback
    except Rollback:
        pass


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(action, min_size=1, max_size=6), upto=day)
def test_compliance_counts_without_the_history_match_the_tally(specs, upto):
    try:
        with transaction.atomic():
            plan, actions = build(specs, AgencyFactory())
            data = plan_data(plan)
            data.calendar = Calendar(
                [YEAR_START + dt.timedelta(days=k) for k in (20, 45, 46)]
            )  # a few holidays
            ids = [a.id for a in actions]
            start = plan.communicated_on
            end = max(start, YEAR_START + dt.timedelta(days=upto))
            counts = compliance_counts(data, ids, start=start, end=end)
            inputs = compliance_inputs(data, ids, until=end)
            days = data.calendar.working_days(start, end)
            for i in ids:
                t = scorecard.tally([inputs[i]], days)
                assert counts[i] == (t.required, t.reported), i
            raise Rollback
    except Rollback:
        pass


def test_a_superseded_latest_report_is_looked_past(db):
    plan, (a,) = build(
        [(0, 100, [(5, 300, False, 0, "immediate"), (9, 500, False, 0, "immediate"),
                   (12, 450, True, 1, "immediate")])],
        AgencyFactory(),
    )  # fmt: skip
    data = plan_data(plan)
    d = YEAR_START + dt.timedelta(days=20)
    f = engine.facts(data.inputs, d, T)[a.id]
    # The 50 of day 9 was corrected to 45 (dated day 9 too): A = 45, last report day 9.
    assert f.actual == 45.0 and f.last_report == YEAR_START + dt.timedelta(days=9)


def steps_of(values):
    """The steps of A from the (date, percent) list of effective reports in date and entry order."""
    out = []
    for on, value in values:
        if out and out[-1][0] == on:
            out[-1] = (on, value)
        elif not out or out[-1][1] != value:
            out.append((on, value))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(action, min_size=1, max_size=6), until=day, since=st.none() | day)
def test_the_history_is_the_steps_of_the_effective_reports(specs, until, since):
    """engine.history reads the reports without effective() in the scan and asks it only about
    the corrections and what they correct: the same steps as the definition read whole."""
    try:
        with transaction.atomic():
            plan, actions = build(specs, AgencyFactory())
            ids = [a.id for a in actions]
            u = YEAR_START + dt.timedelta(days=until)
            s = None if since is None else min(u, YEAR_START + dt.timedelta(days=since))
            got = engine.history(ids, u, since=s)
            for i in ids:
                values = [
                    (on, float(p))
                    for on, p in ProgressReport.objects.effective()
                    .filter(action_id=i, date__lte=u)
                    .order_by("date", "id")
                    .values_list("date", "percent")
                ]
                if s is None:
                    want = steps_of(values)
                else:  # the value on `since`, then the steps after it
                    before = [v for v in values if v[0] <= s][-1:]
                    want = steps_of(before + [v for v in values if v[0] > s])
                assert got[i] == want, i
            raise Rollback
    except Rollback:
        pass
