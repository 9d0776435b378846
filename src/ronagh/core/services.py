"""Writes on the organisation: agencies and users."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.lib.text import clean_name, normalize

from .models import Agency, Province, User


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
