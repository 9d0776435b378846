"""The unit registry (SPEC 6): one record per national id, the check digit, status with the day
it changed, the priority-sector flag, and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.units import services
from ronagh.units.models import IndustrialPark, ProductionUnit, StatusChange
from ronagh.units.services import UnitData

from .conftest import nid


def test_a_known_national_id_updates_its_unit_and_blank_fields_keep_their_values(org, make_unit):
    unit = make_unit(1, employees=120, manager="علی احمدی")
    services.save_unit(
        actor=org.dabir,
        province=org.province,
        data=UnitData(national_id=nid(1), employees="۸۰"),
    )
    unit.refresh_from_db()
    assert ProductionUnit.objects.count() == 1
    assert unit.employees == 80 and unit.manager == "علی احمدی" and unit.name == "واحد آزمایشی 1"


def test_an_invalid_national_id_is_refused_with_a_persian_message(org):
    with pytest.raises(ValidationError) as caught:
        services.save_unit(
            actor=org.dabir,
            province=org.province,
            data=UnitData(national_id="10380284791", name="واحد"),
        )
    assert "national_id" in caught.value.message_dict
    assert ProductionUnit.objects.count() == 0


def test_a_persian_digit_id_is_stored_latin(org):
    unit = services.save_unit(
        actor=org.dabir,
        province=org.province,
        data=UnitData(national_id="۱۰۳۸۰۲۸۴۷۹۰", name="واحد"),
    )
    assert unit.national_id == "10380284790"


def test_a_status_change_is_recorded_with_its_day(org, make_unit):
    unit = make_unit(2)
    services.set_status(actor=org.dabir, unit=unit, status="راکد", on=dt.date(2026, 8, 1))
    unit.refresh_from_db()
    assert unit.status == "idle" and unit.status_changed_on == dt.date(2026, 8, 1)
    assert list(StatusChange.objects.filter(unit=unit).values_list("status", flat=True)) == [
        "active",
        "idle",
    ]


def test_unknown_parks_are_created_once(org, make_unit):
    make_unit(3, park="ناحیه صنعتی کهک")
    make_unit(4, park="ناحيه صنعتي  كهك")  # ي/ك and spaces: the same park
    assert IndustrialPark.objects.filter(name="ناحیه صنعتی کهک").count() == 1


def test_printing_and_it_are_priority_sectors_and_the_list_is_the_secretariats(org, make_unit):
    printer = make_unit(5, isic="1811", sector="چاپ و نشر")
    bakery = make_unit(6, isic="1071", sector="صنایع غذایی")
    assert printer.priority and not bakery.priority
    services.set_priority_sectors(
        actor=org.dabir, province=org.province, entries=[("غذایی", "10", "")]
    )
    printer.refresh_from_db()
    bakery.refresh_from_db()
    assert bakery.priority and not printer.priority
    with pytest.raises(PermissionDenied):
        services.set_priority_sectors(actor=org.governor, province=org.province, entries=[])


@pytest.mark.parametrize("who", ["governor", "auditor", "industry_reporter", "tehran_dabir"])
def test_only_the_provinces_secretariat_registers_units(org, who):
    with pytest.raises(PermissionDenied):
        services.save_unit(
            actor=getattr(org, who),
            province=org.province,
            data=UnitData(national_id=nid(7), name="واحد"),
        )
    assert not ProductionUnit.objects.exists()


def test_the_system_user_cannot_sign_in_and_is_named_as_a_system(org):
    user = services.system_user(org.province)
    assert not user.has_usable_password()
    assert user.username == "ronagh-early-warning-qom" and user.role == "secretariat"
    assert services.system_user(org.province) == user
