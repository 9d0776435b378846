"""Building a plan (SPEC 4.1): a draft plan, its axes and actions, and a whole draft replaced
from a workbook. Every write checks `permissions.may_build_plans` itself and the schedule with
`schedule.clean_schedule`, the same validator the forms, the API, re-planning and the workbook
use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.i18n import local_date
from ronagh.core.models import Agency, Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib.jalali import FIRST_YEAR, LAST_YEAR, year_bounds

from .. import permissions
from ..models import Action, Axis, Milestone, Plan
from ..schedule import clean_schedule, clean_weight


def require_builder(actor: User, province_id: int) -> None:
    require(permissions.may_build_plans(actor, province_id), secretariat_refusal(actor))


def require_draft(plan: Plan) -> None:
    if not plan.is_draft:
        raise Conflict(_("The plan has been communicated; changes go through re-planning."))


def check_year(year) -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("%(year)s is not a Jalali year.") % {"year": year}})
    return year


@transaction.atomic
def create_plan(
    *, actor: User, province: Province, year: int, title: str, is_sample: bool = False
) -> Plan:
    """A new draft plan for a province and Jalali year (one per province and year)."""
    require_builder(actor, province.pk)
    check_year(year)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    if Plan.objects.filter(province=province, year=year).exists():
        raise ValidationError({"year": _("This province already has a plan for that year.")})
    return Plan.objects.create(province=province, year=year, title=title, is_sample=is_sample)


@transaction.atomic
def save_axis(
    *, actor: User, plan: Plan, number: int, title: str, weight=1, axis: Axis | None = None
) -> Axis:
    """Add or edit an axis of a draft plan."""
    require_builder(actor, plan.province_id)
    require_draft(plan)
    errors: dict[str, str] = {}
    weight = clean_weight(weight, errors)
    if axis is not None and axis.plan_id != plan.pk:
        errors["number"] = _("The axis belongs to another plan.")
    elif (
        Axis.objects.filter(plan=plan, number=number).exclude(pk=axis.pk if axis else None).exists()
    ):
        errors["number"] = _("Another axis already has this number.")
    if errors:
        raise ValidationError(errors)
    axis = axis or Axis(plan=plan)
    axis.number, axis.title, axis.weight = number, title, weight
    axis.save()
    return axis


def _check_agencies(plan: Plan, agencies: Sequence[Agency | None], errors: dict) -> None:
    if any(a is not None and a.province_id != plan.province_id for a in agencies):
        errors["lead_agency"] = _("The agency belongs to another province.")


@transaction.atomic
def save_action(
    *,
    actor: User,
    plan: Plan,
    axis: Axis,
    code: str,
    title: str,
    lead_agency: Agency | None = None,
    partners=(),
    weight=1,
    start: dt.date | None = None,
    end: dt.date | None = None,
    description: str = "",
    indicator: str = "",
    target=None,
    unit: str = "",
    milestones=None,
    action: Action | None = None,
) -> Action:
    """Add or edit an action of a draft plan; `milestones` is a list of (date, percent), None to
    keep the stored ones. A draft action may lack dates (the quality check reports it)."""
    require_builder(actor, plan.province_id)
    require_draft(plan)
    checked = clean_schedule(
        start=start,
        end=end,
        weight=weight,
        target=target,
        milestones=milestones or (),
        format_date=local_date,
    )
    errors = checked.errors
    code = (code or "").strip()
    if not code:
        errors["code"] = _("The action needs a code.")
    elif (
        Action.objects.filter(plan=plan, code=code).exclude(pk=action.pk if action else None)
    ).exists():
        errors["code"] = _("Another action of this plan has this code.")
    if axis.plan_id != plan.id:
        errors["axis"] = _("The axis belongs to another plan.")
    if action is not None and action.plan_id != plan.id:
        errors["code"] = _("The action belongs to another plan.")
    partners = [p for p in partners if p != lead_agency]
    _check_agencies(plan, [lead_agency, *partners], errors)
    if errors:
        raise ValidationError(errors)
    action = action or Action(plan=plan)
    action.axis, action.code, action.title = axis, code, title
    action.lead_agency, action.weight = lead_agency, checked.weight
    action.start, action.end = checked.start, checked.end
    action.description, action.indicator, action.unit = description, indicator, unit
    action.target = checked.target
    action.save()
    action.partners.set(partners)
    if milestones is not None:
        action.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(action=action, date=d, percent=p) for d, p in checked.milestones
        )
    return action


# --- a whole draft from a workbook ---------------------------------------------------------------


@dataclass
class DraftAction:
    """One action of a draft written whole (the workbook importer's rows, already checked)."""

    axis: int
    code: str
    title: str
    lead_agency: Agency | None = None
    partners: list[Agency] = field(default_factory=list)
    weight: Decimal = Decimal(1)
    start: dt.date | None = None
    end: dt.date | None = None
    indicator: str = ""
    target: Decimal | None = None
    unit: str = ""
    milestones: list[tuple[dt.date, Decimal]] = field(default_factory=list)


@dataclass
class DraftAxis:
    number: int
    title: str
    weight: Decimal = Decimal(1)


Progress = Callable[[int, int], None]


@transaction.atomic
def replace_draft(
    *,
    actor: User | None,
    province: Province,
    year: int,
    title: str,
    axes: Sequence[DraftAxis],
    actions: Sequence[DraftAction],
    progress: Progress | None = None,
) -> tuple[Plan, bool]:
    """The draft plan of a province and year, created or replaced whole (its axes, actions and
    milestones; the plan and its title are kept), in one transaction; returns (plan, created).

    The same rules as `save_axis` and `save_action` — the secretariat of the province (the
    command line acts as the system and passes no actor), a draft, each schedule through
    `clean_schedule`, codes unique, agencies of the province — but written in bulk: a provincial
    plan has hundreds of actions. Conflict for a plan that has been communicated."""
    if actor is not None:
        require_builder(actor, province.pk)
    check_year(year)
    errors: dict[str, list[str]] = {}
    codes: set[str] = set()
    numbers = {a.number for a in axes}
    for a in axes:
        axis_errors: dict[str, str] = {}
        clean_weight(a.weight, axis_errors)
        for message in axis_errors.values():
            errors.setdefault(f"axis {a.number}", []).append(message)
    for row in actions:
        checked = clean_schedule(
            start=row.start,
            end=row.end,
            weight=row.weight,
            target=row.target,
            milestones=row.milestones,
            format_date=local_date,
        )
        found = list(checked.errors.values())
        if row.code in codes:
            found.append(_("Another action of this plan has this code."))
        codes.add(row.code)
        if row.axis not in numbers:
            found.append(_("The axis belongs to another plan."))
        if any(
            g is not None and g.province_id != province.pk for g in [row.lead_agency, *row.partners]
        ):
            found.append(_("The agency belongs to another province."))
        if found:
            errors.setdefault(row.code, []).extend(found)
    if errors:
        raise ValidationError(errors)

    plan = Plan.objects.select_for_update().filter(province=province, year=year).first()
    created = plan is None
    if plan is not None:
        require_draft_for_import(plan)
        try:
            Action.objects.filter(plan=plan).delete()
            Axis.objects.filter(plan=plan).delete()
        except ProtectedError as exc:
            raise Conflict(
                _("The draft plan has records that refer to its actions; it cannot be replaced.")
            ) from exc
    else:
        try:
            with transaction.atomic():
                plan = Plan.objects.create(province=province, year=year, title=title)
        except IntegrityError as exc:
            raise Conflict(_("Another import of this plan is under way; try again.")) from exc

    by_number = {
        a.number: a
        for a in Axis.objects.bulk_create(
            Axis(plan=plan, number=a.number, title=a.title, weight=a.weight) for a in axes
        )
    }
    total, done, chunk = len(actions), 0, 500
    through = Action.partners.through
    for begin in range(0, total, chunk):
        rows = actions[begin : begin + chunk]
        saved = Action.objects.bulk_create(
            Action(
                plan=plan,
                axis=by_number[r.axis],
                code=r.code,
                title=r.title,
                lead_agency=r.lead_agency,
                weight=r.weight,
                start=r.start,
                end=r.end,
                indicator=r.indicator,
                target=r.target,
                unit=r.unit,
            )
            for r in rows
        )
        through.objects.bulk_create(
            through(action_id=a.pk, agency_id=p.pk)
            for a, r in zip(saved, rows, strict=True)
            for p in r.partners
            if p != r.lead_agency
        )
        Milestone.objects.bulk_create(
            Milestone(action=a, date=d, percent=p)
            for a, r in zip(saved, rows, strict=True)
            for d, p in sorted(r.milestones)
        )
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return plan, created


def require_draft_for_import(plan: Plan | None) -> None:
    """An import may replace a draft, never a communicated or closed plan."""
    if plan is not None and not plan.is_draft:
        raise Conflict(
            _(
                "The %(year)s plan of %(province)s is %(status)s; an import cannot replace it. "
                "Changes to it go through re-planning."
            )
            % {
                "year": plan.year,
                "province": plan.province.name,
                "status": plan.get_status_display(),
            }
        )


def plan_year(plan: Plan) -> tuple[dt.date, dt.date]:
    return year_bounds(plan.year)
