"""Writes on plans and progress. The UI, the API, the CLI, the importer and the demo all call
these; each checks the actor's permission, validates, and writes in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.calendar import working_calendar
from ronagh.core.errors import Conflict
from ronagh.core.models import Agency, Province, User
from ronagh.lib.digits import parse_decimal
from ronagh.lib.jalali import format_date

from .models import Action, Axis, Milestone, Plan, ProgressReport
from .quality import blocking_gaps


def _require_secretariat(actor: User) -> None:
    if not actor.is_secretariat:
        raise PermissionDenied(_("Only the secretariat may do this."))


def _require_draft(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise Conflict(_("The plan has been communicated; changes go through re-planning."))


# --- building a plan ---------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, actor: User, province: Province, year: int, title: str, is_sample: bool = False
) -> Plan:
    """A new draft plan for a province and Jalali year (one per province and year)."""
    _require_secretariat(actor)
    if Plan.objects.filter(province=province, year=year).exists():
        raise ValidationError({"year": _("This province already has a plan for that year.")})
    return Plan.objects.create(province=province, year=year, title=title, is_sample=is_sample)


@transaction.atomic
def save_axis(
    *, actor: User, plan: Plan, number: int, title: str, weight=1, axis: Axis | None = None
) -> Axis:
    """Add or edit an axis of a draft plan."""
    _require_secretariat(actor)
    _require_draft(plan)
    weight = parse_decimal(weight)
    if weight is None or weight <= 0:
        raise ValidationError({"weight": _("The weight must be a number greater than zero.")})
    if Axis.objects.filter(plan=plan, number=number).exclude(pk=getattr(axis, "pk", None)).exists():
        raise ValidationError({"number": _("Another axis already has this number.")})
    axis = axis or Axis(plan=plan)
    axis.number, axis.title, axis.weight = number, title, weight
    axis.save()
    return axis


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
    """Add or edit an action of a draft plan; `milestones` is a list of (date, percent)."""
    _require_secretariat(actor)
    _require_draft(plan)
    errors = {}
    weight = parse_decimal(weight)
    if weight is None or weight <= 0:
        errors["weight"] = _("The weight must be a number greater than zero.")
    if start and end and end < start:
        errors["end"] = _("The end date is before the start date.")
    if not code.strip():
        errors["code"] = _("The action needs a code.")
    elif (
        Action.objects.filter(plan=plan, code=code.strip())
        .exclude(pk=getattr(action, "pk", None))
        .exists()
    ):
        errors["code"] = _("Another action of this plan has this code.")
    if axis.plan_id != plan.id:
        errors["axis"] = _("The axis belongs to another plan.")
    for m_date, pct in milestones or []:
        if not (0 <= float(pct) <= 100):
            errors["milestones"] = _("A milestone percent must be between 0 and 100.")
        if start and end and not (start <= m_date <= end):
            errors["milestones"] = _("A milestone must fall between the start and end dates.")
    if errors:
        raise ValidationError(errors)
    action = action or Action(plan=plan)
    action.axis, action.code, action.title = axis, code.strip(), title
    action.lead_agency, action.weight, action.start, action.end = lead_agency, weight, start, end
    action.description, action.indicator, action.unit = description, indicator, unit
    action.target = parse_decimal(target) if target not in (None, "") else None
    action.save()
    action.partners.set([p for p in partners if p != lead_agency])
    if milestones is not None:
        action.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(action=action, date=d, percent=Decimal(str(p))) for d, p in milestones
        )
    return action


def _baseline(plan: Plan) -> dict:
    return {
        "axes": {str(ax.number): str(ax.weight) for ax in plan.axes.all()},
        "actions": {
            a.code: {
                "weight": str(a.weight),
                "start": a.start.isoformat() if a.start else None,
                "end": a.end.isoformat() if a.end else None,
                "milestones": [[m.date.isoformat(), str(m.percent)] for m in a.milestones.all()],
            }
            for a in plan.actions.prefetch_related("milestones")
        },
    }


@transaction.atomic
def communicate_plan(*, actor: User, plan: Plan, today: dt.date | None = None) -> Plan:
    """ابلاغ: draft → communicated, the baseline frozen. Conflict if not a draft;
    ValidationError listing the blocking gaps of the quality check."""
    _require_secretariat(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise Conflict(_("Only a draft plan can be communicated."))
    gaps = blocking_gaps(plan)
    if gaps:
        raise ValidationError({"plan": [g.message for g in gaps]})
    plan.baseline = _baseline(plan)
    plan.status = Plan.Status.COMMUNICATED
    plan.communicated_on = today or timezone.localdate()
    plan.communicated_by = actor
    plan.save()
    return plan


# --- daily progress ----------------------------------------------------------------------------


def reporting_deadline(day: dt.date, calendar=None) -> dt.date:
    """The last day on which a reporter may report `day` (SPEC 4.2 reporting window)."""
    from django.conf import settings

    calendar = calendar or working_calendar()
    return calendar.add_working_days(day, settings.RONAGH["REPORTING_WINDOW_WORKING_DAYS"])


def _agency_for(actor: User, action: Action, agency: Agency | None) -> Agency:
    if actor.is_secretariat:
        if (
            agency is not None
            and agency.id != action.lead_agency_id
            and not action.partners.filter(pk=agency.pk).exists()
        ):
            raise ValidationError(
                {"agency": _("This agency neither leads nor partners in the action.")}
            )
        chosen = agency or action.lead_agency
        if chosen is None:
            raise ValidationError({"action": _("The action has no lead agency.")})
        return chosen
    if not actor.is_agency_user or actor.agency_id is None:
        raise PermissionDenied(_("Your role may not report progress."))
    involved = (
        action.lead_agency_id == actor.agency_id
        or action.partners.filter(pk=actor.agency_id).exists()
    )
    if not involved:
        raise PermissionDenied(_("Your agency neither leads nor partners in this action."))
    return actor.agency


def _clean_percent(value) -> Decimal:
    number = parse_decimal(value)
    if number is None:
        raise ValidationError({"percent": _("Enter the progress as a number from 0 to 100.")})
    if number < 0 or number > 100:
        raise ValidationError({"percent": _("Progress must be between 0 and 100.")})
    if number != number.quantize(Decimal("0.1")):
        raise ValidationError({"percent": _("Progress takes at most one decimal place.")})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def report_progress(
    *,
    actor: User,
    action: Action,
    date: dt.date,
    percent,
    note: str = "",
    evidence=None,
    corrects: ProgressReport | None = None,
    reason: str = "",
    unchanged: bool = False,
    agency: Agency | None = None,
    today: dt.date | None = None,
) -> ProgressReport:
    """Append one report of cumulative physical progress (SPEC 4.2).

    Refuses (ValidationError): a plan not communicated, a future date, a percent outside 0–100 or
    with two decimals, a silent decrease, a correction without a reason or of a report of another
    action or one already corrected. Refuses (PermissionDenied): a role that may not report, an
    agency that neither leads nor partners in the action, a reporter past the reporting window or
    before communication. The secretariat may enter any past date; such reports are marked late
    and entered by the secretariat."""
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    plan = action.plan
    chosen_agency = _agency_for(actor, action, agency)
    if plan.status != Plan.Status.COMMUNICATED:
        raise ValidationError({"action": _("Progress is reported only on a communicated plan.")})
    if date > today:
        raise ValidationError({"date": _("A report cannot be dated in the future.")})
    percent = _clean_percent(percent)

    deadline = reporting_deadline(date)
    before_communication = plan.communicated_on is not None and date < plan.communicated_on
    late = today > deadline or before_communication
    if late and not actor.is_secretariat:
        if before_communication:
            msg = _(
                "%(date)s is before the plan was communicated; only the secretariat may enter it."
            )
        else:
            msg = _(
                "The reporting window for %(date)s closed on %(deadline)s; only the secretariat may enter it now."
            )
        raise PermissionDenied(msg % {"date": format_date(date), "deadline": format_date(deadline)})

    if corrects is not None:
        if corrects.action_id != action.id:
            raise ValidationError(
                {"corrects": _("The corrected report belongs to another action.")}
            )
        if ProgressReport.objects.filter(corrects=corrects).exists():
            raise ValidationError(
                {"corrects": _("That report has already been corrected; correct the newer one.")}
            )
        if not reason.strip():
            raise ValidationError({"reason": _("A correction must give its reason.")})
    else:
        effective = ProgressReport.objects.filter(action=action, corrected_by__isnull=True)
        previous = effective.filter(date__lte=date).order_by("-date", "-id").first()
        if previous is not None and percent < previous.percent:
            raise ValidationError(
                {
                    "percent": _(
                        "Progress cannot go down from %(prev)s%% without a correction with a reason."
                    )
                    % {"prev": previous.percent}
                }
            )
        following = effective.filter(date__gt=date).order_by("date", "id").first()
        if following is not None and percent > following.percent:
            raise ValidationError(
                {
                    "percent": _(
                        "A later report already says %(next)s%%; correct that report instead."
                    )
                    % {"next": following.percent}
                }
            )

    return ProgressReport.objects.create(
        action=action,
        agency=chosen_agency,
        date=date,
        percent=percent,
        note=note.strip(),
        evidence=evidence or "",
        unchanged=unchanged,
        corrects=corrects,
        reason=reason.strip(),
        late=late,
        entered_by_secretariat=actor.is_secretariat,
        entered_by=actor,
    )


@transaction.atomic
def submit_daily_report(
    *,
    actor: User,
    date: dt.date,
    entries: list[dict],
    agency: Agency | None = None,
    today: dt.date | None = None,
) -> list[ProgressReport]:
    """The daily report screen: many actions at once, all or nothing. Each entry is a dict of
    report_progress keyword arguments; errors are gathered per action and raised together as a
    ValidationError keyed by action id."""
    saved, errors = [], {}
    for entry in entries:
        try:
            with transaction.atomic():
                saved.append(
                    report_progress(actor=actor, date=date, agency=agency, today=today, **entry)
                )
        except ValidationError as exc:
            errors[str(entry["action"].id)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return saved
