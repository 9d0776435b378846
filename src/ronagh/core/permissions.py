"""The one ladder every permission in Ronagh is built on (SPEC 1, 10): role → province → agency.

Each app's `permissions.py` names its own `may_*` predicates in these words, and its services
call them and raise `PermissionDenied` through `require`; pages and the API ask the same
predicates only to decide which buttons and links to show. Nothing else in the code compares a
user's province or agency with an object's.

The ladder:
- a **superuser** may do anything anywhere;
- the **readers of everything** (governor, secretariat, auditor) read their province — every
  province when they have none (the national viewers);
- the **secretariat** changes things of its province (of any province when it has none);
- an **agency user** (manager or reporter) reads and changes only what belongs to its agency,
  inside its agency's province;
- governors and auditors change nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Role codes, as User.Role stores them; repeated here as plain strings so that this module does
# not import the models (it is imported by them).
GOVERNOR = "governor"
SECRETARIAT = "secretariat"
AGENCY_MANAGER = "agency_manager"
AGENCY_REPORTER = "agency_reporter"
AUDITOR = "auditor"
READERS_OF_EVERYTHING = frozenset({GOVERNOR, SECRETARIAT, AUDITOR})
AGENCY_ROLES = frozenset({AGENCY_MANAGER, AGENCY_REPORTER})


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_superuser(user) -> bool:
    return _signed_in(user) and bool(user.is_superuser)


def reads_everything(user) -> bool:
    """Governor, secretariat, auditor (and the superuser): they read whole provinces."""
    return _signed_in(user) and (user.is_superuser or user.role in READERS_OF_EVERYTHING)


def is_agency_user(user) -> bool:
    """A manager or reporter with an agency; an agency role without one is nobody."""
    return (
        _signed_in(user)
        and not user.is_superuser
        and user.role in AGENCY_ROLES
        and user.agency_id is not None
    )


def home_province_id(user) -> int | None:
    """The province a user belongs to: its agency's for an agency user, its own otherwise; None
    for a national user (and the superuser)."""
    if not _signed_in(user) or user.is_superuser:
        return None
    if user.agency_id is not None:
        return user.agency.province_id
    return user.province_id


def is_national(user) -> bool:
    """A reader of everything without a province: sees all 31 provinces side by side."""
    return reads_everything(user) and home_province_id(user) is None


def covers_province(user, province_id: int | None) -> bool:
    """Whether the user may read things of this province at all."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if not (reads_everything(user) or is_agency_user(user)):
        return False
    home = home_province_id(user)
    return home is None or home == province_id


def is_secretariat(user) -> bool:
    """The secretariat role (or the superuser), in whatever province."""
    return _signed_in(user) and (user.is_superuser or user.role == SECRETARIAT)


def is_secretariat_of(user, province_id: int | None) -> bool:
    """The secretariat of this province (a national secretariat and the superuser: of any)."""
    return is_secretariat(user) and covers_province(user, province_id)


def is_member_of(user, agency_id: int | None) -> bool:
    """A manager or reporter of this very agency."""
    return agency_id is not None and is_agency_user(user) and user.agency_id == agency_id


def is_manager_of(user, agency_id: int | None) -> bool:
    return is_member_of(user, agency_id) and user.role == AGENCY_MANAGER


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied with a Persian message unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def secretariat_refusal(user) -> str:
    """Why a secretariat-of-the-province rule refused this user: not the secretariat at all, or
    the secretariat of another province."""
    if not is_secretariat(user):
        return _("Only the secretariat may do this.")
    return _("This belongs to another province.")


def require_secretariat_of(user, province_id: int | None) -> None:
    """The most common rule: the secretariat of this province."""
    require(is_secretariat_of(user, province_id), secretariat_refusal(user))


# --- the organisation's own tables (kept on the app's pages, never in the Django admin) -------


def may_keep_holidays(user) -> bool:
    """The official holidays are the country's calendar, one table for every province (SPEC 3):
    any secretariat keeps it (a province's deployment has its own), and the superuser."""
    return is_secretariat(user)


def may_keep_counties(user, province_id: int | None) -> bool:
    """A province's counties: its secretariat."""
    return is_secretariat_of(user, province_id)


def may_manage_people(user, province_id: int | None) -> bool:
    """A province's users and their roles: its secretariat (never a superuser's account, never
    superuser or staff status — those are made on the server with `ronagh manage
    createsuperuser`)."""
    return is_secretariat_of(user, province_id)
