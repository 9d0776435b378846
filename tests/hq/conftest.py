"""Helpers for the HQ tests: a small province with agencies, users, obstacles and a meeting.

Obstacles and units are written straight to their tables (their own services are another app's
business and are tested there); HQ records go through ronagh.hq.services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ronagh.core.models import Agency, User
from ronagh.hq import services
from ronagh.obstacles.models import Obstacle
from ronagh.units.models import ProductionUnit
from tests.factories import AgencyFactory, UserFactory, manager, qom, reporter, secretariat

D = dt.date
MEETING_DAY = D(2026, 5, 5)  # 1405/02/15
TODAY = D(2026, 7, 1)  # 1405/04/10
DUE = D(2026, 6, 1)

_ids = itertools.count(10_000_000_001)


def make_unit(name="کارخانه نمونه", employees=40, **kw) -> ProductionUnit:
    return ProductionUnit.objects.create(
        province=kw.pop("province", None) or qom(),
        name=name,
        national_id=str(next(_ids)),
        employees=employees,
        **kw,
    )


def make_obstacle(
    title="تأخیر در پرداخت تسهیلات",
    agency: Agency | None = None,
    status="assigned",
    unit: ProductionUnit | None = None,
    by: User | None = None,
    jobs=10,
    amount=1_000_000,
    category="banking",
    **kw,
) -> Obstacle:
    province = kw.pop("province", None) or qom()
    return Obstacle.objects.create(
        province=province,
        facing_kind="unit" if unit else "",
        unit=unit,
        category=category,
        title=title,
        severity=3,
        jobs_affected=jobs,
        amount=amount,
        responsible_agency=agency,
        status=status,
        assigned_on=D(2026, 4, 20) if agency else None,
        due_date=D(2026, 5, 4) if agency else None,
        registered_by=by or UserFactory(role=User.Role.SECRETARIAT),
        registered_on=D(2026, 4, 20),
        **kw,
    )


class World:
    """Qom with a bank, an industry organisation, their users, two obstacles and meeting 1."""

    def __init__(self):
        self.bank = AgencyFactory(name="بانک ملی استان قم", kind=Agency.Kind.BANK)
        self.industry = AgencyFactory(name="سازمان صنعت", kind=Agency.Kind.INDUSTRY)
        self.dabir = secretariat()
        self.governor = UserFactory(role=User.Role.GOVERNOR)
        self.auditor = UserFactory(role=User.Role.AUDITOR, province=None)
        self.bank_reporter = reporter(self.bank)
        self.bank_manager = manager(self.bank)
        self.industry_reporter = reporter(self.industry)
        self.unit = make_unit()
        self.obstacle = make_obstacle(agency=self.bank, unit=self.unit, by=self.dabir)
        self.other_obstacle = make_obstacle(
            title="قطع برق", agency=self.industry, category="energy", by=self.dabir
        )
        self.meeting = services.create_meeting(
            actor=self.dabir,
            province=qom(),
            date=MEETING_DAY,
            place="سالن جلسات استانداری",
            chair="استاندار",
            attendees="استاندار قم\nرئیس سازمان صنعت، معدن و تجارت",
            agencies=[self.bank, self.industry],
            obstacles=[self.obstacle, self.other_obstacle],
        )

    def resolution(self, text="بانک ملی تسهیلات را پرداخت کند.", obstacles=None, **kw):
        return services.add_resolution(
            actor=self.dabir,
            meeting=self.meeting,
            text=text,
            obstacles=[self.obstacle] if obstacles is None else obstacles,
            today=TODAY,
            **kw,
        )

    def clause(self, resolution=None, agency=None, due=DUE, **kw):
        kw.setdefault("party_kind", "agency")
        if kw["party_kind"] == "agency":
            kw.setdefault("agency", agency or self.bank)
        return services.add_clause(
            actor=self.dabir,
            resolution=resolution or self.resolution(),
            obligation=kw.pop("obligation", "پرداخت تسهیلات سرمایه در گردش"),
            due_date=due,
            **kw,
        )


@pytest.fixture
def world(db) -> World:
    return World()
