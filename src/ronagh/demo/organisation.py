"""The demo province's organisation: Qom's counties, its agencies, the demo users and the
holidays of the plan year. Idempotent: what already exists is kept, so a rebuilt demo plan finds
the same agencies and users."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from ronagh.core.models import Agency, County, Province, User
from ronagh.core.services import add_user, create_agency, ensure_provinces, seed_holidays
from ronagh.lib.text import normalize

from . import data

DEMO_PASSWORD = "ronagh-1405"


@dataclass
class Organisation:
    province: Province
    agencies: dict[str, Agency]  # by code
    secretariat: User
    reporters: dict[str, User]  # agency code → its reporter
    users: list[User]  # the users printed at the end, in data.USERS order


def ensure_counties(province: Province) -> list[County]:
    # Counties have no service of their own yet (the secretariat keeps them in the admin).
    return [County.objects.get_or_create(province=province, name=name)[0] for name in data.COUNTIES]


def ensure_agencies(province: Province) -> dict[str, Agency]:
    """Every agency of data.AGENCIES, found by its normalised name or created by the service."""
    existing = {a.name_key: a for a in Agency.objects.filter(province=province)}
    agencies = {}
    for item in data.AGENCIES:
        agency = existing.get(normalize(item.name))
        if agency is None:
            agency = create_agency(
                province=province, name=item.name, kind=item.kind, code=item.code
            )
        agencies[item.code] = agency
    return agencies


def ensure_holidays(year: int) -> int:
    """The official holidays of the plan's Jalali year, solar and lunar, seeded from the
    `holidays` package as every year is (core.services.seed_holidays); returns how many were
    new."""
    return seed_holidays(year=year)


def ensure_users(province: Province, agencies: dict[str, Agency]) -> tuple[list[User], dict]:
    """The demo users of data.USERS and a reporter `rabet-<code>` for every other agency, all
    with DEMO_PASSWORD. Created through core.services.add_user; the password hash is computed once
    and shared, because hashing it forty times would cost more than the rest of the demo."""
    password = make_password(DEMO_PASSWORD)
    wanted = list(data.USERS)
    named = {u.username for u in data.USERS}
    for item in data.AGENCIES:
        username = f"rabet-{item.code}"
        if username not in named:
            wanted.append(data.UserText(username, "agency_reporter", item.code, "کارشناس", "رابط"))
    existing = {
        u.username: u for u in User.objects.filter(username__in=[w.username for w in wanted])
    }
    users, reporters = [], {}
    for item in wanted:
        user = existing.get(item.username)
        if user is None:
            user = add_user(
                username=item.username,
                role=item.role,
                password=None,
                agency=agencies[item.agency] if item.agency else None,
                province=None if item.role == User.Role.AUDITOR else province,
                first_name=item.first_name,
                last_name=item.last_name,
            )
        # The printed table must stay true: a password changed since the last run is reset.
        user.password = password
        user.save(update_fields=["password"])
        if item.username in named:
            users.append(user)
        if item.role == User.Role.AGENCY_REPORTER:
            reporters.setdefault(item.agency, user)
    return users, reporters


def ensure_organisation(year: int) -> Organisation:
    """Qom, its counties, agencies, demo users and the year's holidays."""
    ensure_provinces()
    province = Province.objects.get(code=data.PROVINCE_CODE)
    ensure_counties(province)
    agencies = ensure_agencies(province)
    ensure_holidays(year)
    users, reporters = ensure_users(province, agencies)
    secretariat = next(u for u in users if u.role == User.Role.SECRETARIAT)
    return Organisation(province, agencies, secretariat, reporters, users)
