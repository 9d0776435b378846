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
    for m_date, raw in milestones or []:
        pct = parse_decimal(raw)
        if pct is None or not (0 <= pct <= 100) or pct != pct.quantize(Decimal("0.1")):
            errors["milestones"] = _(
                "A milestone percent must be a number between 0 and 100 with at most one decimal."
            )
            continue
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
            Milestone(action=action, date=d, percent=parse_decimal(p)) for d, p in milestones
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
    # Each agency is told of its actions once the communication is safely stored; a failing
    # notifier is logged and does not undo the communication.
    transaction.on_commit(lambda: _notify_communicated(plan), robust=True)
    return plan


def _notify_communicated(plan: Plan) -> None:
    try:  # the notifications app may not provide the notifier yet
        from ronagh.notifications.services import notify_plan_communicated
    except ImportError:
        return
    notify_plan_communicated(plan=plan)


# --- daily progress ----------------------------------------------------------------------------


def reporting_deadline(day: dt.date, calendar=None) -> dt.date:
    """The last day on which a reporter may report `day` (SPEC 4.2 reporting window)."""
    from django.conf import settings

    calendar = calendar or working_calendar()
    return calendar.add_working_days(day, settings.RONAGH["REPORTING_WINDOW_WORKING_DAYS"])


def _agency_for(actor: User, action: Action, agency: Agency | None) -> Agency:
    if actor.is_secretariat:
        if actor.province_id and actor.province_id != action.plan.province_id:
            raise PermissionDenied(_("This action belongs to another province's plan."))
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


