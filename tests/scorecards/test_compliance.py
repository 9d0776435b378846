"""SPEC 4.3 reporting compliance against a hand-counted calendar: Fridays and holidays skipped,
done actions stop requiring reports, only the agency's own reports count."""

import datetime as dt

import pytest

from ronagh.core.models import Holiday
from ronagh.plans.models import ProgressReport
from ronagh.scorecards import compliance, selectors
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
)

pytestmark = pytest.mark.django_db

D = dt.date


def MAY(day: int) -> dt.date:
    """A day of May 2026: the 4th is a Monday, the 8th a Friday."""
    return D(2026, 5, day)


@pytest.fixture
def world():
    """Communicated on Monday 4 May; Wednesday 6 May a holiday. As of Tuesday 12 May the working
    days are 4, 5, 7, 9, 10, 11 and 12 May (seven).

    a1 runs all month: required on all seven days, reported on 4, 5, 9 and 12 (the reports on
    the holiday, on Friday and before communication do not count, nor the partner's on the 7th).
    a2 is done on 10 May: required on 4, 5, 7 and 9 only, reported on 4 and 7.
    a3 runs on 11 May only, unreported.
    Required 7 + 4 + 1 = 12, reported 4 + 2 + 0 = 6: compliance 50 %."""
    Holiday.objects.create(date=MAY(6), title="تعطیل رسمی")
    plan = communicated(PlanFactory(), on=MAY(4))
    axis = AxisFactory(plan=plan)
    g, partner = AgencyFactory(), AgencyFactory()
    a1 = ActionFactory(axis=axis, lead_agency=g, start=MAY(2), end=MAY(31))
    a1.partners.add(partner)
    a2 = ActionFactory(axis=axis, lead_agency=g, start=MAY(2), end=MAY(31))
    a3 = ActionFactory(axis=axis, lead_agency=g, start=MAY(11), end=MAY(11))
    for day, pct in [(3, 1), (4, 2), (5, 3), (6, 4), (8, 5), (9, 6), (12, 7)]:
        add_report(a1, MAY(day), pct)
    ProgressReport.objects.create(
        action=a1, agency=partner, date=MAY(7), percent=4, entered_by=UserFactory()
    )
    for day, pct in [(4, 20), (7, 50), (10, 100)]:
        add_report(a2, MAY(day), pct)
    return {"plan": plan, "g": g, "a1": a1, "a2": a2, "a3": a3}


def test_compliance_by_hand(world):
    assert compliance.compliance(agency=world["g"], start=MAY(4), end=MAY(12)) == 50.0


def test_the_scorecard_counts_from_communication(world):
    card = selectors.agency_scorecard(agency=world["g"], as_of=MAY(12))
    assert (card.required_reports, card.reported_reports, card.missed_reports) == (12, 6, 6)
    assert card.compliance == 50.0


def test_per_action_breakdown(world):
    rows = compliance.compliance_by_action(agency=world["g"], start=MAY(4), end=MAY(12))
    got = {r.action.pk: (r.required, r.reported, r.last_missed) for r in rows}
    assert got == {
        world["a1"].pk: (7, 4, MAY(11)),
        world["a2"].pk: (4, 2, MAY(9)),
        world["a3"].pk: (1, 0, MAY(11)),
    }
    assert rows[0].action == world["a3"]  # the worst first


def test_per_day_breakdown(world):
    days = compliance.compliance_by_day(agency=world["g"], start=MAY(4), end=MAY(12))
    assert [(d.day.day, d.required, d.reported) for d in days] == [
        (4, 2, 2), (5, 2, 1), (7, 2, 1), (9, 2, 1), (10, 1, 0), (11, 2, 0), (12, 1, 1),
    ]  # fmt: skip


def test_a_thursday_weekend_takes_thursday_out(world, settings):
    settings.RONAGH = {**settings.RONAGH, "THURSDAY_IS_WEEKEND": True}
    tally = compliance.compliance_tally(agency=world["g"], start=MAY(4), end=MAY(12))
    # 7 May goes: a1 loses a required (unreported) day, a2 a required and reported one.
    assert (tally.required, tally.reported) == (10, 5)


def test_a_draft_plan_requires_nothing():
    g = AgencyFactory()
    ActionFactory(axis=AxisFactory(plan=PlanFactory()), lead_agency=g, start=MAY(2), end=MAY(31))
    assert compliance.compliance(agency=g, start=MAY(4), end=MAY(12)) is None


def test_another_agencys_actions_do_not_count(world):
    other = AgencyFactory()
    ActionFactory(
        axis=AxisFactory(plan=world["plan"]), lead_agency=other, start=MAY(2), end=MAY(31)
    )
    assert compliance.compliance(agency=world["g"], start=MAY(4), end=MAY(12)) == 50.0
    assert compliance.compliance(agency=other, start=MAY(4), end=MAY(12)) == 0.0
