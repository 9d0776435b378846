"""The HQ's execution rate (clauses done on time ÷ clauses due) against hand-computed examples, and
the properties it must always keep; and the escalation ladder's order."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ronagh.hq import ladder, rates
from ronagh.hq.rates import DONE, NOT_DONE, OPEN, ClauseInput

D = dt.date
AS_OF = D(2026, 6, 30)


def test_rate_counts_only_clauses_due_and_done_on_time():
    clauses = [
        ClauseInput(due=D(2026, 5, 1), status=DONE, done_on=D(2026, 4, 28)),  # on time
        ClauseInput(due=D(2026, 5, 10), status=DONE, done_on=D(2026, 5, 10)),  # on the day
        ClauseInput(due=D(2026, 5, 20), status=DONE, done_on=D(2026, 6, 2)),  # late
        ClauseInput(due=D(2026, 6, 1), status=NOT_DONE, not_done_on=D(2026, 6, 5)),
        ClauseInput(due=D(2026, 6, 15), status=OPEN),  # overdue
        ClauseInput(due=D(2026, 7, 15), status=DONE, done_on=D(2026, 6, 1)),  # not yet due
        ClauseInput(due=D(2026, 8, 1), status=OPEN),  # not yet due
    ]
    r = rates.execution_rate(clauses, AS_OF)
    assert (r.due, r.on_time, r.late, r.not_done, r.overdue, r.not_yet_due, r.total) == (
        5,
        2,
        1,
        1,
        1,
        2,
        7,
    )
    assert r.rate == 2 / 5
    assert r.percent == 40.0


def test_no_clause_due_gives_no_rate_rather_than_zero():
    r = rates.execution_rate([ClauseInput(due=D(2026, 8, 1))], AS_OF)
    assert r.rate is None and r.percent is None and r.not_yet_due == 1
    assert rates.execution_rate([], AS_OF).rate is None


def test_a_clause_due_today_and_open_is_due_but_not_yet_overdue():
    c = ClauseInput(due=AS_OF)
    r = rates.execution_rate([c], AS_OF)
    assert (r.due, r.on_time, r.overdue) == (1, 0, 0)
    assert not rates.is_overdue(c, AS_OF)
    assert rates.is_overdue(c, AS_OF + dt.timedelta(days=1))


def test_rate_as_of_an_earlier_day_ignores_what_happened_later():
    done_late = ClauseInput(due=D(2026, 5, 1), status=DONE, done_on=D(2026, 5, 20))
    declared = ClauseInput(due=D(2026, 5, 1), status=NOT_DONE, not_done_on=D(2026, 5, 25))
    r = rates.execution_rate([done_late, declared], D(2026, 5, 10))
    # On 10 Ordibehesht-ish both were simply open past their due date.
    assert (r.due, r.on_time, r.late, r.not_done, r.overdue) == (2, 0, 0, 0, 2)
    r = rates.execution_rate([done_late, declared], AS_OF)
    assert (r.late, r.not_done, r.overdue) == (1, 1, 0)


def test_rates_per_meeting_and_per_agency():
    items = [
        ("m1", ClauseInput(due=D(2026, 5, 1), status=DONE, done_on=D(2026, 5, 1))),
        ("m1", ClauseInput(due=D(2026, 5, 1))),
        ("m2", ClauseInput(due=D(2026, 6, 1), status=DONE, done_on=D(2026, 5, 30))),
        ("m2", ClauseInput(due=D(2026, 6, 2), status=DONE, done_on=D(2026, 6, 1))),
        ("m2", ClauseInput(due=D(2026, 6, 3), status=DONE, done_on=D(2026, 6, 20))),
        ("m2", ClauseInput(due=D(2026, 6, 4))),
    ]
    by = rates.rates_by(items, AS_OF)
    assert list(by) == ["m1", "m2"]
    assert by["m1"].rate == 0.5
    assert by["m2"].rate == 0.5 and by["m2"].late == 1


def test_rates_per_jalali_month_of_the_due_date():
    clauses = [
        # 1405/02/31 is 21 May 2026; 1405/03/01 is 22 May 2026.
        ClauseInput(due=D(2026, 5, 21), status=DONE, done_on=D(2026, 5, 21)),
        ClauseInput(due=D(2026, 5, 22), status=DONE, done_on=D(2026, 5, 21)),
        ClauseInput(due=D(2026, 5, 23)),
        ClauseInput(due=D(2026, 6, 25), status=DONE, done_on=D(2026, 6, 24)),
        ClauseInput(due=D(2026, 9, 1)),  # not yet due: no month
    ]
    by = rates.rates_by_month(clauses, AS_OF)
    assert list(by) == [(1405, 2), (1405, 3), (1405, 4)]
    assert by[(1405, 2)].rate == 1.0
    assert by[(1405, 3)].rate == 0.5  # 1 of 2 due in Khordad
    assert by[(1405, 4)].rate == 1.0


# --- properties ------------------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=200).map(lambda n: D(2026, 3, 21) + dt.timedelta(n))


@st.composite
def clauses(draw):
    due = draw(days)
    status = draw(st.sampled_from(rates.STATUSES))
    done_on = draw(days) if status == DONE else None
    not_done_on = draw(st.none() | days) if status == NOT_DONE else None
    return ClauseInput(due=due, status=status, done_on=done_on, not_done_on=not_done_on)


@given(st.lists(clauses(), max_size=30), days)
def test_rate_is_a_share_and_the_counts_add_up(items, d):
    r = rates.execution_rate(items, d)
    assert r.due + r.not_yet_due == r.total == len(items)
    assert r.on_time + r.late + r.not_done + r.overdue <= r.due
    if r.due:
        assert 0.0 <= r.rate <= 1.0
    else:
        assert r.rate is None


@given(st.lists(clauses(), max_size=30), days, days, st.integers(0, 60))
def test_a_clause_done_on_time_never_lowers_the_rate(items, d, due, early):
    before = rates.execution_rate(items, d).rate
    done = due - dt.timedelta(days=early)
    after = rates.execution_rate([*items, ClauseInput(due, DONE, done)], d).rate
    if before is not None:
        assert after is not None and after >= before


@given(st.lists(clauses(), min_size=1, max_size=30), days, st.data())
def test_doing_an_open_clause_on_time_never_lowers_the_rate(items, d, data):
    i = data.draw(st.integers(0, len(items) - 1))
    c = items[i]
    on_time = ClauseInput(c.due, DONE, c.due - dt.timedelta(days=data.draw(st.integers(0, 30))))
    before = rates.execution_rate(items, d).rate
    after = rates.execution_rate([*items[:i], on_time, *items[i + 1 :]], d).rate
    if before is not None:
        assert after >= before


@given(st.lists(clauses(), max_size=30), days)
def test_the_months_add_up_to_the_whole(items, d):
    whole = rates.execution_rate(items, d)
    months = rates.rates_by_month(items, d).values()
    assert sum(m.due for m in months) == whole.due
    assert sum(m.on_time for m in months) == whole.on_time


# --- the escalation ladder ------------------------------------------------------------------------


def test_the_ladder_starts_with_a_reminder():
    assert ladder.next_steps([], bank=False) == [ladder.REMINDER]
    assert not ladder.may_take(ladder.GOVERNOR_LETTER, [], bank=False)


def test_the_ladder_climbs_one_rung_at_a_time():
    taken = [ladder.REMINDER]
    assert ladder.next_steps(taken, bank=False) == [ladder.REMINDER, ladder.GOVERNOR_LETTER]
    assert not ladder.may_take(ladder.JUDICIAL_COMMITTEE, taken, bank=False)
    taken.append(ladder.GOVERNOR_LETTER)
    assert ladder.next_steps(taken, bank=False) == [ladder.JUDICIAL_COMMITTEE]
    assert not ladder.may_take(ladder.REMINDER, taken, bank=False)
    taken.append(ladder.JUDICIAL_COMMITTEE)
    assert ladder.next_steps(taken, bank=False) == [ladder.NATIONAL_HQ]
    taken.append(ladder.NATIONAL_HQ)
    assert ladder.next_steps(taken, bank=False) == []


def test_the_bank_rungs_are_only_for_a_bank():
    taken = [ladder.REMINDER, ladder.GOVERNOR_LETTER]
    assert ladder.next_steps(taken, bank=True) == [ladder.ARTICLE_62, ladder.JUDICIAL_COMMITTEE]
    taken.append(ladder.ARTICLE_62)
    assert ladder.next_steps(taken, bank=True) == [ladder.CENTRAL_BANK_BOARD, ladder.NATIONAL_HQ]
    assert ladder.next_steps(taken, bank=False) == [ladder.NATIONAL_HQ]
