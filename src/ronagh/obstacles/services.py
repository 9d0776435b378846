"""Writes on obstacles (SPEC 5): registration with routing, and the one transition function
that enforces SPEC 5's table (`transitions.py`). The routing table itself is `routing.py`'s. The
UI, the API, the demo and the early-warning cases all call these; each validates, checks the
actor (`permissions.py`), writes in one transaction and records who."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import Agency, County, Province, User
from ronagh.core.permissions import home_province_id, require
from ronagh.lib.digits import parse_decimal
from ronagh.lib.text import clean_name
from ronagh.plans.models import Action

from . import permissions
from .models import Category, FacingKind, Obstacle, Status, Transition
from .routing import due_date_for, routed_agency
from .transitions import RESPONSIBLE, SECRETARIAT, TRANSITIONS, is_bounce

if TYPE_CHECKING:  # the units app sits above this one: it opens obstacles, not the reverse
    from ronagh.units.models import IndustrialPark, ProductionUnit

# --- helpers ------------------------------------------------------------------------------------


def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _whole(value, field: str, errors: dict, *, maximum: int | None = None) -> int:
    number = parse_decimal(value if value not in (None, "") else 0)
    if number is None or number != number.to_integral_value():
        errors[field] = _("Enter a whole number.")
        return 0
    if number < 0:
        errors[field] = _("The number cannot be negative.")
        return 0
    if maximum is not None and number > maximum:
        errors[field] = _("The number is too large.")
        return 0
    return int(number)


def _record(
    *,
    obstacle: Obstacle,
    actor: User,
    frm: str,
    to: str,
    comment: str,
    at: dt.datetime,
    from_agency: Agency | None,
    bounce: bool = False,
    automatic: bool = False,
) -> Transition:
    return Transition.objects.create(
        obstacle=obstacle,
        from_status=frm,
        to_status=to,
        from_agency=from_agency,
        to_agency=obstacle.responsible_agency,
        is_bounce=bounce,
        automatic=automatic,
        comment=comment,
        by=actor,
        at=at,
    )


# --- registration -------------------------------------------------------------------------------


@transaction.atomic
def register_obstacle(
    *,
    actor: User,
    title: str,
    category: str,
    severity,
    description: str = "",
    jobs_affected=0,
    amount=0,
    facing_kind: str | None = None,
    unit: ProductionUnit | None = None,
    park: IndustrialPark | None = None,
    sector: str = "",
    county: County | None = None,
    responsible_agency: Agency | None = None,
    action: Action | None = None,
    province: Province | None = None,
    at: dt.datetime | None = None,
    is_sample: bool = False,
) -> Obstacle:
    """Register an obstacle and route it (SPEC 5).

    The secretariat and agency users register; the governor and the auditor may not
    (PermissionDenied). Routing: a responsible agency given is kept; otherwise the province's
    routing table assigns the category's agency; with neither it stays `registered` for the
    secretariat. An assignment starts the clock (due date = today + SLA of the severity) and is
    recorded as a transition `registered → assigned` by the registering user. An agency user's
    registration follows the same rules and its agency may follow the case. Who faces it is a
    production unit, an industrial park or a whole sector (or not stated); the county follows the
    unit or park when not given. ValidationError with a message per field on bad input."""
    require(permissions.may_register(actor), _("Your role may not register obstacles."))
    at, today = _moment(at)
    errors: dict[str, str] = {}

    home = home_province_id(actor)
    if province is None and home is not None:
        province = Province.objects.get(pk=home)
    if province is None:
        province = next(
            (
                x.province
                for x in (responsible_agency, unit, park)
                if x is not None and getattr(x, "province_id", None)
            ),
            None,
        )
    if province is None:
        errors["province"] = _("Choose the province of the obstacle.")
    else:
        require(
            permissions.may_register(actor, province.id),
            _("You may register obstacles only in your own province."),
        )

    title = clean_name(title or "")
    if not title:
        errors["title"] = _("Give the obstacle a short title.")
    elif len(title) > 300:
        errors["title"] = _("The title is at most 300 characters.")
    description = (description or "").strip()
    if category not in Category.values:
        errors["category"] = _("Choose one of the categories.")
    sev = parse_decimal(severity) if severity not in (None, "") else None
    if sev is None or sev != sev.to_integral_value() or not 1 <= sev <= 4:
        errors["severity"] = _("Severity is a whole number from 1 (low) to 4 (gravest).")
    jobs = _whole(jobs_affected, "jobs_affected", errors, maximum=10_000_000)
    money = _whole(amount, "amount", errors, maximum=9_000_000_000_000_000_000)

    sector = clean_name(sector or "")
    if facing_kind is None:
        facing_kind = (
            FacingKind.UNIT
            if unit is not None
            else FacingKind.PARK
            if park is not None
            else FacingKind.SECTOR
            if sector
            else FacingKind.UNSTATED
        )
    if facing_kind not in FacingKind.values:
        errors["facing_kind"] = _("Say whether a unit, a park or a whole sector faces it.")
    elif facing_kind == FacingKind.UNIT:
        if unit is None:
            errors["unit"] = _("Choose the production unit that faces it.")
        park, sector = None, sector or (unit.sector if unit else "")
    elif facing_kind == FacingKind.PARK:
        if park is None:
            errors["park"] = _("Choose the industrial park that faces it.")
        unit = None
    elif facing_kind == FacingKind.SECTOR:
        if not sector:
            errors["sector"] = _("Name the sector that faces it.")
        unit = park = None
    else:
        unit = park = None
    if province is not None:
        if unit is not None and unit.province_id != province.id:
            errors["unit"] = _("The production unit is in another province.")
        if park is not None and park.province_id != province.id:
            errors["park"] = _("The industrial park is in another province.")
        if county is not None and county.province_id != province.id:
            errors["county"] = _("The county is in another province.")
        if responsible_agency is not None and responsible_agency.province_id != province.id:
            errors["responsible_agency"] = _("The agency belongs to another province.")
        if action is not None and action.plan.province_id != province.id:
            errors["action"] = _("The action belongs to another province's plan.")
    if errors:
        raise ValidationError(errors)

    if county is None:
        county = (unit.county if unit else None) or (park.county if park else None)
    obstacle = Obstacle.objects.create(
        province=province,
        facing_kind=facing_kind,
        unit=unit,
        park=park,
        sector=sector,
        county=county,
        category=category,
        title=title,
        description=description,
        severity=int(sev),
        jobs_affected=jobs,
        amount=money,
        action=action,
        registered_by=actor,
        registered_by_agency=actor.agency if actor.is_agency_user else None,
        registered_at=at,
        registered_on=today,
        is_sample=is_sample,
    )

    agency, comment = responsible_agency, _("Agency named at registration.")
    if agency is None:
        agency = routed_agency(province=province, category=category)
        comment = _("Routed by the routing table.")
    if agency is not None:
        obstacle.responsible_agency = agency
        obstacle.status = Status.ASSIGNED
        obstacle.assigned_on = today
        obstacle.due_date = due_date_for(assigned_on=today, severity=obstacle.severity)
        obstacle.save()
        _record(
            obstacle=obstacle,
            actor=actor,
            frm=Status.REGISTERED,
            to=Status.ASSIGNED,
            comment=comment,
            at=at,
            from_agency=None,
            automatic=True,
        )
    return obstacle


# --- the workflow -------------------------------------------------------------------------------


@transaction.atomic
def transition(
    *,
    actor: User,
    obstacle: Obstacle,
    to: str,
    comment: str = "",
    agency: Agency | None = None,
    at: dt.datetime | None = None,
) -> Obstacle:
    """Move an obstacle one step of SPEC 5's table, and record the step (who, when, from, to,
    comment) for good.

    ValidationError ("to") for a step the table does not have, ("comment") for a missing comment
    or reason where one is required, ("agency") for a missing, foreign or unchanged agency on
    assignment and re-routing. PermissionDenied where the step exists but this user may not make
    it (the responsible agency's steps for its own users, the secretariat's for the secretariat).
    Assigning and re-routing restart the clock; a re-routing counts as a bounce. Resolving
    records the day; reopening clears it."""
    at, today = _moment(at)
    # Locked alone: PostgreSQL refuses FOR UPDATE across the outer join of a nullable agency.
    obstacle = Obstacle.objects.select_for_update().get(pk=obstacle.pk)
    frm = obstacle.status
    if to not in Status.values:
        raise ValidationError({"to": _("“%(to)s” is not a status of an obstacle.") % {"to": to}})
    rule = TRANSITIONS.get((frm, to))
    if rule is None:
        raise ValidationError(
            {
                "to": _("An obstacle that is “%(from)s” cannot become “%(to)s”.")
                % {"from": Status(frm).label, "to": Status(to).label}
            }
        )
    if not permissions.may_transition(actor, obstacle, to):
        if rule.who == {SECRETARIAT}:
            require(False, _("Only the secretariat may make this change."))
        if rule.who == {RESPONSIBLE}:
            require(False, _("Only the responsible agency may make this change."))
        require(False, _("Only the responsible agency or the secretariat may make this change."))
    comment = (comment or "").strip()
    if rule.comment_required and not comment:
        if (frm, to) == (Status.ASSIGNED, Status.ASSIGNED):
            raise ValidationError({"comment": _("Give the reason for re-routing.")})
        raise ValidationError({"comment": _("This change needs a comment.")})

    from_agency = obstacle.responsible_agency
    bounce = False
    if rule.agency_required:
        if agency is None:
            raise ValidationError({"agency": _("Choose the agency responsible for it.")})
        if agency.province_id != obstacle.province_id:
            raise ValidationError({"agency": _("The agency belongs to another province.")})
        if agency.pk == obstacle.responsible_agency_id:
            raise ValidationError({"agency": _("The obstacle is already with this agency.")})
        bounce = is_bounce(frm, to)
        obstacle.responsible_agency = agency
        obstacle.assigned_on = today
        obstacle.due_date = due_date_for(assigned_on=today, severity=obstacle.severity)
        if bounce:
            obstacle.bounces += 1
    if to == Status.RESOLVED:
        obstacle.resolved_on = today
    elif frm == Status.RESOLVED:
        obstacle.resolved_on = None
    obstacle.status = to
    obstacle.save()
    _record(
        obstacle=obstacle,
        actor=actor,
        frm=frm,
        to=to,
        comment=comment,
        at=at,
        from_agency=from_agency,
        bounce=bounce,
    )
    return obstacle
