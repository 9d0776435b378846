"""A small province for the units tests: counties, a park, the responsible agency and another,
the routing table for the preventive cases, users of every kind, and helpers that write units
and indicators through the services."""

import datetime as dt
from types import SimpleNamespace

import pytest

from ronagh.core.models import County, Province, User
from ronagh.lib import jalali, national_id
from ronagh.obstacles import routing
from ronagh.units import services
from ronagh.units.models import IndustrialPark
from tests.factories import AgencyFactory, UserFactory, manager, qom, reporter, secretariat

TODAY = dt.date(2026, 11, 6)  # 1405/08/15


def nid(n: int) -> str:
    """A valid national id for test unit `n`."""
    return national_id.make(f"1038{n + 100000:06d}")


def month(text: str) -> dt.date:
    return jalali.parse_month(text)


@pytest.fixture
def org(db):
    province = qom()
    county = County.objects.create(province=province, name="قم")
    kahak = County.objects.create(province=province, name="کهک")
    park = IndustrialPark.objects.create(province=province, county=county, name="شهرک صنعتی شکوهیه")
    industry = AgencyFactory(name="سازمان صنعت، معدن و تجارت استان قم", kind="industry")
    bank = AgencyFactory(name="مدیریت شعب بانک ملی استان قم", kind="bank")
    tax = AgencyFactory(name="اداره کل امور مالیاتی استان قم", kind="tax")
    dabir = secretariat(province=province)
    for category, agency in (("banking", bank), ("tax", tax), ("market", industry)):
        routing.set_routing_rule(actor=dabir, province=province, category=category, agency=agency)
    tehran = Province.objects.get(code="tehran")
    return SimpleNamespace(
        province=province,
        county=county,
        kahak=kahak,
        park=park,
        industry=industry,
        bank=bank,
        tax=tax,
        dabir=dabir,
        industry_reporter=reporter(industry),
        industry_manager=manager(industry),
        bank_reporter=reporter(bank),
        governor=UserFactory(role=User.Role.GOVERNOR, province=province),
        auditor=UserFactory(role=User.Role.AUDITOR, province=province),
        tehran=tehran,
        tehran_dabir=secretariat(province=tehran),
    )


@pytest.fixture
def make_unit(org):
    """make_unit(n, **fields) → a unit registered by the secretariat (industry responsible)."""

    def make(n: int = 1, **kw):
        fields = {
            "name": f"واحد آزمایشی {n}",
            "sector": "صنایع غذایی",
            "isic": "1050",
            "county": org.county,
            "park": org.park.name,
            "employees": 100,
            "responsible_agency": org.industry,
        }
        fields.update(kw)
        return services.save_unit(
            actor=org.dabir,
            province=org.province,
            data=services.UnitData(national_id=nid(n), **fields),
            on=dt.date(2025, 3, 21),
        )

    return make


HEALTHY = {
    "employees": 100,
    "utilisation": 80,
    "sales": 5000,
    "energy": 300,
    "tax_overdue": 0,
    "insurance_overdue": 0,
    "bank_overdue": 0,
    "bounced_cheques": 0,
    "utility_cutoffs": 0,
}
DISTRESSED = {
    "employees": 60,
    "utilisation": 5,
    "sales": 500,
    "energy": 30,
    "tax_overdue": 8,
    "insurance_overdue": 8,
    "bank_overdue": 8,
    "bounced_cheques": 6,
    "utility_cutoffs": 3,
}


@pytest.fixture
def enter(org):
    """enter(unit, "1405/03", values, actor=…) → the stored indicator (rescored)."""

    def make(unit, month_text: str, values: dict, actor=None, **kw):
        return services.enter_indicator(
            actor=actor or org.dabir,
            unit=unit,
            month=month(month_text),
            values=values,
            today=TODAY,
            **kw,
        )

    return make
