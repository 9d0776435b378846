"""SPEC 4.4's score and grade, and SPEC 4.3's compliance count, as pure functions: hand-computed
examples and properties that must always hold."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronagh.lib.workdays import Calendar
from ronagh.scorecards import scorecard
from ronagh.scorecards.scorecard import ComplianceAction

D = dt.date


# --- the score ---------------------------------------------------------------------------------


def test_three_components_weigh_60_25_15():
    # 0.60 · 80 + 0.25 · 90 + 0.15 · 50 = 48 + 22.5 + 7.5 = 78
    assert scorecard.score_and_grade({"progress": 80, "compliance": 90, "obstacles": 50}) == (
        78.0,
        "B",
    )


def test_without_obstacles_the_other_weights_are_rescaled():
    # (0.6 · 80 + 0.25 · 60) / 0.85 = 63 / 0.85 = 74.1176… → 74.12, a C
    assert scorecard.score_and_grade({"progress": 80, "compliance": 60, "obstacles": None}) == (
        74.12,
        "C",
    )


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ({"progress": 90.0, "compliance": None, "obstacles": None}, (90.0, "A")),
        ({"progress": 85.0, "compliance": 60.0, "obstacles": None}, (77.65, "B")),
        ({"progress": 60.0, "compliance": 60.0, "obstacles": 60.0}, (60.0, "C")),
        ({"progress": 59.99, "compliance": None, "obstacles": None}, (59.99, "D")),
        ({"progress": None, "compliance": 40.0, "obstacles": 100.0}, (62.5, "C")),
        ({"progress": None, "compliance": None, "obstacles": None}, (None, None)),
    ],
)
def test_score_and_grade_by_hand(components, expected):
    # (0.25 · 40 + 0.15 · 100) / 0.40 = 25 / 0.40 = 62.5
    assert scorecard.score_and_grade(components) == expected


def test_grade_boundaries():
    assert [scorecard.grade(s) for s in (100, 90, 89.99, 75, 74.99, 60, 59.99, 0)] == [
        "A", "A", "B", "B", "C", "C", "D", "D",
    ]  # fmt: skip
    assert scorecard.grade(None) is None


def test_the_grade_is_read_from_the_score_as_shown():
    # 89.996 is shown as 90.00: the reader sees an A, so it is an A.
    assert scorecard.score_and_grade({"progress": 89.996}) == (90.0, "A")


def test_weights_are_a_parameter():
    weights = {"progress": 0.5, "compliance": 0.5, "obstacles": 0.0}
    assert scorecard.score({"progress": 80, "compliance": 60, "obstacles": 0}, weights) == 70.0


def test_obstacles_component():
    assert scorecard.obstacles_component(3, 4) == 75.0
    assert scorecard.obstacles_component(0, 0) is None


def test_competition_ranking():
    assert scorecard.rank([70.0, 90.0, None, 70.0, 50.0]) == [2, 1, None, 2, 4]


component = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(component, component, component)
def test_score_stays_within_0_and_100(p, c, o):
    value = scorecard.score({"progress": p, "compliance": c, "obstacles": o})
    assert value is None or 0 <= value <= 100
    assert (value is None) == (p is None and c is None and o is None)


@settings(max_examples=200, deadline=None)
@given(
    component,
    component,
    component,
    st.sampled_from(["progress", "compliance", "obstacles"]),
    st.floats(0, 100, allow_nan=False),
)
def test_a_better_component_never_lowers_the_score_or_the_grade(p, c, o, which, better):
    before = {"progress": p, "compliance": c, "obstacles": o}
    if before[which] is None or better < before[which]:
        return
    after = {**before, which: better}
    s0, g0 = scorecard.score_and_grade(before)
    s1, g1 = scorecard.score_and_grade(after)
    assert s1 >= s0
    assert "ABCD".index(g1) <= "ABCD".index(g0)


# --- compliance pairs --------------------------------------------------------------------------

# 2026-05-04 is a Monday; 2026-05-08 a Friday.
CAL = Calendar(holidays=[D(2026, 5, 6)])
DAYS = CAL.working_days(D(2026, 5, 4), D(2026, 5, 12))


def test_the_working_days_skip_friday_and_the_holiday():
    assert DAYS == [D(2026, 5, d) for d in (4, 5, 7, 9, 10, 11, 12)]
    thursday_off = Calendar(holidays=[D(2026, 5, 6)], thursday_weekend=True)
    assert D(2026, 5, 7) not in thursday_off.working_days(D(2026, 5, 4), D(2026, 5, 12))


def test_required_days_run_from_communication_to_the_end_while_not_done():
    a = ComplianceAction(
        id=1,
        start=D(2026, 5, 2),
        end=D(2026, 5, 11),
        from_day=D(2026, 5, 4),
        reports=((D(2026, 5, 5), 40.0), (D(2026, 5, 9), 100.0)),
    )
    # 4, 5, 7 (A < 100); from the 9th A = 100: done, nothing more required.
    assert scorecard.required_days(a, DAYS) == [D(2026, 5, 4), D(2026, 5, 5), D(2026, 5, 7)]


def test_nothing_is_required_of_an_action_without_dates_or_before_communication():
    assert scorecard.required_days(ComplianceAction(1, None, None, D(2026, 5, 4)), DAYS) == []
    assert (
        scorecard.required_days(ComplianceAction(1, D(2026, 5, 4), D(2026, 5, 9), None), DAYS) == []
    )


def test_tally_by_hand():
    a1 = ComplianceAction(
        id=1, start=D(2026, 5, 2), end=D(2026, 5, 31), from_day=D(2026, 5, 4),
        reported_days=frozenset({D(2026, 5, 4), D(2026, 5, 6), D(2026, 5, 8), D(2026, 5, 12)}),
    )  # fmt: skip
    a2 = ComplianceAction(
        id=2, start=D(2026, 5, 10), end=D(2026, 5, 11), from_day=D(2026, 5, 4),
        reported_days=frozenset({D(2026, 5, 11)}),
    )  # fmt: skip
    t = scorecard.tally([a1, a2], DAYS)
    # a1: 7 working days required, reported on 4 and 12 (6 is a holiday, 8 a Friday);
    # a2: 10 and 11 required, 11 reported.
    assert (t.required, t.reported) == (9, 3)
    assert t.percent == pytest.approx(100 * 3 / 9)
    assert t.by_action == {1: [7, 2], 2: [2, 1]}
    assert t.by_day[D(2026, 5, 11)] == [2, 1]
    assert t.by_day[D(2026, 5, 5)] == [1, 0]
    assert t.missed[0] == (1, D(2026, 5, 11))  # newest first
    assert t.missed_count == 6


def test_no_pair_required_gives_no_compliance():
    assert scorecard.tally([], DAYS).percent is None


# --- what a grade cost (the governor's page) ---------------------------------------------------


def test_each_action_costs_its_weight_share_of_what_it_lacks():
    """Weights 0.2 and 0.3 due (P 50 and 40, A 25 and 40), one not yet due: the first costs
    100 · 0.2 · (1 − ½) / 0.5 = 20 points, the second none, the third none."""
    losses = scorecard.progress_losses([(1, 0.2, 50, 25), (2, 0.3, 40, 40), (3, 0.5, 0, 0)])
    assert losses == {1: pytest.approx(20.0), 2: 0.0, 3: 0.0}


def test_an_action_ahead_of_schedule_costs_nothing_and_nothing_due_costs_nothing():
    assert scorecard.progress_losses([(1, 0.4, 30, 60)]) == {1: 0.0}
    assert scorecard.progress_losses([(1, 0.4, 0, 10)]) == {1: 0.0}


@given(
    st.lists(
        st.tuples(st.floats(0.01, 1), st.floats(0, 100, allow_nan=False), st.floats(0, 100)),
        min_size=1,
        max_size=12,
    )
)
def test_the_costs_add_up_to_what_progress_lacks(rows):
    actions = [(i, w, p, a) for i, (w, p, a) in enumerate(rows)]
    losses = scorecard.progress_losses(actions)
    due = [(w, p, a) for _i, w, p, a in actions if p > 0]
    if not due:
        assert sum(losses.values()) == 0
        return
    total = sum(w for w, _p, _a in due)
    progress = 100 * sum(w * min(a / p, 1) for w, p, a in due) / total
    assert sum(losses.values()) == pytest.approx(100 - progress, abs=1e-6)
    assert all(v >= 0 for v in losses.values())