def _number(value) -> str:
    """A percent for a message, in the reader's digits."""
    from django.utils.translation import get_language

    from ronagh.lib.digits import to_persian

    text = f"{value:f}".rstrip("0").rstrip(".")
    return to_persian(text) if (get_language() or "fa").startswith("fa") else text


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
                    % {"prev": _number(previous.percent)}
                }
            )
        if unchanged and percent != (previous.percent if previous else 0):
            raise ValidationError(
                {"percent": _("“Unchanged” must repeat the last reported value.")}
            )
        following = effective.filter(date__gt=date).order_by("date", "id").first()
        if following is not None and percent > following.percent:
            raise ValidationError(
                {
                    "percent": _(
                        "A later report already says %(next)s%%; correct that report instead."
                    )
                    % {"next": _number(following.percent)}
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


# --- after communication: acknowledgement and re-planning (SPEC 4.1, 4.2) ---------------------


def _local_date(value: dt.date | dt.datetime) -> str:
    """A date (or a moment, in local time) for a message, Jalali in the reader's digits."""
    from django.utils.translation import get_language

    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return format_date(value, persian_digits=(get_language() or "fa").startswith("fa"))


@transaction.atomic
def acknowledge_plan(*, actor: User, plan: Plan):
    """The actor's agency acknowledges receipt of a communicated plan, once.

    Refuses (PermissionDenied) anyone but a manager or reporter of an agency that leads or
    partners in an action of the plan; (Conflict) a plan that is not communicated, and a second
    acknowledgement by the same agency, saying when and by whom the first was recorded."""
    from django.db.models import Q

    from .models import Acknowledgement

    if not actor.is_agency_user or actor.agency_id is None:
        raise PermissionDenied(_("Only an agency's manager or reporter acknowledges a plan."))
    # The plan row is the lock: two people of one agency acknowledging at once get one record.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    involved = (
        Action.objects.filter(plan=plan)
        .filter(Q(lead_agency=actor.agency_id) | Q(partners=actor.agency_id))
        .exists()
    )
    if not involved:
        raise PermissionDenied(_("Your agency has no actions in this plan."))
    if plan.status != Plan.Status.COMMUNICATED:
        raise Conflict(_("Only a communicated plan can be acknowledged."))
    earlier = (
        Acknowledgement.objects.filter(plan=plan, agency_id=actor.agency_id)
        .select_related("acknowledged_by")
        .first()
    )
    if earlier is not None:
        who = earlier.acknowledged_by
        raise Conflict(
            _("Your agency already acknowledged this plan on %(date)s (%(user)s).")
            % {
                "date": _local_date(earlier.acknowledged_at),
                "user": who.get_full_name() or who.username,
            }
        )
    return Acknowledgement.objects.create(plan=plan, agency=actor.agency, acknowledged_by=actor)


def _check_replan_requester(actor: User, action: Action) -> None:
    if actor.is_secretariat:
        if (
            actor.province_id
            and not actor.is_superuser
            and actor.province_id != action.plan.province_id
        ):
            raise PermissionDenied(_("This action belongs to another province's plan."))
        return
    if actor.is_agency_user and actor.agency_id and actor.agency_id == action.lead_agency_id:
        return
    raise PermissionDenied(
        _("Only the lead agency of the action or the secretariat may ask to re-plan it.")
    )


_WEIGHT_STEP, _WEIGHT_LIMIT = Decimal("0.001"), Decimal("1000000")  # DecimalField(9, 3)
_TARGET_STEP, _TARGET_LIMIT = Decimal("0.01"), Decimal("10000000000000000")  # (18, 2)


@transaction.atomic
def request_replan(
    *,
    actor: User,
    action: Action,
    start: dt.date | None,
    end: dt.date | None,
    reason: str,
    weight=None,
    target=None,
    milestones=None,
):
    """Ask to change a communicated action's schedule (SPEC 4.2); the secretariat decides.

    `weight`, `target` and `milestones` left as None keep the action's current values;
    `milestones=[]` asks for none. Refuses (PermissionDenied) anyone but an agency user of the
    lead agency or the secretariat of the plan's province; (Conflict) an action of a plan that is
    not communicated, or one with a request already waiting; (ValidationError, a message per
    field) a missing reason or date, end before start, dates outside the plan year, a weight
    that is not above zero, a target that is not a number, a milestone out of range, or a
    request that changes nothing."""
    from ronagh.lib.jalali import year_bounds

    from .models import ReplanRequest
    from .selectors import action_schedule, request_schedule

    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    plan = action.plan
    _check_replan_requester(actor, action)
    if plan.status != Plan.Status.COMMUNICATED:
        raise Conflict(
            _("Only the actions of a communicated plan are re-planned; a draft is edited directly.")
        )
    if ReplanRequest.objects.filter(action=action, status=ReplanRequest.Status.PENDING).exists():
        raise Conflict(_("This action already has a re-planning request waiting for a decision."))

    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for re-planning.")
    if start is None:
        errors["start"] = _("Enter the new start date.")
    if end is None:
        errors["end"] = _("Enter the new end date.")
    elif start is not None and end < start:
        errors["end"] = _("The end date is before the start date.")
    first, last = year_bounds(plan.year)
    for key, day in (("start", start), ("end", end)):
        if day is not None and key not in errors and not first <= day <= last:
            errors[key] = _("The date must fall within the plan year (%(first)s to %(last)s).") % {
                "first": _local_date(first),
                "last": _local_date(last),
            }

    new_weight = action.weight if weight is None else parse_decimal(weight)
    if new_weight is None or new_weight <= 0 or new_weight >= _WEIGHT_LIMIT:
        errors["weight"] = _("The weight must be a number greater than zero.")
    elif new_weight != new_weight.quantize(_WEIGHT_STEP):
        errors["weight"] = _("The weight takes at most three decimal places.")

    if target is None or target == "":
        new_target = action.target
    else:
        new_target = parse_decimal(target)
        if new_target is None or abs(new_target) >= _TARGET_LIMIT:
            errors["target"] = _("The target must be a number.")
        elif new_target != new_target.quantize(_TARGET_STEP):
            errors["target"] = _("The target takes at most two decimal places.")

    if milestones is None:
        new_milestones = [(m.date, m.percent) for m in action.milestones.order_by("date")]
    else:
        new_milestones = []
        for m_date, raw in milestones:
            pct = parse_decimal(raw)
            if pct is None or not (0 <= pct <= 100) or pct != pct.quantize(Decimal("0.1")):
                errors["milestones"] = _(
                    "A milestone percent must be a number between 0 and 100 with at most one "
                    "decimal."
                )
                continue
            if start and end and not (start <= m_date <= end):
                errors["milestones"] = _("A milestone must fall between the start and end dates.")
            new_milestones.append((m_date, pct))
        dates = [d for d, _p in new_milestones]
        if len(set(dates)) != len(dates):
            errors["milestones"] = _("Two milestones have the same date.")
    if errors:
        raise ValidationError(errors)

    replan = ReplanRequest(
        action=action,
        requested_by=actor,
        new_start=start,
        new_end=end,
        new_weight=new_weight.quantize(_WEIGHT_STEP),
        new_target=new_target.quantize(_TARGET_STEP) if new_target is not None else None,
        new_milestones=[
            [d.isoformat(), str(p.quantize(Decimal("0.1")))] for d, p in sorted(new_milestones)
        ],
        reason=reason.strip(),
    )
    if request_schedule(replan) == action_schedule(action):
        raise ValidationError(_("The request changes nothing in the action's schedule."))
    replan.save()
    return replan


@transaction.atomic
def decide_replan(*, actor: User, request, approve: bool, reason: str):
    """The secretariat approves or rejects a pending re-planning request, with a reason.

    On approval the action's live schedule becomes the requested one and a Revision keeps the
    schedule before and after, in the same transaction; Plan.baseline stays as communicated.
    Refuses (PermissionDenied) anyone but the secretariat of the plan's province; (ValidationError)
    a missing reason; (Conflict) a request already decided, or an approval once the plan is no
    longer communicated."""
    from .models import ReplanRequest, Revision
    from .selectors import action_schedule

    _require_secretariat(actor)
    replan = ReplanRequest.objects.select_for_update().get(pk=request.pk)
    action = Action.objects.select_for_update().select_related("plan").get(pk=replan.action_id)
    if (
        actor.province_id
        and not actor.is_superuser
        and actor.province_id != action.plan.province_id
    ):
        raise PermissionDenied(_("This action belongs to another province's plan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if replan.status != ReplanRequest.Status.PENDING:
        raise Conflict(_("This request has already been decided."))
    if approve and action.plan.status != Plan.Status.COMMUNICATED:
        raise Conflict(_("The plan is no longer open to re-planning."))

    replan.status = ReplanRequest.Status.APPROVED if approve else ReplanRequest.Status.REJECTED
    replan.decided_by = actor
    replan.decided_at = timezone.now()
    replan.decision_reason = reason.strip()
    replan.save()
    if approve:
        before = action_schedule(action)
        action.start, action.end = replan.new_start, replan.new_end
        action.weight, action.target = replan.new_weight, replan.new_target
        action.save(update_fields=["start", "end", "weight", "target"])
        action.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(action=action, date=dt.date.fromisoformat(d), percent=Decimal(p))
            for d, p in replan.new_milestones
        )
        Revision.objects.create(
            action=action, request=replan, before=before, after=action_schedule(action)
        )
    request.refresh_from_db()
    return replan
