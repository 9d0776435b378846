"""SPEC 4.2's suspicious patterns in an action's reports, as pure functions.

No Django here: `services.detect_flags` loads each action's reports into `ReportInput`s and
stores what `detect` finds. A finding names the report it hangs on, so running the detection
again finds the same things and stores nothing new (it is idempotent).

The patterns, with the thresholds this module documents (SPEC 4.2 names them, we fix them):

- **jump**: one report raises the cumulative progress by more than 30 points over the effective
  report before it (0 before the first report).
- **burst**: more than 25 points gained in the 7 days that end on the year's last day, or on the
  last day of a period the secretariat evaluated the agency for: A(T) − A(T − 7 days) > 25. The
  finding hangs on the last report inside that window. A window still running at the as-of date
  is judged on what is known so far.
- **flat**: the same value confirmed for weeks while the note text changes: a run of consecutive
  reports with one and the same percent that spans at least 14 days and counts at least 10
  reports, whose notes carry at least 3 different texts (the text changed at least twice). The
  finding hangs on the first report of the run, so a run that goes on is not flagged again.
- **corrections**: repeated corrections downwards: every correction that lowers the figure it
  corrects, from the second one of the action on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

JUMP = "jump"
BURST = "burst"
FLAT = "flat"
CORRECTIONS = "corrections"
KINDS = (JUMP, BURST, FLAT, CORRECTIONS)


@dataclass(frozen=True)
class Thresholds:
    jump_points: float = 30.0
    burst_points: float = 25.0
    burst_days: int = 7
    flat_days: int = 14
    flat_reports: int = 10
    flat_notes: int = 3
    corrections_down: int = 2


@dataclass(frozen=True)
class ReportInput:
    """One report of an action as the detection sees it. `corrects` is the id of the report it
    supersedes, `corrects_percent` that report's percent; `superseded` whether it does not count
    (a later correction replaced it, or it is a correction awaiting approval or rejected)."""

    id: int
    date: dt.date
    percent: float
    note: str = ""
    corrects: int | None = None
    corrects_percent: float | None = None
    superseded: bool = False


@dataclass(frozen=True)
class Finding:
    kind: str
    report_id: int | None
    date: dt.date
    detail: dict = field(default_factory=dict)


def _effective(reports: Iterable[ReportInput]) -> list[ReportInput]:
    return sorted((r for r in reports if not r.superseded), key=lambda r: (r.date, r.id))


def _actual(effective: Sequence[ReportInput], day: dt.date) -> float:
    value = 0.0
    for r in effective:
        if r.date > day:
            break
        value = r.percent
    return value


def jumps(reports: Iterable[ReportInput], t: Thresholds = Thresholds()) -> list[Finding]:
    """Reports that raise the figure by more than `jump_points` in one step."""
    out, previous = [], 0.0
    for r in _effective(reports):
        rise = r.percent - previous
        if rise > t.jump_points:
            out.append(
                Finding(JUMP, r.id, r.date, {"from": previous, "to": r.percent, "rise": rise})
            )
        previous = r.percent
    return out


def bursts(
    reports: Iterable[ReportInput],
    deadlines: Iterable[dt.date],
    as_of: dt.date,
    t: Thresholds = Thresholds(),
) -> list[Finding]:
    """More than `burst_points` gained in the `burst_days` days that end on a deadline (the
    year's end, an evaluated period's end)."""
    effective = _effective(r for r in reports if r.date <= as_of)
    out, seen = [], set()
    for deadline in sorted(set(deadlines)):
        window_start = deadline - dt.timedelta(days=t.burst_days)
        if as_of <= window_start:
            continue
        end = min(deadline, as_of)
        inside = [r for r in effective if window_start < r.date <= end]
        if not inside:
            continue
        before, after = _actual(effective, window_start), _actual(effective, end)
        last = inside[-1]
        if after - before > t.burst_points and last.id not in seen:
            seen.add(last.id)
            out.append(
                Finding(
                    BURST,
                    last.id,
                    last.date,
                    {
                        "from": before,
                        "to": after,
                        "rise": after - before,
                        "days": t.burst_days,
                        "deadline": deadline.isoformat(),
                    },
                )
            )
    return out


def _note_key(note: str) -> str:
    return " ".join(str(note or "").split())


def flat_runs(reports: Iterable[ReportInput], t: Thresholds = Thresholds()) -> list[Finding]:
    """Runs of the same value over weeks while the notes keep changing."""
    effective = _effective(reports)
    out, i = [], 0
    while i < len(effective):
        j = i
        while j + 1 < len(effective) and effective[j + 1].percent == effective[i].percent:
            j += 1
        run = effective[i : j + 1]
        span = (run[-1].date - run[0].date).days
        notes = {_note_key(r.note) for r in run} - {""}
        if span >= t.flat_days and len(run) >= t.flat_reports and len(notes) >= t.flat_notes:
            out.append(
                Finding(
                    FLAT,
                    run[0].id,
                    run[0].date,
                    {
                        "percent": run[0].percent,
                        "days": span,
                        "reports": len(run),
                        "notes": len(notes),
                        "until": run[-1].date.isoformat(),
                    },
                )
            )
        i = j + 1
    return out


def downward_corrections(
    reports: Iterable[ReportInput], t: Thresholds = Thresholds()
) -> list[Finding]:
    """Each correction that lowers the figure, from the `corrections_down`-th one on."""
    down = sorted(
        (
            r
            for r in reports
            if r.corrects is not None
            and r.corrects_percent is not None
            and r.percent < r.corrects_percent
        ),
        key=lambda r: r.id,
    )
    return [
        Finding(
            CORRECTIONS,
            r.id,
            r.date,
            {"from": r.corrects_percent, "to": r.percent, "count": n},
        )
        for n, r in enumerate(down, start=1)
        if n >= t.corrections_down
    ]


def detect(
    reports: Sequence[ReportInput],
    *,
    deadlines: Iterable[dt.date] = (),
    as_of: dt.date,
    t: Thresholds = Thresholds(),
) -> list[Finding]:
    """Every suspicious pattern in one action's reports dated on or before `as_of`."""
    known = [r for r in reports if r.date <= as_of]
    return [
        *jumps(known, t),
        *bursts(known, deadlines, as_of, t),
        *flat_runs(known, t),
        *downward_corrections(known, t),
    ]
