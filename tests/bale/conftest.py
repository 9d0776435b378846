import datetime as dt

import pytest
from django.utils import timezone

from ronagh.lib.jalali import current_year, year_bounds
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    communicated,
    manager,
    reporter,
)

from .fake_server import TOKEN, Server


@pytest.fixture
def bale(settings):
    """The fake Bale server, and the settings pointing at it."""
    with Server() as server:
        settings.RONAGH_BALE_API = server.url
        settings.RONAGH_BALE_TOKEN = TOKEN
        yield server.fake


@pytest.fixture
def world(db):
    """An agency with a reporter and a manager and two actions of this year's communicated plan,
    running today."""
    today = timezone.localdate()
    first, last = year_bounds(current_year(today))
    agency = AgencyFactory(name="سازمان صنعت، معدن و تجارت")
    plan = communicated(PlanFactory(year=current_year(today)), on=first)
    axis = AxisFactory(plan=plan, number=1)
    start = max(first, today - dt.timedelta(days=30))
    end = min(last, today + dt.timedelta(days=60))
    a1 = ActionFactory(
        axis=axis,
        code="A-01",
        title="توسعه شهرک صنعتی",
        lead_agency=agency,
        start=start,
        end=max(end, today),
    )
    a2 = ActionFactory(
        axis=axis,
        code="B-02",
        title="رفع موانع بانکی",
        lead_agency=agency,
        start=start,
        end=max(end, today),
    )
    user = reporter(agency, username="rabet", first_name="زهرا", last_name="صادقی")
    boss = manager(agency, username="modir", first_name="رضا", last_name="نوری")

    class World:
        pass

    w = World()
    w.today, w.agency, w.plan, w.a1, w.a2, w.user, w.manager = (
        today,
        agency,
        plan,
        a1,
        a2,
        user,
        boss,
    )
    return w
