"""A reporter logs in on a phone, sends today's report, and the dashboard's figure changes."""

import datetime as dt

import pytest
from django.utils import timezone

from ronagh.lib.jalali import current_year, year_bounds
from tests.browser.conftest import login
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    reporter,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reporter_sends_todays_report_and_the_dashboard_changes(page, live_server):
    today = timezone.localdate()
    first, last = year_bounds(current_year(today))
    agency = AgencyFactory(name="سازمان صنعت، معدن و تجارت استان قم")
    plan = communicated(PlanFactory(year=current_year(today)), on=first)
    action = ActionFactory(
        axis=AxisFactory(plan=plan, number=1),
        lead_agency=agency,
        start=max(first, today - dt.timedelta(days=20)),
        end=last,
    )
    user = reporter(agency, username="rabet")

    login(page, live_server, "rabet")
    page.goto(f"{live_server.url}/report/")
    row = page.locator(".report-row", has_text=action.code).first
    row.locator("input[data-percent]").fill("۳۷٫۵")
    page.click("#send-report")
    page.wait_for_load_state("networkidle")

    assert action.reports.get().percent == 37.5
    assert action.reports.get().entered_by == user

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert "۳۷٫۵" in page.content()  # the plan's actual progress: its only action's report
