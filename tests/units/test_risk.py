"""The early-warning score (units/risk.py, pure): hand-computed examples, features from the
reports that had arrived by the month only, episodes of high risk, and the monotone property
(worsening any input never lowers the score)."""

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ronagh.units import risk
from ronagh.units.risk import Level, Report, Table, episodes, features_at, level_of, score
from ronagh.units.services.warning import DEFAULT_TABLE

SMALL = Table(
    bins={"utilisation_gap": (30, 50), "bank_overdue": (1, 3), "missing_reports": (1,)},
    points={"utilisation_gap": (10, 15), "bank_overdue": (5, 20), "missing_reports": (7,)},
)
SHIPPED = Table.from_dict(json.loads(DEFAULT_TABLE.read_text()))


def feats(**kw) -> dict:
    base = dict.fromkeys(risk.FEATURES, 0.0)
    base.update(kw)
    return base


def test_points_add_up_over_every_threshold_reached():
    s = score(SMALL, feats(utilisation_gap=40, bank_overdue=3))
    # utilisation gap 40 reaches 30 (10 points); 3 months of bank arrears reach 1 and 3 (5 + 20)
    assert s.score == 35 and s.level == Level.LOW
    s = score(SMALL, feats(utilisation_gap=55, bank_overdue=4, missing_reports=1))
    assert s.score == 10 + 15 + 5 + 20 + 7 == 57 and s.level == Level.MEDIUM


def test_the_reasons_are_the_bins_that_scored_most():
    s = score(SMALL, feats(utilisation_gap=40, bank_overdue=3, missing_reports=1))
    assert [(c.feature, c.points) for c in s.reasons()] == [
        ("bank_overdue", 25),
        ("utilisation_gap", 10),
        ("missing_reports", 7),
    ]
    assert s.reasons()[0].threshold == 3
    assert score(SMALL, feats()).contributions == ()


def test_the_score_is_capped_at_100_and_levels_start_at_40_and_70():
    big = Table(bins={"bank_overdue": (1,)}, points={"bank_overdue": (250,)})
    assert score(big, feats(bank_overdue=1)).score == 100
    assert [level_of(x) for x in (0, 39, 40, 69, 70, 100)] == [
        Level.LOW, Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH, Level.HIGH,
    ]  # fmt: skip


def test_a_table_refuses_negative_points_and_falling_thresholds():
    import pytest

    with pytest.raises(ValueError):
        Table(bins={"bank_overdue": (1, 3)}, points={"bank_overdue": (5, -1)})
    with pytest.raises(ValueError):
        Table(bins={"bank_overdue": (3, 1)}, points={"bank_overdue": (5, 1)})


def test_a_missing_month_carries_the_last_values_forward_and_counts_as_missing():
    history = [Report(employees=100, utilisation=80, sales=1000), None, Report(utilisation=50)]
    month1 = features_at(history, 1)
    assert month1["utilisation_gap"] == 20 and month1["missing_reports"] == 1
    month2 = features_at(history, 2)
    assert month2["utilisation_gap"] == 50 and month2["missing_reports"] == 0
    assert month2["staff_fall_3"] == 0  # 100 carried; nothing three months before


def test_falls_compare_with_three_and_twelve_months_before():
    history = [Report(employees=100, sales=1000)] * 3 + [Report(employees=70, sales=400)]
    f = features_at(history, 3)
    assert f["staff_fall_3"] == 30 and f["sales_fall_3"] == 60
    assert f["staff_fall_12"] == 0  # no month twelve months before
    year = [Report(employees=200, sales=1000)] + [Report(employees=200, sales=900)] * 11
    year += [Report(employees=150, sales=250)]
    f = features_at(year, 12)
    assert f["staff_fall_12"] == 25 and f["sales_fall_12"] == 75


def test_cheques_and_cutoffs_count_over_the_last_three_months():
    history = [Report(cheques=c, cutoffs=1) for c in (5, 1, 2, 0)]
    f = features_at(history, 3)
    assert f["bounced_cheques"] == 3 and f["utility_cutoffs"] == 3


