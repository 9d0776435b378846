"""The focal point's day on a 390×844 phone: log in → land on the report → filter → mark the
shown rows unchanged → submit while the connection drops and comes back → the dashboard's
coverage changes, and every report is stored once."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ronagh.lib.jalali import current_year, year_bounds
from ronagh.plans.models import ProgressReport
from tests.browser.conftest import login
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    add_report,
    communicated,
    reporter,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def coverage(page) -> str:
    text = page.locator(".kpi-card", has_text="پیشرفت واقعی").first.inner_text()
    return re.search(r"پوشش\s*([۰-۹]+)", text).group(1)


def test_a_focal_points_day_on_a_phone(page, live_server):
    today = timezone.localdate()
    first, last = year_bounds(current_year(today))
    agency = AgencyFactory(name="سازمان صنعت، معدن و تجارت استان قم")
    plan = communicated(PlanFactory(year=current_year(today)), on=first)
    axis = AxisFactory(plan=plan, number=1)
    start = max(first, today - dt.timedelta(days=40))
    lead = [
        ActionFactory(axis=axis, code=f"۱-{i}", lead_agency=agency, start=start, end=last)
        for i in (1, 2)
    ]
    partnered = ActionFactory(axis=axis, code="۲-۱", start=start, end=last)
    partnered.partners.add(agency)
    old = today - dt.timedelta(days=20)  # long before the reporting window: not covered
    for action, value in zip(lead, (30, 50), strict=True):
        add_report(action, old, value)
    reporter(agency, username="rabet")

    login(page, live_server, "rabet")
    assert page.url.endswith("/report/")  # the reporter lands on the daily report
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    before = coverage(page)
    page.goto(f"{live_server.url}/report/")

    # Filter: only the actions the agency leads (at once, no page load).
    page.click("label[for=report-lead]")
    assert page.locator("tr.report-row:visible").count() == 2
    assert "lead=1" in page.url

    # All shown unchanged, after one confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-all-unchanged]")
    assert page.locator("tr.report-row.table-success").count() == 2
    assert page.locator("[data-left-count]").inner_text() == "۱"  # the partner's row is left

    # The connection drops as the report is sent; the page retries with the same key.
    page.context.set_offline(True)
    page.click("#send-report")
    page.wait_for_selector("[data-submit-status]:not([hidden])")
    page.wait_for_timeout(1500)
    assert ProgressReport.objects.filter(date=today).count() == 0
    page.context.set_offline(False)
    page.wait_for_selector(".alert-success", timeout=20000)

    saved = ProgressReport.objects.filter(date=today)
    assert sorted((r.action_id, r.percent, r.unchanged) for r in saved) == [
        (lead[0].pk, 30, True),
        (lead[1].pk, 50, True),
    ]
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert coverage(page) != before


def test_changing_the_date_asks_before_typed_values_are_lost(page, live_server):
    today = timezone.localdate()
    first, last = year_bounds(current_year(today))
    agency = AgencyFactory()
    plan = communicated(PlanFactory(year=current_year(today)), on=first)
    action = ActionFactory(axis=AxisFactory(plan=plan), lead_agency=agency, start=first, end=last)
    reporter(agency, username="rabet2")
    login(page, live_server, "rabet2")
    field = page.locator(f"#id_a{action.pk}-percent")
    field.fill("۱۲")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.evaluate(
        "() => { const d = document.querySelector('[data-report-pick] input[name=date]');"
        " d.value = '1400/01/01'; d.dispatchEvent(new Event('change')); }"
    )
    page.wait_for_timeout(300)
    assert asked and field.input_value() == "۱۲"  # dismissed: nothing lost, the page stays
    assert page.locator("[data-report-pick] input[name=date]").input_value() != "1400/01/01"
