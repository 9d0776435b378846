"""The secretariat keeps holidays (Jalali), counties, users and roles on the app's pages, through
services that check the actor themselves and stay inside its province; each year's holidays are
seeded from the `holidays` package, solar and lunar (SPEC 3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.core import services
from ronagh.core.holidays import official_holidays
from ronagh.core.models import County, Holiday, Province, User
from ronagh.lib import jalali
from ronagh.lib.digits import to_persian
from tests.factories import AgencyFactory, UserFactory, qom, reporter, secretariat

pytestmark = pytest.mark.django_db


def test_seeding_a_year_brings_solar_and_lunar_holidays_the_lunar_estimated():
    added = services.seed_holidays(year=1406)
    first, last = jalali.year_bounds(1406)
    days = Holiday.objects.filter(date__gte=first, date__lte=last)
    assert added == days.count() > 15
    nowruz = days.get(date=jalali.parse("1406/01/01"))
    assert not nowruz.lunar and "نوروز" in nowruz.title
    lunar = days.filter(lunar=True)
    assert lunar.exists() and any("عاشورا" in h.title for h in lunar)  # Ashura, a lunar day
    assert lunar.filter(estimated=True).exists()
    assert not days.filter(lunar=False, estimated=True).exists()
    assert all("تخمینی" not in h.title for h in days)  # the estimate is a flag, not a word


def test_a_seeded_year_is_not_seeded_again_over_the_secretariats_corrections():
    services.seed_holidays(year=1405)
    sec = secretariat()
    ashura = next(h for h in Holiday.objects.filter(lunar=True) if "عاشورا" in h.title)
    moved = ashura.date + dt.timedelta(days=1)
    services.change_holiday(actor=sec, holiday=ashura, date=moved, title=ashura.title)
    assert services.seed_holidays(year=1405) == 0
    ashura.refresh_from_db()
    assert ashura.date == moved and not ashura.estimated


def test_the_library_speaks_persian_for_every_day_of_the_year():
    for h in official_holidays(1405):
        assert h.title and jalali.to_jalali(h.date).year == 1405


def test_the_holidays_page_is_jalali_and_persian(client):
    services.seed_holidays(year=1405)
    client.force_login(secretariat())
    page = client.get("/organisation/holidays/?year=۱۴۰۵").content.decode()
    assert "۱ فروردین ۱۴۰۵" in page
    assert "تخمینی" in page  # the estimated lunar dates are marked
    response = client.post(
        "/organisation/holidays/?year=1405", {"date": "۱۴۰۵/۰۲/۲۰", "title": "تعطیلی اضطراری"}
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date=jalali.parse("1405/02/20")).title == "تعطیلی اضطراری"
    again = client.post("/organisation/holidays/?year=1405", {"date": "1405/02/20", "title": "x"})
    assert again.status_code == 200 and "تعطیل" in again.content.decode()  # refused, Persian


def test_only_the_secretariat_keeps_holidays(client):
    agency = AgencyFactory()
    for user in (reporter(agency), UserFactory(role=User.Role.GOVERNOR)):
        client.force_login(user)
        assert client.get("/organisation/holidays/").status_code == 403
        with pytest.raises(PermissionDenied):
            services.add_holiday(actor=user, date=dt.date(2026, 5, 1), title="x")
    assert not Holiday.objects.exists()


def test_counties_are_kept_in_the_secretariats_own_province(client):
    sec = secretariat()
    client.force_login(sec)
    assert client.post("/organisation/counties/", {"name": "كهك"}).status_code == 302
    county = County.objects.get(province=qom(), name="کهک")  # stored with ی/ک
    with pytest.raises(ValidationError):
        services.add_county(actor=sec, province=qom(), name="کهک ")
    tehran = Province.objects.get(code="tehran")
    with pytest.raises(PermissionDenied):
        services.add_county(actor=sec, province=tehran, name="ری")
    services.rename_county(actor=sec, county=county, name="کهک قم")
    assert County.objects.get(pk=county.pk).name == "کهک قم"


def test_the_secretariat_adds_and_changes_its_provinces_people(client):
    sec = secretariat()
    agency = AgencyFactory(name="اداره کل امور مالیاتی استان قم")
    client.force_login(sec)
    form = {"username": "rabet-maliat", "role": "agency_reporter", "agency": agency.pk,
            "password": "long-enough-1", "first_name": "مریم", "last_name": "", "email": "",
            "phone": "", "is_active": "on"}  # fmt: skip
    assert client.post("/organisation/people/new/", form).status_code == 302
    person = User.objects.get(username="rabet-maliat")
    assert person.agency == agency and person.province == agency.province
    assert not person.is_staff and not person.is_superuser
    form |= {"role": "agency_manager", "password": ""}
    client.post(f"/organisation/people/{person.pk}/", form)
    person.refresh_from_db()
    assert person.role == "agency_manager" and person.check_password("long-enough-1")
    page = client.get("/organisation/people/").content.decode()
    assert "rabet-maliat" in page


def test_people_of_another_province_and_superusers_are_out_of_reach(client):
    sec = secretariat()
    tehran = Province.objects.get(code="tehran")
    other = UserFactory(role=User.Role.GOVERNOR, province=tehran, username="ostandar-tehran")
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(sec)
    assert client.get(f"/organisation/people/{other.pk}/").status_code == 404
    assert client.get(f"/organisation/people/{root.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.change_person(
            actor=sec, person=other, role="auditor", agency=None, first_name="", last_name=""
        )
    with pytest.raises(ValidationError):
        services.change_person(
            actor=sec, person=sec, role="auditor", agency=None, first_name="", last_name=""
        )  # nobody changes their own role
    page = client.get("/organisation/people/").content.decode()
    assert "ostandar-tehran" not in page and "root" not in page


def test_the_demo_year_has_its_holidays_lunar_ones_included():
    from ronagh.demo.organisation import ensure_holidays

    ensure_holidays(1405)
    first, last = jalali.year_bounds(1405)
    assert Holiday.objects.filter(date__gte=first, date__lte=last, lunar=True).exists()


# --- the quick search ---------------------------------------------------------------------------


def test_the_quick_search_finds_actions_agencies_and_obstacles_by_code_or_persian_text(client):
    from ronagh.obstacles.models import Obstacle
    from tests.factories import ActionFactory

    industry = AgencyFactory(name="سازمان صنعت، معدن و تجارت استان قم", code="sanat")
    action = ActionFactory(code="14-06", title="ساماندهی شهرک‌های صنعتی", lead_agency=industry)
    sec = secretariat()
    obstacle = Obstacle.objects.create(
        province=qom(), category="banking", title="امتناع بانک از تمدید تسهیلات", severity=3,
        registered_by=sec, registered_on=dt.date(2026, 5, 1),
    )  # fmt: skip
    client.force_login(sec)
    for query, expected in [
        ("۱۴-۰۶", action.title),  # a code in Persian digits
        ("شهرک هاي", action.title),  # Arabic yeh, a space for the ZWNJ
        ("صنعت معدن", industry.name),
        ("sanat", industry.name),
        ("تسهيلات", obstacle.title),  # Arabic yeh again
        (to_persian(str(obstacle.pk)), obstacle.title),
    ]:
        page = client.get("/search/", {"q": query}).content.decode()
        assert expected in page, query


def test_an_agency_user_finds_only_what_it_may_see(client):
    from tests.factories import ActionFactory, AxisFactory

    mine, other = AgencyFactory(name="اداره کل امور مالیاتی"), AgencyFactory(name="اداره کل گمرک")
    axis = AxisFactory()
    ActionFactory(axis=axis, code="T-1", title="استرداد مالیات", lead_agency=mine)
    ActionFactory(axis=axis, code="G-1", title="ترخیص کالا", lead_agency=other)
    client.force_login(reporter(mine))
    page = client.get("/search/", {"q": "اداره کل"}).content.decode()
    assert "اداره کل امور مالیاتی" in page and "اداره کل گمرک" not in page
    assert "ترخیص کالا" not in client.get("/search/", {"q": "ترخیص"}).content.decode()


def test_the_quick_search_finds_production_units_by_name_or_national_id(client):
    from ronagh.lib import national_id
    from ronagh.lib.digits import to_persian as fa
    from ronagh.units.services.registry import UnitData, save_unit

    nid = national_id.make("1010012345")
    sec = secretariat()
    unit = save_unit(
        actor=sec,
        province=qom(),
        data=UnitData(national_id=nid, name="صنایع غذایی نمونه", sector="غذایی"),
    )
    client.force_login(sec)
    for query in ("صنايع غذايي", fa(nid)):
        page = client.get("/search/", {"q": query}).content.decode()
        assert unit.name in page and f"/units/{unit.pk}/" in page, query
