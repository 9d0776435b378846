"""Writes on the organisation: agencies, counties, users and their roles, and the official
holidays. Each takes the `actor` and checks `core.permissions` itself; the app's pages (never
the Django admin, which is the superuser's alone), the CLI and the demo call these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ronagh.lib import jalali
from ronagh.lib.text import clean_name, normalize

from . import permissions
from .i18n import local_date
from .models import Agency, County, Holiday, Province, User


def find_agency(*, name_or_code: str, province: Province | None = None) -> Agency:
    """An agency by its code or by its name after normalisation; ValidationError naming the
    closest known names otherwise."""
    from .selectors import closest_agency_names

    qs = Agency.objects.all()
    if province is not None:
        qs = qs.filter(province=province)
    key = normalize(name_or_code)
    found = qs.filter(code=name_or_code.strip()).first() or qs.filter(name_key=key).first()
    if found:
        return found
    close = closest_agency_names(name_or_code, qs)
    hint = _(" Closest known names: %(names)s") % {"names": "، ".join(close)} if close else ""
    raise ValidationError(
        {"agency": _("No agency is called “%(name)s”.") % {"name": name_or_code} + hint}
    )


def ensure_provinces() -> None:
    """Iran's 31 provinces, as the data migration loads them; for a database emptied since
    (a flushed test database, a restore of an older backup)."""
    from .provinces import PROVINCES

    if Province.objects.count() < len(PROVINCES):
        for code, name in PROVINCES:
            Province.objects.get_or_create(code=code, defaults={"name": name})


@transaction.atomic
def create_agency(
    *, province: Province, name: str, kind: str = Agency.Kind.OTHER, code: str = ""
) -> Agency:
    """A new agency of a province; refused when its name (after normalisation) is taken."""
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("The agency needs a name.")})
    if Agency.objects.filter(province=province, name_key=normalize(name)).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    return Agency.objects.create(province=province, name=name, kind=kind, code=code)


@transaction.atomic
def add_user(
    *,
    username: str,
    role: str,
    password: str | None,
    agency: Agency | None = None,
    province: Province | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A user with one of SPEC 1's roles. Agency roles need an agency; the province follows the
    agency. Refuses a taken username."""
    if role not in User.Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”. Roles: %(roles)s")
                % {"role": role, "roles": ", ".join(User.Role.values)}
            }
        )
    if role in (User.Role.AGENCY_MANAGER, User.Role.AGENCY_REPORTER) and agency is None:
        raise ValidationError({"agency": _("An agency user needs an agency.")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The username “%(u)s” is taken.") % {"u": username}})
    if agency is not None:
        province = agency.province
    user = User(
        username=username,
        role=role,
        agency=agency,
        province=province,
        first_name=first_name,
        last_name=last_name,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = role == User.Role.SECRETARIAT
    user.full_clean(exclude=["password"])
    user.save()
    return user


AGENCY_ROLES = (User.Role.AGENCY_MANAGER, User.Role.AGENCY_REPORTER)


def _check_role_and_agency(role: str, agency: Agency | None, province: Province | None) -> dict:
    errors = {}
    if role not in User.Role.values:
        errors["role"] = _("Choose one of the roles.")
    elif role in AGENCY_ROLES and agency is None:
        errors["agency"] = _("An agency user needs an agency.")
    if agency is not None and province is not None and agency.province_id != province.pk:
        errors["agency"] = _("The agency is in another province.")
    return errors


@transaction.atomic
def create_person(
    *,
    actor: User,
    username: str,
    role: str,
    password: str,
    province: Province | None,
    agency: Agency | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """A new user of the actor's province (the secretariat of that province), with one of
    SPEC 1's roles. Never a superuser, never staff: the Django admin is the superuser's."""
    if agency is not None:
        province = agency.province
    permissions.require(
        permissions.may_manage_people(actor, province.pk if province else None),
        permissions.secretariat_refusal(actor),
    )
    errors = _check_role_and_agency(role, agency, province)
    username = (username or "").strip()
    if not username:
        errors["username"] = _("Give a username.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("The username “%(u)s” is taken.") % {"u": username}
    if not password or len(password) < 8:
        errors["password"] = _("The password needs at least 8 characters.")
    if errors:
        raise ValidationError(errors)
    user = add_user(
        username=username,
        role=role,
        password=password,
        agency=agency if role in AGENCY_ROLES else None,
        province=province,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.email, user.phone, user.is_staff = email.strip(), phone.strip(), False
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email", "phone", "is_staff"])
    return user


@transaction.atomic
def change_person(
    *,
    actor: User,
    person: User,
    role: str,
    agency: Agency | None,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    is_active: bool = True,
    password: str = "",
) -> User:
    """Change a user's role, agency, name, contact and whether they may sign in (a new password
    when one is given). The secretariat of the person's province; a superuser's account is left
    to the superuser, and nobody locks themselves out."""
    person = User.objects.select_for_update().get(pk=person.pk)
    permissions.require(
        not person.is_superuser and permissions.may_manage_people(actor, person.province_id),
        permissions.secretariat_refusal(actor),
    )
    errors = _check_role_and_agency(role, agency, person.province)
    if person.pk == actor.pk and (not is_active or role != person.role):
        errors["role"] = _("You cannot change your own role or lock yourself out.")
    if password and len(password) < 8:
        errors["password"] = _("The password needs at least 8 characters.")
    if errors:
        raise ValidationError(errors)
    person.role = role
    person.agency = agency if role in AGENCY_ROLES else None
    if person.agency is not None:
        person.province_id = person.agency.province_id
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.email, person.phone, person.is_active = email.strip(), phone.strip(), is_active
    if password:
        person.set_password(password)
    person.full_clean(exclude=["password"])
    person.save()
    return person


# --- counties ----------------------------------------------------------------------------------


@transaction.atomic
def add_county(*, actor: User, province: Province, name: str) -> County:
    """A county of the province (SPEC 1: kept by the secretariat); names are unique per province
    after ی/ک and space normalisation."""
    permissions.require(
        permissions.may_keep_counties(actor, province.pk), permissions.secretariat_refusal(actor)
    )
    name = clean_name(name or "")
    _check_county_name(province, name)
    return County.objects.create(province=province, name=name)


@transaction.atomic
def rename_county(*, actor: User, county: County, name: str) -> County:
    permissions.require(
        permissions.may_keep_counties(actor, county.province_id),
        permissions.secretariat_refusal(actor),
    )
    name = clean_name(name or "")
    _check_county_name(county.province, name, exclude=county.pk)
    county.name = name
    county.save(update_fields=["name"])
    return county


def _check_county_name(province: Province, name: str, exclude: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": _("Give the county's name.")})
    others = County.objects.filter(province=province).exclude(pk=exclude)
    if any(normalize(c.name) == normalize(name) for c in others):
        raise ValidationError({"name": _("The province already has a county of this name.")})


# --- holidays ----------------------------------------------------------------------------------


def _holiday_errors(day: dt.date | None, title: str, exclude: int | None = None) -> dict:
    errors = {}
    if day is None:
        errors["date"] = _("Give the holiday's date.")
    elif Holiday.objects.filter(date=day).exclude(pk=exclude).exists():
        errors["date"] = _("%(date)s is a holiday already.") % {"date": local_date(day)}
    if not (title or "").strip():
        errors["title"] = _("Give the holiday's name.")
    return errors


@transaction.atomic
def add_holiday(*, actor: User, date: dt.date | None, title: str) -> Holiday:
    """An official holiday the secretariat adds (confirmed, not estimated)."""
    permissions.require(
        permissions.may_keep_holidays(actor), _("Only the secretariat keeps the holidays.")
    )
    errors = _holiday_errors(date, title)
    if errors:
        raise ValidationError(errors)
    return Holiday.objects.create(date=date, title=clean_name(title))


@transaction.atomic
def change_holiday(*, actor: User, holiday: Holiday, date: dt.date | None, title: str) -> Holiday:
    """Correct a holiday's date or name — typically a lunar holiday once its date is announced:
    it is then no longer an estimate."""
    permissions.require(
        permissions.may_keep_holidays(actor), _("Only the secretariat keeps the holidays.")
    )
    errors = _holiday_errors(date, title, exclude=holiday.pk)
    if errors:
        raise ValidationError(errors)
    holiday.date, holiday.title, holiday.estimated = date, clean_name(title), False
    holiday.save(update_fields=["date", "title", "estimated"])
    return holiday


@transaction.atomic
def remove_holiday(*, actor: User, holiday: Holiday) -> None:
    """A day that turned out not to be a holiday (an estimate that was wrong)."""
    permissions.require(
        permissions.may_keep_holidays(actor), _("Only the secretariat keeps the holidays.")
    )
    holiday.delete()


def seed_holidays(*, year: int, actor: User | None = None) -> int:
    """The official holidays of Jalali `year` from the `holidays` package, solar and lunar (the
    lunar ones marked estimated), added where the table has no holiday on that date; what the
    secretariat entered or corrected is never overwritten: a year that has any holiday already
    is left alone, so a corrected lunar holiday is never put back on its estimated day. Returns
    how many were added. `actor` None: the system (the demo)."""
    from .holidays import official_holidays

    if actor is not None:
        permissions.require(
            permissions.may_keep_holidays(actor), _("Only the secretariat keeps the holidays.")
        )
    first, last = jalali.year_bounds(year)
    if Holiday.objects.filter(date__gte=first, date__lte=last).exists():
        return 0
    added = 0
    for h in official_holidays(year):
        try:
            with transaction.atomic():
                Holiday.objects.create(
                    date=h.date, title=h.title, lunar=h.lunar, estimated=h.estimated
                )
        except IntegrityError:
            continue
        added += 1
    return added
