"""Helpers for the obstacle tests: a small province with agencies, users, parks and units."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ronagh.core.models import County, User
from ronagh.obstacles import services
from ronagh.units.models import IndustrialPark, ProductionUnit
from tests.factories import AgencyFactory, UserFactory, manager, qom, reporter, secretariat

# A fixed "now": 1405/03/01 10:00 Tehran time.
DAY = dt.date(2026, 5, 22)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def org(db):
    province = qom()
    county = County.objects.create(province=province, name="قم")
    other_county = County.objects.create(province=province, name="جعفریه")
    bank = AgencyFactory(name="بانک ملی استان قم", kind="bank")
    tax = AgencyFactory(name="اداره کل امور مالیاتی استان قم", kind="tax")
    power = AgencyFactory(name="شرکت توزیع برق استان قم", kind="energy")
    park = IndustrialPark.objects.create(province=province, county=county, name="شهرک شکوهیه")
    unit = ProductionUnit.objects.create(
        province=province,
        name="صنایع غذایی نمونه",
        national_id="10100000001",
        sector="صنایع غذایی",
        county=county,
        park=park,
        employees=80,
    )
    return SimpleNamespace(
        province=province,
        county=county,
        other_county=other_county,
        bank=bank,
        tax=tax,
        power=power,
        park=park,
        unit=unit,
        dabir=secretariat(province=province),
        bank_reporter=reporter(bank),
        bank_manager=manager(bank),
        tax_reporter=reporter(tax),
        governor=UserFactory(role=User.Role.GOVERNOR, province=province),
        auditor=UserFactory(role=User.Role.AUDITOR, province=province),
    )


@pytest.fixture
def register(org):
    """register(**overrides) → an obstacle registered by the secretariat on DAY."""

    def make(**kw):
        fields = {
            "actor": org.dabir,
            "title": "امتناع بانک از پرداخت تسهیلات سرمایه در گردش",
            "description": "بانک با وجود مصوبه ستاد، وثیقه اضافی می‌خواهد.",
            "category": "banking",
            "severity": 3,
            "jobs_affected": 40,
            "amount": 25_000_000_000,
            "unit": org.unit,
            "at": at(DAY),
        }
        fields.update(kw)
        return services.register_obstacle(**fields)

    return make
