"""Fitting the early-warning scorecard (no Django): a logistic regression of "the unit goes idle
or closes within the horizon" on the bins of `risk.py`, with every bin's coefficient held at or
above zero (scipy's L-BFGS-B with bounds) and a small ridge penalty.

The bins are cumulative — a feature's k-th indicator is `value ≥ k-th threshold` — so a
non-negative coefficient per indicator means the points of a feature can only rise as it
worsens: the score is monotone by construction, not by luck of the data.

Coefficients are log-odds; they become points by one factor chosen so that a unit whose odds
of distress within the horizon are even (probability 0.5) scores 70, the high level, and a unit
with no bad bin scores 0. The result is a `risk.Table`, kept as data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize

from .risk import DEFAULT_BINS, FEATURES, HIGH, Table

PENALTY = 0.02  # ridge on the bins' coefficients, per row: keeps rare bins from running away
HIGH_PROBABILITY = 0.5  # the fitted probability that scores HIGH (70)


def design(rows: Sequence[dict[str, float]], bins: dict[str, tuple[float, ...]]) -> np.ndarray:
    """Rows of features → the 0/1 matrix of cumulative bins, columns in `bins` order."""
    columns = [(name, t) for name in bins for t in bins[name]]
    x = np.zeros((len(rows), len(columns)))
    for j, (name, threshold) in enumerate(columns):
        x[:, j] = [1.0 if r.get(name, 0.0) >= threshold else 0.0 for r in rows]
    return x


def _loss(params: np.ndarray, x: np.ndarray, y: np.ndarray, penalty: float):
    b0, w = params[0], params[1:]
    z = b0 + x @ w
    # log(1 + e^z) − y·z, written to stay finite for large |z|
    loss = np.logaddexp(0.0, z) - y * z
    p = 1.0 / (1.0 + np.exp(-z))
    n = len(y)
    value = loss.sum() / n + 0.5 * penalty * float(w @ w)
    grad_z = (p - y) / n
    grad = np.concatenate([[grad_z.sum()], x.T @ grad_z + penalty * w])
    return value, grad


def fit(
    rows: Sequence[dict[str, float]],
    labels: Sequence[int],
    *,
    bins: dict[str, tuple[float, ...]] | None = None,
    penalty: float = PENALTY,
    meta: dict | None = None,
) -> Table:
    """Fit the scorecard's points to rows of features and their 0/1 labels."""
    bins = bins or DEFAULT_BINS
    y = np.asarray(labels, dtype=float)
    if len(rows) == 0 or y.min() == y.max():
        raise ValueError("fitting needs rows of both outcomes")
    x = design(rows, bins)
    k = x.shape[1]
    base = float(np.clip(y.mean(), 1e-4, 1 - 1e-4))
    start = np.concatenate([[math.log(base / (1 - base))], np.zeros(k)])
    result = minimize(
        _loss,
        start,
        args=(x, y, penalty),
        jac=True,
        method="L-BFGS-B",
        bounds=[(None, None)] + [(0.0, None)] * k,
        options={"maxiter": 2000},
    )
    b0, w = float(result.x[0]), np.maximum(result.x[1:], 0.0)
    target = math.log(HIGH_PROBABILITY / (1 - HIGH_PROBABILITY))
    factor = HIGH / max(target - b0, 0.5)
    points: dict[str, tuple[float, ...]] = {}
    j = 0
    for name in bins:
        n = len(bins[name])
        points[name] = tuple(round(float(v) * factor, 1) for v in w[j : j + n])
        j += n
    info = {
        "intercept": round(b0, 4),
        "points_per_log_odds": round(factor, 4),
        "rows": len(rows),
        "positives": int(y.sum()),
        "penalty": penalty,
        "converged": bool(result.success),
    }
    info.update(meta or {})
    return Table(bins={n: tuple(bins[n]) for n in FEATURES if n in bins}, points=points, meta=info)
