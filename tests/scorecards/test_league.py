"""The league table and the agency scorecard (SPEC 4.4) with all three components, computed by
hand, the obstacles component from real obstacles of the obstacles app."""

import datetime as dt

import pytest

from ronagh.obstacles.models import Obstacle, Status
from ronagh.plans.selectors import judged_plan
from ronagh.scorecards import selectors
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    qom,
    secretariat,
)

pytestmark = pytest.mark.django_db

D = dt.date
COMMUNICATED = D(2026, 5, 4)  # Monday
AS_OF = D(2026, 5, 14)  # Thursday: working days 4–7, 9–14 = 10 days


def obstacle(agency, *, due, resolved_on=None, status=None, title="مانع"):
    """An obstacle assigned to an agency, due on `due`, resolved on `resolved_on` (if given)."""
    return Obstacle.objects.create(
        province=qom(),
        category="tax",
        title=title,
        severity=2,
        responsible_agency=agency,
        status=status or (Status.RESOLVED if resolved_on else Status.ASSIGNED),
        assigned_on=due - dt.timedelta(days=30),
        due_date=due,
        resolved_on=resolved_on,
        registered_by=secretariat(),
        registered_on=due - dt.timedelta(days=30),
    )


@pytest.fixture
def world():
    """Three agencies, each leading one action of its own axis from 4 to 24 May (20 days), so
    on 14 May P = 50. Reports are daily on working days, every one counting for compliance:
      good:  reports every working day, reaching 50 → progress 100, compliance 100;
      mid:   reports on 5 of the 10 working days, reaching 40 → progress 80, compliance 50;
      poor:  one report (on the 4th) of 10 → progress 20, compliance 10."""
    plan = communicated(PlanFactory(), on=COMMUNICATED)
    good, mid, poor = (AgencyFactory(name=n) for n in ("الف خوب", "ب میانه", "ج ضعیف"))
    idle = AgencyFactory(name="د بی‌اقدام")
    acts = {}
    for number, g in enumerate((good, mid, poor), start=1):
        acts[g.id] = ActionFactory(
            axis=AxisFactory(plan=plan, number=number), lead_agency=g,
            start=COMMUNICATED, end=D(2026, 5, 24),
        )  # fmt: skip
    days = [D(2026, 5, d) for d in (4, 5, 6, 7, 9, 10, 11, 12, 13, 14)]
    for i, day in enumerate(days, start=1):
        add_report(acts[good.id], day, 5 * i)
    for i, day in enumerate(days[::2], start=1):
        add_report(acts[mid.id], day, 8 * i)
    add_report(acts[poor.id], days[0], 10)
    return {"plan": plan, "good": good, "mid": mid, "poor": poor, "idle": idle, "acts": acts}


def test_league_table_by_hand(world):
    # mid: 3 of 4 due by the date resolved on time → 75; one due later and one rejected count not
    for day in (1, 2, 3):
        obstacle(world["mid"], due=D(2026, 5, 10), resolved_on=D(2026, 5, day + 5))
    obstacle(world["mid"], due=D(2026, 5, 10), resolved_on=D(2026, 5, 12))  # late
    obstacle(world["mid"], due=D(2026, 6, 10))
    obstacle(world["mid"], due=D(2026, 5, 1), status=Status.REJECTED)
    rows = selectors.league_table(plan=world["plan"], as_of=AS_OF)

    def shown(x):
        return None if x is None else round(x, 2)

    got = [(r.agency.name, shown(r.progress), shown(r.compliance), shown(r.obstacles), r.score,
            r.grade, r.rank) for r in rows]  # fmt: skip
    assert got == [
        ("الف خوب", 100.0, 100.0, None, 100.0, "A", 1),
        # 0.6 · 80 + 0.25 · 50 + 0.15 · 75 = 48 + 12.5 + 11.25 = 71.75
        ("ب میانه", 80.0, 50.0, 75.0, 71.75, "C", 2),
        # (0.6 · 20 + 0.25 · 10) / 0.85 = 14.5 / 0.85 = 17.06
        ("ج ضعیف", 20.0, 10.0, None, 17.06, "D", 3),
        ("د بی‌اقدام", None, None, None, None, None, None),
    ]


def test_the_under_performing_agency_carries_its_evidence(world):
    overdue = obstacle(world["poor"], due=D(2026, 5, 11), title="وام سرمایه در گردش")
    card = selectors.agency_scorecard(agency=world["poor"], as_of=AS_OF)

    assert card.under_performing and card.rank == 3 and card.ranked_of == 3
    assert card.missed_reports == 9
    assert [(a, d) for a, d in card.missed_pairs][0] == (world["acts"][world["poor"].id], AS_OF)
    # G = 50 − 10 = 40 > 20: critical (not stalled: 14 days have not passed since the start).
    assert [a.code for a in card.critical_actions] == [world["acts"][world["poor"].id].code]
    assert card.critical_actions[0].figures.gap == 40.0
    assert card.stalled_actions == []
    assert card.overdue_obstacles == [overdue]
    # The overdue obstacle was due by the date and is not resolved: the component is 0.
    assert (card.obstacles_on_time, card.obstacles_due, card.obstacles) == (0, 1, 0.0)


def test_a_stalled_action_is_evidence(world):
    card = selectors.agency_scorecard(agency=world["poor"], as_of=D(2026, 5, 20))
    # No progress since 4 May, 16 days: stalled comes before critical in SPEC 4.3's rules.
    assert [a.pk for a in card.stalled_actions] == [world["acts"][world["poor"].id].pk]
    assert card.critical_actions == []


def test_without_an_obstacle_due_the_component_is_absent(world):
    obstacle(world["mid"], due=D(2026, 6, 10))  # not yet due
    card = selectors.agency_scorecard(agency=world["mid"], as_of=AS_OF)
    # (0.6 · 80 + 0.25 · 50) / 0.85 = 60.5 / 0.85 = 71.18
    assert (card.obstacles, card.score, card.grade) == (None, 71.18, "C")


def test_before_anything_is_due_no_one_is_ranked(world):
    rows = selectors.league_table(plan=world["plan"], as_of=D(2026, 5, 3))
    # Before anything is due or required no one has a score, and no one is ranked.
    assert {r.rank for r in rows} == {None}


def test_the_scorecard_plan_is_the_communicated_one_of_the_year(world):
    PlanFactory(year=1406)  # a draft of next year judges no one
    assert judged_plan(world["good"], AS_OF) == world["plan"]
    assert judged_plan(world["good"], D(2027, 6, 1)) == world["plan"]
