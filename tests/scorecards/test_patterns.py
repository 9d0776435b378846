"""SPEC 4.2's suspicious patterns, found in hand-made report sequences."""

import datetime as dt

from ronagh.scorecards import patterns
from ronagh.scorecards.patterns import ReportInput as R

D = dt.date
YEAR_END = D(2027, 3, 20)
MAY_2 = D(2026, 5, 2)


def series(*points, start=MAY_2, step=1, note=""):
    """Reports with ids 1, 2, … on consecutive dates (`step` days apart)."""
    return [
        R(id=i, date=start + dt.timedelta(days=step * (i - 1)), percent=p, note=note)
        for i, p in enumerate(points, start=1)
    ]


def kinds(findings):
    return [(f.kind, f.report_id) for f in findings]


def test_a_jump_of_more_than_30_points_in_one_report():
    reports = series(10, 20, 51, 60, 90)  # +31 on report 3; +30 on report 5 is not "more than"
    found = patterns.jumps(reports)
    assert kinds(found) == [("jump", 3)]
    assert found[0].detail == {"from": 20, "to": 51, "rise": 31}


def test_a_first_report_high_above_zero_is_a_jump():
    assert kinds(patterns.jumps(series(35))) == [("jump", 1)]


def test_a_superseded_report_does_not_count():
    reports = [
        R(1, D(2026, 5, 2), 10),
        R(2, D(2026, 5, 3), 80, superseded=True),  # mistyped, corrected
        R(3, D(2026, 5, 3), 20, corrects=2, corrects_percent=80),
    ]
    assert patterns.jumps(reports) == []


def test_a_burst_before_the_year_end():
    # 50 on 12 March; 60 on 16 March; 80 on the last day: +30 in the 7 days before it.
    reports = [
        R(1, D(2027, 3, 12), 50),
        R(2, D(2027, 3, 16), 60),
        R(3, D(2027, 3, 20), 80),
    ]
    found = patterns.bursts(reports, [YEAR_END], as_of=YEAR_END)
    assert kinds(found) == [("burst", 3)]
    assert found[0].detail["rise"] == 30


def test_a_steady_pace_before_the_year_end_is_no_burst():
    reports = [R(i, YEAR_END - dt.timedelta(days=8 - i), 70 + 3 * i) for i in range(1, 9)]
    # 73 … 94: 94 − A(13 March) = 94 − 73 = 21 points in the 7 days: not more than 25.
    assert patterns.bursts(reports, [YEAR_END], as_of=YEAR_END) == []


def test_a_burst_before_an_evaluated_period_ends_and_not_before_the_window_opens():
    deadline = D(2026, 6, 21)
    reports = [R(1, D(2026, 6, 10), 20), R(2, D(2026, 6, 18), 50)]
    assert kinds(patterns.bursts(reports, [deadline], as_of=D(2026, 6, 30))) == [("burst", 2)]
    # As of 14 June the window (15–21 June) has not opened: nothing to see yet.
    assert patterns.bursts(reports, [deadline], as_of=D(2026, 6, 14)) == []


def test_the_same_value_for_weeks_while_the_note_changes():
    notes = ["پیگیری با وزارتخانه", "جلسه برگزار شد", "مکاتبه انجام شد"]
    reports = [
        R(i, D(2026, 5, 2) + dt.timedelta(days=2 * (i - 1)), 40, note=notes[i % 3])
        for i in range(1, 11)
    ]  # 10 reports of 40 over 18 days, three different notes
    found = patterns.flat_runs(reports)
    assert kinds(found) == [("flat", 1)]
    assert found[0].detail["reports"] == 10 and found[0].detail["days"] == 18


def test_a_flat_run_with_one_note_or_too_short_is_fine():
    same_note = series(*[40] * 10, step=2, note="در حال پیگیری")
    assert patterns.flat_runs(same_note) == []
    notes = ["الف", "ب", "ج"]
    short = [
        R(i, D(2026, 5, 2) + dt.timedelta(days=i), 40, note=notes[i % 3]) for i in range(1, 11)
    ]
    assert patterns.flat_runs(short) == []  # 10 reports over 9 days: under 14 days


def test_a_longer_run_keeps_its_flag_on_its_first_report():
    notes = ["الف", "ب", "ج"]
    reports = [
        R(i, D(2026, 5, 2) + dt.timedelta(days=2 * (i - 1)), 40, note=notes[i % 3])
        for i in range(1, 16)
    ]
    assert (
        kinds(patterns.flat_runs(reports[:10]))
        == kinds(patterns.flat_runs(reports))
        == [("flat", 1)]
    )


def test_repeated_corrections_downwards():
    reports = [
        R(1, D(2026, 5, 2), 30, superseded=True),
        R(2, D(2026, 5, 2), 20, corrects=1, corrects_percent=30),  # down: the first
        R(3, D(2026, 5, 5), 25, superseded=True),
        R(4, D(2026, 5, 5), 28, corrects=3, corrects_percent=25),  # up: not counted
        R(5, D(2026, 5, 9), 40, superseded=True),
        R(6, D(2026, 5, 9), 35, corrects=5, corrects_percent=40),  # down: the second
    ]
    found = patterns.downward_corrections(reports)
    assert kinds(found) == [("corrections", 6)]
    assert found[0].detail == {"from": 40, "to": 35, "count": 2}


def test_detect_looks_only_at_reports_up_to_the_as_of_date():
    reports = series(10, 20, 60)  # the jump is on 4 May
    assert patterns.detect(reports, as_of=D(2026, 5, 3)) == []
    assert kinds(patterns.detect(reports, as_of=D(2026, 5, 4))) == [("jump", 3)]
