"""The pure analytics of obstacles against hand-computed figures, and their invariants."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ronagh.obstacles import analytics
from ronagh.obstacles.analytics import Record

D = dt.date(2026, 6, 1)


def rec(**kw):
    base = {
        "category": "banking",
        "status": "assigned",
        "severity": 2,
        "jobs": 0,
        "amount": 0,
        "registered_on": D,
    }
    base.update(kw)
    return Record(**base)


RECORDS = [
    # registered 40 days before D, resolved after 10 days, on time
    rec(status="resolved", registered_on=D - dt.timedelta(40), resolved_on=D - dt.timedelta(30),
        due_date=D - dt.timedelta(25), jobs=10, amount=1000, agency="بانک", park="شکوهیه",
        county="قم"),
    # registered 100 days before, resolved after 30 days, late
    rec(status="resolved", registered_on=D - dt.timedelta(100), resolved_on=D - dt.timedelta(70),
        due_date=D - dt.timedelta(80), jobs=5, amount=500, agency="بانک", county="قم"),
    # open, age 7, not overdue
    rec(status="assigned", registered_on=D - dt.timedelta(7), due_date=D, jobs=20, amount=2000,
        category="tax", agency="مالیات", park="شکوهیه", county="قم", bounces=2),
    # open, age 8, overdue
    rec(status="in_progress", registered_on=D - dt.timedelta(8), due_date=D - dt.timedelta(1),
        jobs=1, amount=10, category="tax", agency="مالیات", county="جعفریه"),
    # open, age 91, registered only
    rec(status="registered", registered_on=D - dt.timedelta(91), category="energy", jobs=3),
    # closed without resolution
    rec(status="rejected", registered_on=D - dt.timedelta(31), category="energy"),
]  # fmt: skip


def test_totals_by_hand():
    t = analytics.totals(RECORDS, D)
    assert (t.count, t.open, t.overdue, t.resolved) == (6, 3, 1, 2)
    assert (t.jobs, t.amount, t.bounces) == (39, 3510, 2)


def test_by_category_by_hand():
    groups = {g.key: g for g in analytics.by_dimension(RECORDS, "category", D)}
    assert [g.key for g in analytics.by_dimension(RECORDS, "category", D)] == [
        "banking",
        "energy",
        "tax",
    ]
    assert (groups["banking"].count, groups["banking"].jobs, groups["banking"].amount) == (
        2,
        15,
        1500,
    )
    assert groups["banking"].median_days_to_resolve == 20.0  # median of 10 and 30
    assert (groups["tax"].open, groups["tax"].overdue, groups["tax"].jobs) == (2, 1, 21)
    assert groups["energy"].median_days_to_resolve is None


def test_by_agency_park_and_county_keep_a_not_stated_group_last_among_equals():
    parks = analytics.by_dimension(RECORDS, "park", D)
    assert [(g.key, g.count) for g in parks] == [("", 4), ("شکوهیه", 2)]
    counties = {g.key: g.count for g in analytics.by_dimension(RECORDS, "county", D)}
    assert counties == {"قم": 3, "جعفریه": 1, "": 2}
    agencies = analytics.by_dimension(RECORDS, "agency", D)
    assert [(g.key, g.count) for g in agencies] == [("بانک", 2), ("مالیات", 2), ("", 2)]


def test_ageing_buckets_by_hand():
    # open ones: ages 7, 8, 91
    assert analytics.ageing(RECORDS, D) == {"0-7": 1, "8-30": 1, "31-90": 0, "90+": 1}


def test_median_days_to_resolve_by_hand():
    assert analytics.median_days_to_resolve(RECORDS) == 20.0
    three = [*RECORDS, rec(status="resolved", registered_on=D, resolved_on=D + dt.timedelta(2))]
    assert analytics.median_days_to_resolve(three) == 10.0
    assert analytics.median_days_to_resolve([]) is None


def test_resolved_on_time_by_hand():
    assert analytics.resolved_on_time(RECORDS) == (1, 2)


def test_monthly_by_hand():
    rows = analytics.monthly(RECORDS, lambda d: f"{d.year}-{d.month:02d}")
    assert sum(r[1] for r in rows) == 6 and sum(r[2] for r in rows) == 2
    assert rows == sorted(rows)


statuses = st.sampled_from(["registered", "assigned", "in_progress", "resolved", "rejected",
                            "referred_national"])  # fmt: skip
records = st.lists(
    st.builds(
        rec,
        status=statuses,
        category=st.sampled_from(["banking", "tax", "energy"]),
        county=st.sampled_from(["", "قم", "جعفریه"]),
        registered_on=st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 1)),
        jobs=st.integers(0, 1000),
        amount=st.integers(0, 10**12),
        due_date=st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 8, 1))),
    ),
    max_size=40,
)


@given(records, st.sampled_from(analytics.DIMENSIONS))
def test_groups_add_up_to_the_totals(records, dimension):
    t = analytics.totals(records, D)
    groups = analytics.by_dimension(records, dimension, D)
    for attr in ("count", "open", "overdue", "resolved", "jobs", "amount", "bounces"):
        assert sum(getattr(g, attr) for g in groups) == getattr(t, attr)


@given(records)
def test_every_open_obstacle_falls_in_exactly_one_bucket(records):
    buckets = analytics.ageing(records, D)
    assert sum(buckets.values()) == sum(1 for r in records if r.status in analytics.OPEN)


@given(records)
def test_overdue_ones_are_open(records):
    t = analytics.totals(records, D)
    assert 0 <= t.overdue <= t.open <= t.count
