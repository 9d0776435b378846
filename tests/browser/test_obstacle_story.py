"""The secretariat registers an obstacle, the routing table sends it to a bank, the bank's
reporter answers and resolves it, and the analytics page counts it."""

import pytest

from ronagh.obstacles.models import Obstacle
from tests.browser.conftest import login
from tests.factories import AgencyFactory, reporter, secretariat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_obstacle_is_registered_routed_answered_resolved_and_counted(page, live_server):
    bank = AgencyFactory(name="مدیریت شعب بانک ملی استان قم", kind="bank")
    AgencyFactory(name="اداره کل امور مالیاتی استان قم", kind="tax")
    secretariat(username="dabir")
    reporter(bank, username="rabet-bank")

    # The secretariat sends banking obstacles to the bank.
    login(page, live_server, "dabir")
    page.goto(f"{live_server.url}/obstacles/routing/")
    page.select_option("#id_banking", label=bank.name)
    page.locator("form.routing-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    # … and registers one without naming an agency.
    page.goto(f"{live_server.url}/obstacles/new/")
    page.fill("#id_title", "امتناع بانک از پرداخت تسهیلات سرمایه در گردش")
    page.select_option("#id_category", "banking")
    page.select_option("#id_severity", "4")
    page.fill("#id_jobs_affected", "۳۵")
    page.fill("#id_amount", "۲۰۰۰۰۰۰۰۰۰۰")
    page.check("input[name=facing_kind][value=sector]")
    page.fill("#id_sector", "صنایع غذایی")
    page.locator("form.obstacle-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    obstacle = Obstacle.objects.get()
    assert page.url.endswith(f"/obstacles/{obstacle.pk}/")
    assert obstacle.status == "assigned" and obstacle.responsible_agency == bank
    assert bank.name in page.content()

    # The bank's reporter starts work on it, then resolves it.
    page.context.clear_cookies()  # signed out
    login(page, live_server, "rabet-bank")
    page.goto(f"{live_server.url}/obstacles/{obstacle.pk}/")
    page.locator("details[data-step=in_progress] summary").click()
    page.fill("#id_in_progress_comment", "پرونده در کمیته اعتباری مطرح شد.")
    page.locator("details[data-step=in_progress] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("details[data-step=resolved] summary").click()
    page.fill("#id_resolved_comment", "تسهیلات با نرخ مصوب پرداخت شد.")
    page.locator("details[data-step=resolved] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    obstacle.refresh_from_db()
    assert obstacle.status == "resolved"
    assert [t.to_status for t in obstacle.transitions.order_by("id")] == [
        "assigned",
        "in_progress",
        "resolved",
    ]
    assert "تسهیلات با نرخ مصوب پرداخت شد." in page.content()

    # The analytics page counts it: one banking obstacle, resolved, 35 jobs.
    page.context.clear_cookies()
    login(page, live_server, "dabir")
    page.goto(f"{live_server.url}/obstacles/analytics/")
    row = page.locator(".dimension-table tbody tr").first
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == "۱"  # obstacles
    assert cells.nth(3).inner_text() == "۱"  # resolved
    assert cells.nth(4).inner_text() == "۳۵"  # jobs affected
