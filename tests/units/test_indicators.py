"""Monthly indicators (SPEC 6): ranges, months, revisions that keep earlier values readable,
who may enter them, and the rescoring that opens a preventive case once per episode."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.obstacles.models import Obstacle
from ronagh.units import services
from ronagh.units.models import IndicatorRevision, PreventiveCase, RiskScore, UnitIndicator

from .conftest import DISTRESSED, HEALTHY, TODAY, month


def test_re_entering_a_month_keeps_the_earlier_values_as_a_revision(org, make_unit, enter):
    unit = make_unit(1)
    enter(unit, "1405/05", HEALTHY)
    enter(unit, "1405/05", {"utilisation": "۴۵٫۵", "bank_overdue": 2})
    row = UnitIndicator.objects.get(unit=unit)
    assert row.utilisation == 45.5 and row.bank_overdue == 2 and row.employees == 100
    assert row.revisions == 2
    (earlier,) = IndicatorRevision.objects.filter(unit=unit)
    assert earlier.number == 1 and earlier.utilisation == 80 and earlier.bank_overdue == 0
    assert earlier.entered_by == org.dabir


@pytest.mark.parametrize(
    "values, field",
    [
        ({"utilisation": 101}, "utilisation"),
        ({"employees": -1}, "employees"),
        ({"bank_overdue": 2.5}, "bank_overdue"),
        ({"sales": "بسیار"}, "sales"),
    ],
)
def test_values_out_of_range_are_refused_and_nothing_is_stored(
    org, make_unit, enter, values, field
):
    unit = make_unit(1)
    with pytest.raises(ValidationError) as caught:
        enter(unit, "1405/05", values)
    assert field in caught.value.message_dict
    assert not UnitIndicator.objects.exists() and not IndicatorRevision.objects.exists()


def test_a_month_that_has_not_begun_is_refused(org, make_unit, enter):
    with pytest.raises(ValidationError) as caught:
        enter(make_unit(1), "1405/09", HEALTHY)
    assert "month" in caught.value.message_dict


def test_the_responsible_agency_enters_and_another_agency_may_not(org, make_unit, enter):
    unit = make_unit(1)
    enter(unit, "1405/05", HEALTHY, actor=org.industry_reporter)
    with pytest.raises(PermissionDenied):
        enter(unit, "1405/06", HEALTHY, actor=org.bank_reporter)
    with pytest.raises(PermissionDenied):
        enter(unit, "1405/06", HEALTHY, actor=org.governor)
    assert UnitIndicator.objects.count() == 1


def test_high_risk_opens_one_routed_preventive_case_per_episode(org, make_unit, enter):
    unit = make_unit(1, employees=140)
    enter(unit, "1405/01", HEALTHY)
    enter(unit, "1405/02", DISTRESSED)
    enter(unit, "1405/03", DISTRESSED)  # still high: the same episode
    assert PreventiveCase.objects.count() == 1
    case = PreventiveCase.objects.get()
    obstacle = case.obstacle
    assert case.month == month("1405/02")
    assert obstacle.unit == unit and obstacle.status == "assigned"
    assert obstacle.category == "banking" and obstacle.responsible_agency == org.bank
    assert obstacle.registered_by.username == "ronagh-early-warning-qom"
    assert obstacle.jobs_affected == 60  # the headcount of the newest report

    enter(unit, "1405/04", HEALTHY)  # a full month below high …
    enter(unit, "1405/05", DISTRESSED)  # … then high again: a new episode
    assert PreventiveCase.objects.count() == 2
    assert Obstacle.objects.filter(unit=unit).count() == 2


def test_correcting_a_month_rescores_it_and_the_months_after(org, make_unit, enter):
    unit = make_unit(1)
    for m in ("1405/01", "1405/02", "1405/03", "1405/04"):
        enter(unit, m, HEALTHY)
    before = RiskScore.objects.get(unit=unit, month=month("1405/04"))
    assert before.contributions == []
    enter(unit, "1405/01", {"employees": 400})  # so staff fell 75 % from 1405/01 to 1405/04
    after = RiskScore.objects.get(unit=unit, month=month("1405/04"))
    assert [c["feature"] for c in after.contributions] == ["staff_fall_3"]
    assert after.score > before.score


def test_a_month_without_a_report_is_scored_as_missing_by_the_daily_job(org, make_unit, enter):
    unit = make_unit(1)
    enter(unit, "1405/06", HEALTHY)
    month_scored, result = services.score_due_month(today=TODAY)  # 1405/08/15: 1405/07 is due
    assert month_scored == month("1405/07")
    score = RiskScore.objects.get(unit=unit, month=month_scored)
    assert score.contributions[0]["feature"] == "missing_reports"
    again_month, again = services.score_due_month(today=TODAY)
    assert again.scores == 0
