"""What a user may see (SPEC 1, 10), in one place.

`scope_of(user)` turns a user into a `Scope`; `scoped(queryset, user, province=…, agency=…)`
applies it to any queryset given only the field paths that lead from that model to its province
and to the agency (or agencies) it belongs to. Each app's `visible_*` selector is one call to
`scoped` naming its own paths; no view or endpoint filters by a user's province or agency itself.

The ladder is `core.permissions`': the superuser and the national readers see every province;
the governor, the secretariat and the auditor see their province whole; an agency user sees, in
its province, what belongs to its agency — or, for records that belong to no agency (a plan, an
agency list), what the selector says agency users may see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from . import permissions

ALL, PROVINCE, AGENCY, NOTHING = "all", "province", "agency", "nothing"


@dataclass(frozen=True)
class Scope:
    """`kind` is all (every province), province (one province whole), agency (one agency in its
    province) or nothing (not signed in, or a role with no agency)."""

    kind: str
    province_id: int | None = None
    agency_id: int | None = None

    @property
    def whole_province(self) -> bool:
        return self.kind in (ALL, PROVINCE)


def scope_of(user) -> Scope:
    if permissions.is_superuser(user):
        return Scope(ALL)
    if permissions.reads_everything(user):
        province_id = permissions.home_province_id(user)
        return Scope(PROVINCE, province_id) if province_id else Scope(ALL)
    if permissions.is_agency_user(user):
        return Scope(AGENCY, permissions.home_province_id(user), user.agency_id)
    return Scope(NOTHING)


AgencyPaths = str | Sequence[str] | Callable[[int], Q] | None

# For `agency=`: agency users see nothing of this model (e.g. the suspicious-pattern flags).
HIDDEN_FROM_AGENCIES = "__hidden__"


def _agency_q(paths: AgencyPaths, agency_id: int) -> Q:
    if callable(paths):
        return paths(agency_id)
    if isinstance(paths, str):
        paths = (paths,)
    q = Q()
    for path in paths:
        q |= Q(**{path: agency_id})
    return q


def scoped(
    qs: QuerySet, user, *, province: str | None, agency: AgencyPaths = HIDDEN_FROM_AGENCIES
) -> QuerySet:
    """`qs` narrowed to what `user` may see.

    `province`: the path to the province id (e.g. "plan__province"; None for a model that has no
    province, which only the superuser and the national readers then see whole).
    `agency`: the path (or paths, any of which may match, or a function of the agency id giving a
    Q) from the model to the agency it belongs to; None when agency users see everything of their
    province in this model; HIDDEN_FROM_AGENCIES (the default) when they see none of it."""
    scope = scope_of(user)
    if scope.kind == ALL:
        return qs
    if scope.kind == NOTHING:
        return qs.none()
    if province is not None:
        qs = qs.filter(**{province: scope.province_id})
    elif scope.kind != ALL:
        return qs.none()
    if scope.kind == PROVINCE:
        return qs
    if agency == HIDDEN_FROM_AGENCIES:
        return qs.none()
    if agency is None:
        return qs
    return qs.filter(_agency_q(agency, scope.agency_id))
