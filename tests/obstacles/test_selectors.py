"""Who sees what, what is overdue, the scorecard's counts and the governor's summary."""

import datetime as dt

from ronagh.obstacles import selectors, services
from ronagh.obstacles.models import Obstacle

from .conftest import DAY, at


def score_counts(agency, as_of) -> tuple[int, int]:
    """obstacle_score_counts for one agency: (0, 0) when it has none due."""
    return selectors.obstacle_score_counts(agency_ids=[agency.id], as_of=as_of).get(
        agency.id, (0, 0)
    )


def move(actor, obstacle, to, day, **kw):
    return services.transition(
        actor=actor, obstacle=obstacle, to=to, at=at(day), comment=kw.pop("comment", "x"), **kw
    )


def test_agency_users_see_only_what_is_routed_to_them_or_they_registered(org, register):
    for_bank = register(responsible_agency=org.bank)
    for_tax = register(responsible_agency=org.tax)
    by_bank_for_tax = register(actor=org.bank_reporter, responsible_agency=org.tax)
    waiting = register()
    assert set(selectors.visible_obstacles(org.bank_manager)) == {for_bank, by_bank_for_tax}
    assert set(selectors.visible_obstacles(org.tax_reporter)) == {for_tax, by_bank_for_tax}
    for reader in (org.dabir, org.governor, org.auditor):
        assert set(selectors.visible_obstacles(reader)) == {
            for_bank,
            for_tax,
            by_bank_for_tax,
            waiting,
        }


def test_overdue_means_open_and_past_the_due_date(org, register):
    # severity 4: due DAY + 7
    late = register(responsible_agency=org.bank, severity=4)
    working = move(org.bank_reporter, register(responsible_agency=org.bank, severity=4),
                   "in_progress", DAY)  # fmt: skip
    resolved = move(org.bank_reporter, register(responsible_agency=org.bank, severity=4),
                    "resolved", DAY + dt.timedelta(days=1))  # fmt: skip
    register(severity=4)  # registered, no due date
    assert set(selectors.overdue_obstacles(today=DAY + dt.timedelta(days=7))) == set()
    assert set(selectors.overdue_obstacles(today=DAY + dt.timedelta(days=8))) == {late, working}
    assert resolved not in selectors.overdue_obstacles(today=DAY + dt.timedelta(days=30))


def test_obstacle_score_counts_by_hand(org, register):
    d = DAY
    # due d+7 each (severity 4), all for the bank
    on_time = move(org.bank_reporter, register(responsible_agency=org.bank, severity=4),
                   "resolved", d + dt.timedelta(days=7))  # fmt: skip
    late = move(org.bank_reporter, register(responsible_agency=org.bank, severity=4),
                "resolved", d + dt.timedelta(days=8))  # fmt: skip
    register(responsible_agency=org.bank, severity=4)  # still open, due d+7: counts as missed
    move(org.dabir, register(responsible_agency=org.bank, severity=4), "rejected", d)  # left out
    move(org.dabir, register(responsible_agency=org.bank, severity=4),
         "referred_national", d)  # fmt: skip
    register(responsible_agency=org.bank, severity=1)  # due d+60: not yet due
    register(responsible_agency=org.tax, severity=4)  # another agency
    assert on_time.resolved_on <= on_time.due_date < late.resolved_on

    assert score_counts(org.bank, d + dt.timedelta(days=6)) == (
        0,
        0,
    )
    assert score_counts(org.bank, d + dt.timedelta(days=7)) == (
        1,
        3,
    )
    assert score_counts(org.bank, d + dt.timedelta(days=60)) == (
        1,
        4,
    )


def test_a_rerouted_obstacle_counts_for_the_new_agency_with_its_new_due_date(org, register):
    obstacle = register(responsible_agency=org.bank, severity=4)
    move(org.dabir, obstacle, "assigned", DAY + dt.timedelta(days=2), agency=org.tax)
    as_of = DAY + dt.timedelta(days=8)
    assert score_counts(org.bank, as_of) == (0, 0)
    assert score_counts(org.tax, as_of) == (0, 0)  # due d+9
    assert score_counts(org.tax, as_of + dt.timedelta(1)) == (0, 1)


def test_open_obstacles_summary_by_hand(org, register):
    a = register(responsible_agency=org.bank, severity=4, jobs_affected=10, amount=100)
    b = register(responsible_agency=org.tax, severity=3, jobs_affected=5, amount=50)
    move(org.tax_reporter, b, "in_progress", DAY)
    register(severity=2, jobs_affected=1, amount=7)  # registered
    move(org.bank_reporter, register(responsible_agency=org.bank, jobs_affected=99, amount=999),
         "resolved", DAY)  # fmt: skip
    register(responsible_agency=org.bank, at=at(DAY + dt.timedelta(days=40)))  # after as_of

    as_of = DAY + dt.timedelta(days=20)  # a due d+7 (13 days over), b due d+14 (6 days over)
    summary = selectors.open_obstacles_summary(province=org.province, as_of=as_of)
    assert summary["open"] == 3
    assert summary["by_status"]["assigned"] == 1
    assert summary["by_status"]["in_progress"] == 1
    assert summary["by_status"]["registered"] == 1
    assert summary["by_status"]["resolved"] == 1
    assert summary["by_severity"] == {1: 0, 2: 1, 3: 1, 4: 1}
    assert summary["overdue"] == 2
    assert summary["jobs_affected"] == 16 and summary["amount"] == 157
    oldest = summary["oldest_overdue"]
    assert [(o["id"], o["days_overdue"]) for o in oldest] == [(a.id, 13), (b.id, 6)]
    assert oldest[0]["agency"] == org.bank.name


def test_analytics_records_carry_the_dimensions(org, register):
    register(responsible_agency=org.bank)
    record = selectors.analytics_records(Obstacle.objects.all())[0]
    assert record.agency == org.bank.name
    assert record.park == org.park.name  # through the unit
    assert record.sector == "صنایع غذایی" and record.county == org.county.name
