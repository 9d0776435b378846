"""Permit applications (SPEC 6): the documented competence score with its reasons — advice,
never a refusal — the officer's decision with its reason, delays past the legal deadline and
the one-click HQ obstacle, linked."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.core.errors import Conflict
from ronagh.units import services
from ronagh.units.competence import competence

FILED = dt.date(2026, 9, 1)


def test_the_competence_score_by_hand():
    c = competence(
        education="bachelor",  # 12
        experience_years=4,  # 2.5 × 4 = 10
        failed_units=1,  # 7
        own_capital=20_000,
        project_cost=100_000,  # 20 % of the cost: 30 × 0.2 / 0.5 = 12
        business_plan=False,  # 0
    )
    assert c.score == 41 and c.advice == "weak"
    # the weakest part first: capital misses 18 points, the plan and experience 15 each …
    assert [p.code for p in c.parts] == [
        "capital", "business_plan", "experience", "failures", "education",
    ]  # fmt: skip
    strong = competence(
        education="master", experience_years=12, failed_units=0, own_capital=60, project_cost=100,
        business_plan=True,
    )  # fmt: skip
    assert strong.score == 100 and strong.advice == "strong"


@pytest.fixture
def application(org):
    def make(**kw):
        fields = {
            "actor": org.dabir,
            "province": org.province,
            "applicant": "شرکت آریا",
            "planned_unit": "طرح تولید کاغذ",
            "manager": "رضا کریمی",
            "education": "none",
            "experience_years": 0,
            "failed_units": 3,
            "own_capital": 1_000,
            "project_cost": 100_000,
            "business_plan": False,
            "issuing_agency": org.industry,
            "filed_on": FILED,
        }
        fields.update(kw)
        return services.file_application(**fields)

    return make


def test_a_weak_file_stays_pending_until_the_officer_decides_with_a_reason(org, application):
    a = application()
    assert a.decision == "pending" and services.competence_of(a).advice == "weak"
    assert a.legal_deadline == FILED + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.decide(actor=org.industry_reporter, application=a, decision="refused", reason="")
    services.decide(
        actor=org.industry_reporter, application=a, decision="approved", reason="ضامن معتبر دارد.",
        on=dt.date(2026, 9, 20),
    )  # fmt: skip
    a.refresh_from_db()
    assert a.decision == "approved" and a.decided_by == org.industry_reporter
    assert a.decision_reason == "ضامن معتبر دارد."
    with pytest.raises(Conflict):
        services.decide(actor=org.dabir, application=a, decision="refused", reason="x")


def test_another_agency_may_not_decide(org, application):
    a = application()
    with pytest.raises(PermissionDenied):
        services.decide(actor=org.bank_reporter, application=a, decision="refused", reason="x")


def test_an_overdue_application_opens_one_linked_hq_obstacle(org, application):
    a = application()
    today = a.legal_deadline + dt.timedelta(days=12)
    assert a.days_late(today) == 12
    services.open_delay_obstacle(actor=org.dabir, application=a, today=today)
    a.refresh_from_db()
    obstacle = a.obstacle
    assert obstacle.category == "permits" and obstacle.responsible_agency == org.industry
    assert obstacle.status == "assigned" and "۱۲" in obstacle.description
    with pytest.raises(Conflict):
        services.open_delay_obstacle(actor=org.dabir, application=a, today=today)


def test_an_application_within_its_deadline_opens_no_obstacle(org, application):
    a = application()
    with pytest.raises(Conflict):
        services.open_delay_obstacle(actor=org.dabir, application=a, today=FILED)
    with pytest.raises(PermissionDenied):
        services.open_delay_obstacle(
            actor=org.industry_reporter, application=a, today=FILED + dt.timedelta(days=60)
        )


def test_a_filing_needs_a_unit_or_a_planned_one_and_a_positive_cost(org, application):
    with pytest.raises(ValidationError) as caught:
        application(planned_unit="", project_cost=0, education="phd")
    assert {"planned_unit", "project_cost", "education"} <= set(caught.value.message_dict)
