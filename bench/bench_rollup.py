"""How long the plan rollup and its S-curve take for a demo-sized plan (300 actions, about 250
reports each), from plain data. Prints figures; asserts nothing (SPEC: no timed assertions).

    .venv/bin/python bench/bench_rollup.py
"""

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ronagh.lib.workdays import Calendar  # noqa: E402
from ronagh.plans import rollup  # noqa: E402


def make_plan(n_actions=300, n_axes=27, seed=1):
    rnd = random.Random(seed)
    start_year = dt.date(2026, 3, 21)
    actions = []
    for i in range(n_actions):
        s = start_year + dt.timedelta(days=rnd.randint(0, 120))
        e = s + dt.timedelta(days=rnd.randint(30, 240))
        value, reports = 0.0, []
        day = s
        while day <= min(e, start_year + dt.timedelta(days=250)):
            value = min(100.0, value + rnd.choice([0, 0, 0.5, 1.0]))
            reports.append((day, round(value, 1)))
            day += dt.timedelta(days=1)
        actions.append(
            rollup.ActionInput(
                id=i,
                axis_id=i % n_axes,
                weight=rnd.choice([1, 2, 3]),
                start=s,
                end=e,
                reports=tuple(reports),
                report_dates=tuple(r[0] for r in reports),
            )
        )
    axis_weights = {a: rnd.choice([1, 2, 3]) for a in range(n_axes)}
    return actions, axis_weights


def main():
    actions, axis_weights = make_plan()
    cal = Calendar()
    d = dt.date(2026, 11, 25)
    n_reports = sum(len(a.reports) for a in actions)
    t0 = time.perf_counter()
    w = rollup.effective_weights(actions, axis_weights)
    figs = [(a, rollup.figures(a, d, cal)) for a in actions]
    rollup.rollup(figs, w, d)
    t1 = time.perf_counter()
    dates = [dt.date(2026, 3, 21) + dt.timedelta(days=7 * k) for k in range(53)]
    rollup.curve(actions, w, dates)
    t2 = time.perf_counter()
    print(f"actions: {len(actions)}  reports: {n_reports}")
    print(f"figures + plan rollup on one date: {1000 * (t1 - t0):.1f} ms")
    print(f"S-curve over 53 weekly dates:      {1000 * (t2 - t1):.1f} ms")


if __name__ == "__main__":
    main()
