"""Fitting the scorecard (units/fitting.py): the points are never negative, so the fitted
score is monotone; the bins that tell distress apart get the points; the scale puts even odds
at the high level."""

import random

import pytest

from ronagh.units import fitting, risk
from ronagh.units.risk import score


def synthetic(n=1500, seed=3):
    """Rows where bank arrears drive distress and tax arrears are noise."""
    rnd = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        f = dict.fromkeys(risk.FEATURES, 0.0)
        f["bank_overdue"] = rnd.choice([0, 0, 0, 1, 2, 4, 7])
        f["tax_overdue"] = rnd.choice([0, 0, 1, 3, 6])
        p = 0.02 + 0.12 * f["bank_overdue"]
        rows.append(f)
        labels.append(1 if rnd.random() < min(p, 0.95) else 0)
    return rows, labels


def test_the_predictive_bins_get_the_points_and_none_is_negative():
    rows, labels = synthetic()
    table = fitting.fit(rows, labels)
    assert all(p >= 0 for points in table.points.values() for p in points)
    bank, tax = sum(table.points["bank_overdue"]), sum(table.points["tax_overdue"])
    assert bank > 20 and bank > 4 * tax
    assert table.meta["rows"] == len(rows) and table.meta["positives"] == sum(labels)


def test_the_fitted_score_rises_with_the_arrears():
    table = fitting.fit(*synthetic())
    feats = dict.fromkeys(risk.FEATURES, 0.0)
    scores = [score(table, dict(feats, bank_overdue=m)).score for m in range(0, 9)]
    assert scores == sorted(scores) and scores[-1] > scores[0]


def test_fitting_needs_both_outcomes():
    with pytest.raises(ValueError):
        fitting.fit([dict.fromkeys(risk.FEATURES, 0.0)] * 3, [0, 0, 0])