def test_a_month_is_scored_from_the_reports_up_to_it_only():
    history = [Report(utilisation=80), Report(utilisation=75)]
    later = history + [Report(utilisation=5, bank=9)]
    assert features_at(history, 1) == features_at(later, 1)


def test_episodes_need_a_full_month_below_high_to_begin_again():
    H, M, L = Level.HIGH, Level.MEDIUM, Level.LOW
    assert episodes([(0, H), (1, H), (2, L), (3, H)]) == [(0, 1), (3, 3)]
    assert episodes([(0, M), (1, H), (2, H), (3, M), (4, M), (5, H)]) == [(1, 2), (5, 5)]
    # a month that was not scored does not end an episode
    assert episodes([(0, H), (2, H)]) == [(0, 2)]
    assert episodes([(0, L), (1, M)]) == []


# --- monotone: worsening any one input never lowers the score (SPEC 6) ---------------------------

feature_values = st.fixed_dictionaries(
    {name: st.floats(min_value=0, max_value=120, allow_nan=False) for name in risk.FEATURES}
)


@settings(max_examples=300, deadline=None)
@given(feature_values, st.sampled_from(risk.FEATURES), st.floats(min_value=0, max_value=50))
def test_worsening_any_feature_never_lowers_the_score(values, name, more):
    worse = dict(values, **{name: values[name] + more})
    assert score(SHIPPED, worse).score >= score(SHIPPED, values).score
    assert score(SMALL, worse).score >= score(SMALL, values).score


reports = st.builds(
    Report,
    employees=st.one_of(st.none(), st.integers(1, 500)),
    utilisation=st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    sales=st.one_of(st.none(), st.floats(0, 10_000, allow_nan=False)),
    energy=st.none(),
    tax=st.one_of(st.none(), st.integers(0, 12)),
    insurance=st.one_of(st.none(), st.integers(0, 12)),
    bank=st.one_of(st.none(), st.integers(0, 12)),
    cheques=st.one_of(st.none(), st.integers(0, 8)),
    cutoffs=st.one_of(st.none(), st.integers(0, 4)),
)
histories = st.lists(st.one_of(reports, st.none()), min_size=1, max_size=15).map(
    lambda h: [Report(employees=100, utilisation=70, sales=1000)] + h
)

# How each raw input of the month gets worse, from what the report said (or carried).
WORSE = {
    "utilisation": lambda v: max(0.0, (v if v is not None else 100.0) - 17),
    "tax": lambda v: (v or 0) + 2,
    "insurance": lambda v: (v or 0) + 2,
    "bank": lambda v: (v or 0) + 3,
    "cheques": lambda v: (v or 0) + 2,
    "cutoffs": lambda v: (v or 0) + 1,
    "employees": lambda v: max(0.0, (v if v is not None else 0) * 0.6),
    "sales": lambda v: max(0.0, (v if v is not None else 0) * 0.4),
}


def _carried_last(history) -> Report:
    values = dict.fromkeys(risk.REPORT_FIELDS)
    for r in history:
        if r is not None:
            for name in risk.REPORT_FIELDS:
                if getattr(r, name) is not None:
                    values[name] = getattr(r, name)
    return Report(**values)


@settings(max_examples=300, deadline=None)
@given(histories, st.sampled_from(sorted(WORSE)))
def test_worsening_an_input_of_the_month_never_lowers_its_score(history, name):
    last = len(history) - 1
    # The month as the score reads it: its report, blanks carried from the months before.
    month = _carried_last(history)
    current = history[:last] + [month]
    worse = history[:last] + [
        dataclasses.replace(month, **{name: WORSE[name](getattr(month, name))})
    ]
    before = risk.score_history(SHIPPED, current, last).score
    assert risk.score_history(SHIPPED, worse, last).score >= before


@settings(max_examples=200, deadline=None)
@given(histories)
def test_a_missing_report_never_scores_lower_than_an_unchanged_one(history):
    unchanged = history[:-1] + [_carried_last(history[:-1])]
    missing = history[:-1] + [None]
    last = len(history) - 1
    assert (
        risk.score_history(SHIPPED, missing, last).score
        >= risk.score_history(SHIPPED, unchanged, last).score
    )
