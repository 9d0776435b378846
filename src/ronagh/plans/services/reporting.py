"""Daily progress (SPEC 4.2): the reporting window, one report or a correction, and the daily
report screen's many rows at once. Reports are append-only; a correction is a new report that
supersedes an earlier one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core import uploads
from ronagh.core.calendar import working_calendar
from ronagh.core.i18n import local_date, local_number
from ronagh.core.models import Agency, User
from ronagh.core.permissions import require
from ronagh.lib.workdays import Calendar

from .. import permissions, schedule
from ..models import Action, Channel, ProgressReport, ReportState
from ..schedule import clean_percent
from . import corrections


def reporting_deadline(day: dt.date, calendar: Calendar | None = None) -> dt.date:
    """The reporting window (SPEC 4.2): the last day on which a reporter may report `day` — the
    window's number of working days after it (D itself not counted; weekends and holidays
    skipped)."""
    calendar = calendar or working_calendar()
    return calendar.add_working_days(day, settings.RONAGH["REPORTING_WINDOW_WORKING_DAYS"])


def _reporting_agency(actor: User, action: Action, agency: Agency | None) -> Agency:
    """The agency a report is of: the reporter's own; for the secretariat, the one it names (the
    lead agency by default), which must lead or partner in the action."""
    require(
        permissions.may_report(actor, action),
        _("Your agency neither leads nor partners in this action.")
        if actor.is_agency_user
        else _("Your role may not report progress."),
    )
    if not permissions.may_enter_late(actor, action):  # an agency user reports as its agency
        return actor.agency
    if agency is not None and not permissions.is_involved(agency.pk, action):
        raise ValidationError(
            {"agency": _("This agency neither leads nor partners in the action.")}
        )
    chosen = agency or action.lead_agency
    if chosen is None:
        raise ValidationError({"action": _("The action has no lead agency.")})
    return chosen


def _clean_percent(value) -> Decimal:
    number, problem = clean_percent(value)
    if number is not None:
        return number
    messages = {
        schedule.NOT_A_NUMBER: _("Enter the progress as a number from 0 to 100."),
        schedule.OUT_OF_RANGE: _("Progress must be between 0 and 100."),
        schedule.TOO_PRECISE: _("Progress takes at most one decimal place."),
    }
    raise ValidationError({"percent": messages[problem]})


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
    channel: str = Channel.WEB,
) -> ProgressReport:
    """Append one report of cumulative physical progress (SPEC 4.2).

    `channel` says how it came (web, api, bale, import); a report the secretariat enters on the
    web screen (received on paper) is marked with the secretariat's channel. A correction
    entered by a reporter is pending until the agency's manager or the secretariat decides it
    (`corrections.decide_correction`; the managers are notified once the report is stored);
    one entered by a manager or the secretariat takes effect at once.

    Refuses (ValidationError): a plan not communicated, a future date, a percent outside 0–100 or
    with two decimals, a silent decrease, a correction without a reason or of a report of another
    action or one already corrected. Refuses (PermissionDenied): a role that may not report, an
    agency that neither leads nor partners in the action, a correction of another agency's report
    (a partner never corrects the lead's report, nor the reverse), a reporter past the reporting
    window or before communication. The secretariat of the plan's province may enter any past
    date and correct any report; such reports are marked late and entered by the secretariat.
    A correction is refused while another correction of the same report awaits a decision, and
    of a report that is not effective (superseded, pending or rejected)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    today = today or timezone.localdate()
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    plan = action.plan
    chosen_agency = _reporting_agency(actor, action, agency)
    if corrects is not None:
        if corrects.action_id != action.id:
            raise ValidationError(
                {"corrects": _("The corrected report belongs to another action.")}
            )
        if date != corrects.date:
            # A correction replaces what was reported for that day: it keeps the day (and so
            # the latest report of an action is always on the day of an effective one).
            raise ValidationError(
                {
                    "date": _("A correction keeps the date of the report it corrects (%(date)s).")
                    % {"date": local_date(corrects.date)}
                }
            )
        corrects.action = action
        require(
            permissions.may_correct(actor, corrects),
            _("A report is corrected only by its own agency or by the secretariat."),
        )
        chosen_agency = corrects.agency  # a correction stays the report of the same agency
    if not plan.is_communicated:
        raise ValidationError({"action": _("Progress is reported only on a communicated plan.")})
    if date > today:
        raise ValidationError({"date": _("A report cannot be dated in the future.")})
    percent = _clean_percent(percent)
    if evidence:
        try:
            uploads.check_evidence(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc

    deadline = reporting_deadline(date)
    before_communication = plan.communicated_on is not None and date < plan.communicated_on
    late = today > deadline or before_communication
    if late and not permissions.may_enter_late(actor, action):
        if before_communication:
            msg = _(
                "%(date)s is before the plan was communicated; only the secretariat may enter it."
            )
        else:
            msg = _(
                "The reporting window for %(date)s closed on %(deadline)s; only the secretariat may enter it now."
            )
        require(False, msg % {"date": local_date(date), "deadline": local_date(deadline)})

    effective = ProgressReport.objects.effective().filter(action=action)
    if corrects is not None:
        _check_correctable(corrects)
        if not reason.strip():
            raise ValidationError({"reason": _("A correction must give its reason.")})
    else:
        previous = effective.filter(date__lte=date).order_by("-date", "-id").first()
        if previous is not None and percent < previous.percent:
            raise ValidationError(
                {
                    "percent": _(
                        "Progress cannot go down from %(prev)s%% without a correction with a reason."
                    )
                    % {"prev": local_number(previous.percent)}
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
                    % {"next": local_number(following.percent)}
                }
            )

    by_secretariat = permissions.may_enter_late(actor, action)
    if by_secretariat and channel == Channel.WEB:
        channel = Channel.SECRETARIAT
    report = ProgressReport.objects.create(
        action=action,
        agency=chosen_agency,
        date=date,
        percent=percent,
        note=note.strip(),
        evidence=evidence or "",
        unchanged=unchanged,
        corrects=corrects,
        reason=reason.strip(),
        needs_approval=corrects is not None
        and permissions.correction_needs_approval(actor, corrects),
        channel=channel,
        late=late,
        entered_by_secretariat=by_secretariat,
        entered_by=actor,
    )
    if report.needs_approval:
        transaction.on_commit(lambda: corrections.announce_pending(report))
    return report


def _check_correctable(corrects: ProgressReport) -> None:
    """A correction supersedes an effective report, and only one correction of a report is
    awaiting a decision or in force at a time."""
    state = ProgressReport.objects.with_state().get(pk=corrects.pk).state
    if state == ReportState.SUPERSEDED:
        raise ValidationError(
            {"corrects": _("That report has already been corrected; correct the newer one.")}
        )
    if state == ReportState.PENDING:
        raise ValidationError(
            {"corrects": _("That report is a correction awaiting approval; wait for the decision.")}
        )
    if state == ReportState.REJECTED:
        raise ValidationError(
            {
                "corrects": _(
                    "That correction was rejected; correct the report it was meant to correct."
                )
            }
        )
    if ProgressReport.objects.pending().filter(corrects=corrects).exists():
        raise ValidationError(
            {"corrects": _("A correction of that report is already awaiting approval.")}
        )


@transaction.atomic
def submit_daily_report(
    *,
    actor: User,
    date: dt.date,
    entries: list[dict],
    agency: Agency | None = None,
    today: dt.date | None = None,
    channel: str = Channel.WEB,
) -> list[ProgressReport]:
    """The daily report screen: many actions at once, all or nothing. Each entry is a dict of
    report_progress keyword arguments (its own `date` for a correction, else the screen's);
    errors are gathered per action and raised together as a ValidationError keyed by action
    id."""
    saved, errors = [], {}
    for entry in entries:
        entry = dict(entry)
        day = entry.pop("date", date)  # a correction keeps the date of the report it corrects
        try:
            with transaction.atomic():
                saved.append(
                    report_progress(
                        actor=actor,
                        date=day,
                        agency=agency,
                        today=today,
                        channel=channel,
                        **entry,
                    )
                )
        except ValidationError as exc:
            errors[str(entry["action"].id)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return saved
