"""SPEC 4.3 rules against hand-computed examples, and properties that must always hold."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ronagh.lib.workdays import Calendar
from ronagh.plans import rollup
from ronagh.plans.rollup import ActionInput, Thresholds

D = dt.date
CAL = Calendar()


APR_1, APR_11 = D(2026, 4, 1), D(2026, 4, 11)


def act(
    id=1,
    axis=1,
    weight=1.0,
    start=APR_1,
    end=APR_11,
    reports=(),
    milestones=(),
    report_dates=None,
    lead=None,
):
    reports = tuple(reports)
    return ActionInput(
        id=id,
        axis_id=axis,
        weight=weight,
        start=start,
        end=end,
        lead_agency_id=lead,
        milestones=tuple(milestones),
        reports=reports,
        report_dates=tuple(
            sorted(report_dates if report_dates is not None else [r[0] for r in reports])
        ),
    )


# --- planned ------------------------------------------------------------------------------------


def test_planned_is_zero_before_start_and_hundred_from_end():
    a = act()
    assert rollup.planned(a, D(2026, 3, 31)) == 0
    assert rollup.planned(a, D(2026, 4, 1)) == 0
    assert rollup.planned(a, D(2026, 4, 11)) == 100
    assert rollup.planned(a, D(2026, 5, 1)) == 100


def test_planned_is_linear_by_calendar_days():
    a = act()  # 10 days from 1 to 11 April
    assert rollup.planned(a, D(2026, 4, 4)) == 30
    assert rollup.planned(a, D(2026, 4, 6)) == 50


def test_planned_goes_through_milestones():
    # (1 Apr, 0) → (5 Apr, 60) → (11 Apr, 100)
    a = act(milestones=[(D(2026, 4, 5), 60.0)])
    assert rollup.planned(a, D(2026, 4, 3)) == 30  # half-way to 60
    assert rollup.planned(a, D(2026, 4, 5)) == 60
    assert rollup.planned(a, D(2026, 4, 8)) == 80  # 60 + 40·3/6


def test_planned_sorts_milestones_by_date():
    a = act(milestones=[(D(2026, 4, 9), 90.0), (D(2026, 4, 3), 10.0)])
    assert rollup.planned(a, D(2026, 4, 3)) == 10
    assert rollup.planned(a, D(2026, 4, 6)) == 50  # 10 + 80·3/6


def test_action_without_dates_plans_nothing():
    assert rollup.planned(act(start=None, end=None), D(2026, 6, 1)) == 0


# --- actual -------------------------------------------------------------------------------------


def test_actual_is_latest_report_on_or_before_the_date():
    a = act(reports=[(D(2026, 4, 2), 10.0), (D(2026, 4, 5), 25.0)])
    assert rollup.actual(a, D(2026, 4, 1)) == 0
    assert rollup.actual(a, D(2026, 4, 2)) == 10
    assert rollup.actual(a, D(2026, 4, 4)) == 10
    assert rollup.actual(a, D(2026, 4, 5)) == 25
    assert rollup.actual(a, D(2026, 9, 1)) == 25


def test_later_entry_on_the_same_day_wins():
    a = act(reports=[(D(2026, 4, 2), 10.0), (D(2026, 4, 2), 12.0)])
    assert rollup.actual(a, D(2026, 4, 2)) == 12


# --- effective weights and rollups ---------------------------------------------------------------


def test_effective_weights_follow_axis_and_action_weights():
    # Axis 1 weight 3 with actions weighted 1 and 3; axis 2 weight 1 with one action.
    actions = [act(1, axis=1, weight=1), act(2, axis=1, weight=3), act(3, axis=2, weight=1)]
    w = rollup.effective_weights(actions, {1: 3.0, 2: 1.0})
    assert w[1] == 3 / 4 * 1 / 4
    assert w[2] == 3 / 4 * 3 / 4
    assert w[3] == 1 / 4
    assert abs(sum(w.values()) - 1) < 1e-12


def test_plan_rollup_equals_axis_weighted_mean_of_axis_rollups():
    d = D(2026, 4, 6)
    actions = [
        act(1, axis=1, weight=1, reports=[(D(2026, 4, 2), 40.0)]),
        act(2, axis=1, weight=3, reports=[(D(2026, 4, 2), 20.0)]),
        act(3, axis=2, weight=1, reports=[(D(2026, 4, 3), 80.0)]),
    ]
    w = rollup.effective_weights(actions, {1: 3.0, 2: 1.0})
    figs = {a.id: rollup.figures(a, d, CAL) for a in actions}
    items = [(a, figs[a.id]) for a in actions]
    plan = rollup.rollup(items, w, d)
    axis1 = rollup.rollup(items[:2], w, d)
    axis2 = rollup.rollup(items[2:], w, d)
    # Axis 1: plain weighted mean (40·1 + 20·3)/4 = 25; axis 2: 80; plan: (3·25 + 1·80)/4 = 38.75
    assert axis1.actual == 25
    assert axis2.actual == 80
    assert plan.actual == 38.75
    assert plan.planned == 50  # every action planned 50 on 6 April
    assert plan.gap == 11.25


# --- status -------------------------------------------------------------------------------------


def status_on(a, d):
    return rollup.figures(a, d, CAL).status


def test_status_done_when_actual_is_hundred():
    assert status_on(act(reports=[(D(2026, 4, 3), 100.0)]), D(2026, 4, 4)) == "done"


def test_status_not_due_before_start():
    assert status_on(act(start=D(2026, 5, 1), end=D(2026, 6, 1)), D(2026, 4, 20)) == "not_due"


def test_status_stalled_when_no_progress_in_fourteen_days():
    a = act(start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 10), 30.0)])
    # On 24 April: 23 days since start ≥ 14, A(24 Apr) = 30 = A(10 Apr).
    assert status_on(a, D(2026, 4, 24)) == "stalled"
    # On 23 April A(9 Apr) = 0 ≠ 30, and the gap is small: on track.
    assert status_on(a, D(2026, 4, 23)) == "on_track"


def test_stalled_needs_fourteen_days_since_start():
    a = act(start=D(2026, 4, 1), end=D(2026, 4, 30))
    # 13 days in, nothing reported: P = 100·13/29 ≈ 44.8 → critical, not stalled yet.
    assert status_on(a, D(2026, 4, 14)) == "critical"
    assert status_on(a, D(2026, 4, 15)) == "stalled"


def test_status_by_gap_thresholds():
    a = act(start=D(2026, 4, 1), end=D(2026, 4, 11))  # P(6 Apr) = 50
    assert status_on(act(reports=[(D(2026, 4, 5), 29.0)]), D(2026, 4, 6)) == "critical"  # G = 21
    assert status_on(act(reports=[(D(2026, 4, 5), 30.0)]), D(2026, 4, 6)) == "behind"  # G = 20
    assert status_on(act(reports=[(D(2026, 4, 5), 44.0)]), D(2026, 4, 6)) == "behind"  # G = 6
    assert status_on(act(reports=[(D(2026, 4, 5), 45.0)]), D(2026, 4, 6)) == "on_track"  # G = 5
    assert status_on(act(reports=[(D(2026, 4, 5), 70.0)]), D(2026, 4, 6)) == "on_track"  # ahead
    assert rollup.planned(a, D(2026, 4, 6)) == 50


def test_thresholds_are_settings():
    a = act(reports=[(D(2026, 4, 5), 44.0)])
    strict = Thresholds(behind_gap=2, critical_gap=5)
    assert rollup.figures(a, D(2026, 4, 6), CAL, strict).status == "critical"


# --- unreported, coverage, forecast ------------------------------------------------------------


def test_unreported_after_three_working_days_without_report():
    # Reported on Saturday 4 April 2026; Friday 10 April is the weekend.
    a = act(start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 4), 5.0)])
    assert not rollup.figures(a, D(2026, 4, 6), CAL).unreported  # Sun, Mon: 2 working days
    assert rollup.figures(a, D(2026, 4, 7), CAL).unreported  # Sun, Mon, Tue: 3


def test_unreported_skips_friday_and_holidays():
    a = act(start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 8), 5.0)])  # Wed
    # Thu 9, (Fri 10 weekend), Sat 11 → 2 working days; with Thu a holiday, 1.
    assert not rollup.figures(a, D(2026, 4, 11), CAL).unreported
    assert rollup.figures(a, D(2026, 4, 12), CAL).unreported
    holidays = Calendar(holidays=[D(2026, 4, 9)])
    assert not rollup.figures(a, D(2026, 4, 12), holidays).unreported


def test_never_reported_counts_from_start_and_done_is_never_unreported():
    a = act(start=D(2026, 4, 4), end=D(2026, 12, 1))
    assert not rollup.figures(a, D(2026, 4, 5), CAL).unreported  # Sat, Sun
    assert rollup.figures(a, D(2026, 4, 6), CAL).unreported
    done = act(start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 2), 100.0)])
    assert not rollup.figures(done, D(2026, 6, 1), CAL).unreported


def test_coverage_is_share_of_started_actions_reported_in_window():
    d = D(2026, 4, 7)
    fresh = act(1, start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 6), 5.0)])
    stale = act(2, start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 2), 5.0)])
    future = act(3, start=D(2026, 6, 1), end=D(2026, 12, 1))
    actions = [fresh, stale, future]
    w = rollup.effective_weights(actions, {1: 1.0})
    items = [(a, rollup.figures(a, d, CAL)) for a in actions]
    assert rollup.rollup(items, w, d).coverage == 50


def test_forecast_finish_from_mean_gain_of_last_thirty_days():
    a = act(
        start=D(2026, 4, 1),
        end=D(2026, 12, 1),
        reports=[(D(2026, 4, 1), 10.0), (D(2026, 5, 1), 40.0)],
    )
    # On 1 May: gain (40 − A(1 Apr) = 10) / 30 = 1 point a day → 60 days to 100.
    assert rollup.forecast(a, D(2026, 5, 1)) == D(2026, 6, 30)


def test_forecast_is_never_without_gain():
    a = act(start=D(2026, 4, 1), end=D(2026, 12, 1), reports=[(D(2026, 4, 1), 10.0)])
    assert rollup.forecast(a, D(2026, 6, 1)) is None


def test_spi_and_gap():
    f = rollup.figures(act(reports=[(D(2026, 4, 5), 25.0)]), D(2026, 4, 6), CAL)
    assert (f.planned, f.actual, f.gap, f.spi) == (50, 25, 25, 0.5)
    assert rollup.figures(act(), D(2026, 3, 1), CAL).spi is None


def test_scorecard_progress_caps_each_action_at_its_plan():
    d = D(2026, 4, 6)  # P = 50 for both
    ahead = act(1, reports=[(D(2026, 4, 5), 80.0)])  # min(80/50, 1) = 1
    behind = act(2, reports=[(D(2026, 4, 5), 25.0)])  # 0.5
    not_due = act(3, start=D(2026, 5, 1), end=D(2026, 6, 1))  # P = 0: left out
    actions = [ahead, behind, not_due]
    w = rollup.effective_weights(actions, {1: 1.0})
    items = [(a, rollup.figures(a, d, CAL)) for a in actions]
    assert rollup.scorecard_progress(items, w) == 75


# --- properties ---------------------------------------------------------------------------------

START = D(2026, 3, 21)
days = st.integers(min_value=0, max_value=364)


@st.composite
def plans(draw):
    n_axes = draw(st.integers(1, 5))
    axis_weights = {i: draw(st.floats(0.1, 10)) for i in range(1, n_axes + 1)}
    actions = []
    for i in range(1, draw(st.integers(1, 12)) + 1):
        s = draw(days)
        e = s + draw(st.integers(0, 200))
        values = sorted(draw(st.lists(st.integers(0, 1000), max_size=6)))
        dates = sorted(draw(st.lists(days, min_size=len(values), max_size=len(values))))
        reports = tuple(
            (START + dt.timedelta(days=d), v / 10) for d, v in zip(dates, values, strict=True)
        )
        actions.append(
            act(
                i,
                axis=draw(st.integers(1, n_axes)),
                weight=draw(st.floats(0.1, 10)),
                start=START + dt.timedelta(days=s),
                end=START + dt.timedelta(days=e),
                reports=reports,
            )
        )
    return actions, axis_weights


@settings(max_examples=150, deadline=None)
@given(plans())
def test_effective_weights_sum_to_one_when_every_axis_has_actions(plan):
    actions, axis_weights = plan
    used = {a.axis_id for a in actions}
    w = rollup.effective_weights(actions, {k: v for k, v in axis_weights.items() if k in used})
    assert abs(sum(w.values()) - 1) < 1e-9


@settings(max_examples=150, deadline=None)
@given(plans(), days)
def test_rollups_stay_between_zero_and_hundred(plan, day):
    actions, axis_weights = plan
    d = START + dt.timedelta(days=day)
    w = rollup.effective_weights(actions, axis_weights)
    r = rollup.rollup([(a, rollup.figures(a, d, CAL)) for a in actions], w, d)
    assert -1e-9 <= r.planned <= 100 + 1e-9
    assert -1e-9 <= r.actual <= 100 + 1e-9
    assert r.coverage is None or 0 <= r.coverage <= 100
    assert sum(r.status_counts.values()) == len(actions)


@settings(max_examples=150, deadline=None)
@given(plans(), days, st.integers(1, 100), st.integers(0, 1000))
def test_an_extra_report_never_changes_a_past_dates_figures(plan, day, later, value):
    actions, axis_weights = plan
    d = START + dt.timedelta(days=day)
    w = rollup.effective_weights(actions, axis_weights)
    before = [rollup.figures(a, d, CAL) for a in actions]
    extra_day = d + dt.timedelta(days=later)
    changed = [
        act(
            a.id,
            axis=a.axis_id,
            weight=a.weight,
            start=a.start,
            end=a.end,
            reports=(*a.reports, (extra_day, value / 10)),
        )
        for a in actions
    ]
    after = [rollup.figures(a, d, CAL) for a in changed]
    assert before == after
    r1 = rollup.rollup(list(zip(actions, before, strict=True)), w, d)
    r2 = rollup.rollup(list(zip(changed, after, strict=True)), w, d)
    assert r1 == r2


@settings(max_examples=100, deadline=None)
@given(plans(), days, days)
def test_planned_never_decreases_over_time(plan, d1, d2):
    actions, _ = plan
    early, late = sorted([START + dt.timedelta(days=d1), START + dt.timedelta(days=d2)])
    for a in actions:
        assert rollup.planned(a, early) <= rollup.planned(a, late)
