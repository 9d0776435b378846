"""The secretariat opens the governor's units view, finds a unit at high risk, opens it, reads
why — the bins that scored most, in Persian — and finds the preventive case that was opened
and routed for it."""

import datetime as dt

import pytest

from ronagh.core.models import County
from ronagh.lib import jalali
from ronagh.obstacles import routing
from ronagh.units import services
from ronagh.units.models import IndustrialPark, PreventiveCase
from tests.browser.conftest import login
from tests.factories import AgencyFactory, qom, secretariat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_secretariat_sees_why_a_unit_is_at_risk_and_its_preventive_case(page, live_server):
    province = qom()
    county = County.objects.create(province=province, name="قم")
    park = IndustrialPark.objects.create(province=province, county=county, name="شهرک صنعتی شکوهیه")
    bank = AgencyFactory(name="مدیریت شعب بانک ملی استان قم", kind="bank")
    dabir = secretariat(username="dabir", province=province)
    routing.set_routing_rule(actor=dabir, province=province, category="banking", agency=bank)
    unit = services.save_unit(
        actor=dabir,
        province=province,
        data=services.UnitData(
            national_id="10380284790", name="چاپ و بسته‌بندی آریا", sector="چاپ و نشر",
            isic="1811", county=county, park=park.name, employees=120,
        ),
    )  # fmt: skip
    last = jalali.add_months(dt.date.today(), -1)
    healthy = {"employees": 120, "utilisation": 85, "bank_overdue": 0, "tax_overdue": 0}
    distressed = {"employees": 70, "utilisation": 8, "bank_overdue": 7, "insurance_overdue": 6,
                  "tax_overdue": 5, "bounced_cheques": 5, "utility_cutoffs": 2}  # fmt: skip
    services.enter_indicator(
        actor=dabir, unit=unit, month=jalali.add_months(last, -1), values=healthy
    )
    services.enter_indicator(actor=dabir, unit=unit, month=last, values=distressed)
    case = PreventiveCase.objects.get(unit=unit)

    login(page, live_server, "dabir")
    page.goto(f"{live_server.url}/units/governor/")
    assert "مشاغل در معرض خطر" in page.content()
    page.locator("table.at-risk-table a", has_text="چاپ و بسته‌بندی آریا").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/units/{unit.pk}/")
    reasons = page.locator("ul.risk-reasons li")
    assert reasons.count() >= 3
    assert "معوقه اقساط بانکی" in reasons.first.inner_text()
    assert page.locator(".risk-badge.risk-high").count() >= 1
    assert page.locator("[data-chart=chart-risk] svg").count() == 1  # the chart was drawn

    page.locator(".preventive-cases a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/obstacles/{case.obstacle_id}/")
    body = page.content()
    assert "چاپ و بسته‌بندی آریا" in body and bank.name in body
    assert "سامانه هشدار زودهنگام" in body
