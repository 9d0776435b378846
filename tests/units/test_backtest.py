"""The backtest (units/backtest.py): out of time — no month of the gap or of the test period is
used in fitting — AUC by hand, the alert budget, and the rule at the same number of alerts."""

import pytest

from ronagh.units import backtest, fitting
from ronagh.units.backtest import UnitHistory, auc, split_for
from ronagh.units.risk import Report

HEALTHY = Report(employees=100, utilisation=85, sales=1000, tax=0, insurance=0, bank=0)


def drifting(months: int, event: int, chronic_tax: bool = False) -> tuple[list, list]:
    reports, active = [], []
    for m in range(months):
        if m >= event:
            reports.append(None)
            active.append(False)
            continue
        lead = event - m
        bad = lead <= 8
        reports.append(
            Report(
                employees=100 - (40 if bad else 0),
                utilisation=15 if bad else 85,
                sales=1000,
                tax=0,
                insurance=0,
                bank=(4 if lead <= 4 else 2) if bad else 0,
                cheques=2 if bad else 0,
            )
        )
        active.append(True)
    return reports, active


def world(months=18):
    units = []
    key = 0
    for event in (4, 5, 6, 7, 8, 9, 15, 16, 17):
        for _copy in range(3):
            key += 1
            reports, active = drifting(months, event)
            units.append(UnitHistory(key, reports, active))
    for _ in range(60):
        key += 1
        units.append(UnitHistory(key, [HEALTHY] * months, [True] * months))
    for _ in range(10):  # chronic tax disputes: the plain rule's false alarms
        key += 1
        units.append(
            UnitHistory(key, [Report(**{**HEALTHY.__dict__, "tax": 5})] * months, [True] * months)
        )
    return units


def test_the_split_leaves_a_gap_as_long_as_the_horizon():
    s = split_for(18, 6)
    assert s.train == (0, 1) and s.gap == (2, 7) and s.test == (8, 17)
    assert s.gap[1] - s.gap[0] + 1 == 6
    with pytest.raises(backtest.NotEnoughHistory):
        split_for(12, 6)


def test_no_month_after_the_fitting_months_is_used_in_fitting(monkeypatch):
    seen = []
    real = fitting.fit

    def spy(rows, labels, **kw):
        seen.append((list(rows), list(labels)))
        return real(rows, labels, **kw)

    monkeypatch.setattr(fitting, "fit", spy)
    units = world()
    result = backtest.run(units)
    rows, _labels = seen[0]
    # the rows fitted are exactly those of months 0–1: features of those months only
    expected = [r.features for u in units for r in backtest.rows_of(u, 0, 1, 6)]
    assert rows == expected and result.train_rows == len(expected)
    # and their labels look no further than month 1 + 6 = 7, the end of the gap
    assert result.split.gap[1] == 7 and result.split.test[0] == 8


def test_auc_by_hand_with_ties_counting_half():
    assert auc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]) == 1.0
    assert auc([0.5, 0.5], [1, 0]) == 0.5
    # positives 0.8, 0.4; negatives 0.6, 0.4, 0.1 → pairs won: 3 + (0.5 + 1) = 4.5 of 6
    assert auc([0.8, 0.4, 0.6, 0.4, 0.1], [1, 1, 0, 0, 0]) == pytest.approx(4.5 / 6)
    assert auc([1, 2], [0, 0]) is None


def test_the_model_beats_the_rule_at_the_same_number_of_alerts():
    result = backtest.run(world(), budget=0.1)
    model, rule = result.model, result.rule
    # the rule gets as many alerts as the model, or fewer when it flags fewer units
    assert rule.alerts_per_month <= model.alerts_per_month
    assert model.auc > 0.8 and model.recall_lead_6 >= 0.5
    # the rule waits for 3 months of arrears (4 months before the end here) and is taken in
    # by the chronic tax disputes
    assert rule.recall_lead_6 == 0 and model.precision > rule.precision
    keys = result.as_json()
    assert set(keys) == {"units", "months", "horizon_months", "model", "rule"}
    assert set(keys["model"]) == set(keys["rule"]) == {
        "auc", "precision", "recall", "recall_lead_6", "alerts_per_month", "false_alarms_per_month",
    }  # fmt: skip
    assert keys["units"] == len(world()) and keys["months"] == 18 and keys["horizon_months"] == 6


def test_the_alert_budget_is_five_percent_of_the_active_units_rounded_up():
    result = backtest.run(world())
    # 27 drifting + 70 others; in each test month ceil(5 % of those active) alerts
    assert 4 <= result.model.alerts_per_month <= 5
