"""The daily report (SPEC 4.2): one screen per agency with all its active actions, one submit
for all rows; and the correction of one report. Writes go through services.py only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronagh.core import permissions as ladder
from ronagh.core.forms import add_service_errors
from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, User
from ronagh.core.permissions import require
from ronagh.core.selectors import visible_agencies
from ronagh.core.templatetags.ronagh import pct
from ronagh.lib import jalali

from .. import permissions, rollup, selectors, services
from ..figures import action_input
from ..forms import CorrectionForm, ReportPickForm, ReportRowForm
from ..models import Action, ProgressReport


@dataclass
class Row:
    """One action on the report screen."""

    action: Action
    form: ReportRowForm
    last: ProgressReport | None  # the latest effective report on or before the report date
    planned: float  # P(a, today)
    overdue: bool
    partner: bool  # the agency partners in the action rather than leading it
    day: dt.date  # the report date chosen on the screen
    errors: list[str] = field(default_factory=list)

    @property
    def reported(self) -> ProgressReport | None:
        """The effective report already sent for the chosen date, if any."""
        return self.last if self.last is not None and self.last.date == self.day else None


def _may_report(user: User) -> bool:
    """Whether the user's role reports at all (which actions: `permissions.may_report`)."""
    return ladder.is_secretariat(user) or ladder.is_agency_user(user)


def _pick(request, user: User, today: dt.date) -> tuple[ReportPickForm, dt.date, Agency | None]:
    """The chosen date (today by default) and agency (the user's own, or the secretariat's
    choice among the agencies it sees)."""
    agencies = visible_agencies(user).order_by("name") if user.is_secretariat else None
    data = request.POST if request.method == "POST" else request.GET
    bound = any(key in data for key in ("date", "agency"))
    if bound and not data.get("date"):
        data = data.copy()
        data["date"] = jalali.format_date(today)
    form = ReportPickForm(
        data if bound else None, agencies=agencies, today=today, initial={"date": today}
    )
    day, agency = today, None if user.is_secretariat else user.agency
    if bound:
        form.is_valid()
        day = form.cleaned_data.get("date") or today
        if user.is_secretariat:
            agency = form.cleaned_data.get("agency")
    return form, day, agency


def _planned_today(action: Action, today: dt.date) -> float:
    milestones = [(m.date, float(m.percent)) for m in action.milestones.all()]
    return rollup.planned(action_input(action, milestones), today)


def _rows(actions, agency: Agency, day: dt.date, today: dt.date, data=None, files=None):
    rows = []
    latest = selectors.latest_effective_by_action([a.pk for a in actions], before=day)
    for action in actions:
        last = latest.get(action.pk)
        last_value = last.percent if last is not None else None
        form = ReportRowForm(
            data,
            files,
            prefix=f"a{action.pk}",
            last=last_value,
            initial={"percent": pct(last_value) if last_value is not None else ""},
        )
        row = Row(
            action=action,
            form=form,
            last=last,
            planned=_planned_today(action, today),
            overdue=action.end is not None and action.end < today,
            partner=action.lead_agency_id != agency.pk,
            day=day,
        )
        rows.append(row)
    return rows


def _screen_url(day: dt.date, agency: Agency | None, user: User) -> str:
    query = {"date": jalali.format_date(day)}
    if user.is_secretariat and agency is not None:
        query["agency"] = agency.pk
    return f"{reverse('plans:daily_report')}?{urlencode(query)}"


@login_required
def daily_report(request):
    """GET: the screen for a date (and, for the secretariat, an agency). POST: every touched
    row at once through services.submit_daily_report, all or nothing."""
    user = request.user
    if not _may_report(user):
        raise PermissionDenied(_("Your role may not report progress."))
    today = timezone.localdate()
    pick, day, agency = _pick(request, user, today)
    deadline = services.reporting_deadline(day)
    window_open = today <= deadline
    page_error, status = None, 200

    actions: list[Action] = []
    if agency is not None:
        actions = list(
            selectors.reportable_actions(agency, today).prefetch_related("milestones", "partners")
        )

    posting = request.method == "POST" and agency is not None and pick.is_valid()
    if posting:
        # Rows are the listed actions; an action id the page never offered is refused unless
        # the agency leads or partners in it (it may have reached 100 % meanwhile).
        listed = {a.pk for a in actions}
        try:
            posted = {int(v) for v in request.POST.getlist("action")}
        except ValueError:
            raise PermissionDenied(_("The form was not sent as the page offered it.")) from None
        extra = posted - listed
        if extra:
            allowed = list(
                Action.objects.filter(pk__in=extra)
                .involving(agency.pk)
                .select_related("plan", "axis", "lead_agency")
                .prefetch_related("milestones", "partners")
            )
            if len(allowed) != len(extra):
                raise PermissionDenied(_("Your agency neither leads nor partners in this action."))
            actions += allowed
        rows = _rows(actions, agency, day, today, request.POST, request.FILES)
    else:
        rows = _rows(actions, agency, day, today) if agency is not None else []

    if request.method == "POST" and not posting:
        status = 400
        page_error = _("Choose a valid date and agency, then send the report again.")
    elif posting:
        valid = all([row.form.is_valid() for row in rows])
        entries = []
        if valid:
            for row in rows:
                entry = row.form.entry()
                if entry is not None:
                    entries.append({"action": row.action, **entry})
        if not valid:
            status = 400
            page_error = _("Some rows need attention; nothing was saved.")
        elif not entries:
            messages.warning(
                request, _("Nothing was sent: enter a new value or press “Unchanged” on a row.")
            )
        else:
            try:
                saved = services.submit_daily_report(
                    actor=user,
                    date=day,
                    entries=entries,
                    agency=agency if user.is_secretariat else None,
                    today=today,
                )
            except ValidationError as exc:
                by_id = {str(row.action.pk): row for row in rows}
                for key, msgs in exc.message_dict.items():
                    if key in by_id:
                        by_id[key].errors = msgs
                    else:
                        page_error = " ".join(msgs)
                status = 400
                page_error = page_error or _("Some rows need attention; nothing was saved.")
            except PermissionDenied as exc:
                status = 403
                page_error = str(exc) or _("You may not send this report.")
            else:
                count = len(saved)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s report saved for %(date)s.",
                        "%(count)s reports saved for %(date)s.",
                        count,
                    )
                    % {"count": local_digits(count), "date": local_date(day)},
                )
                late = sum(1 for r in saved if r.late)
                if late:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)s of them is marked late.",
                            "%(count)s of them are marked late.",
                            late,
                        )
                        % {"count": local_digits(late)},
                    )
                return redirect(_screen_url(day, agency, user))

    context = {
        "pick": pick,
        "day": day,
        "today": today,
        "deadline": deadline,
        "window_open": window_open,
        "agency": agency,
        "rows": rows,
        "reported_count": sum(1 for r in rows if r.reported),
        "page_error": page_error,
        "may_submit": agency is not None and rows and (window_open or user.is_secretariat),
    }
    context["pending_acknowledgements"] = selectors.plans_awaiting_acknowledgement(request.user)
    return render(request, "plans/daily_report.html", context, status=status)


@login_required
def correct_report(request, pk: int):
    """A new value with a mandatory reason that supersedes one report (services.report_progress
    with corrects=…); the report keeps its date."""
    report = get_object_or_404(
        selectors.visible_reports(request.user).select_related(
            "action__plan",
            "action__axis",
            "action__lead_agency",
            "agency",
            "entered_by",
            "corrects",
        ),
        pk=pk,
    )
    action = report.action
    user = request.user
    require(
        permissions.may_correct(user, report),
        _("A report is corrected only by its own agency or by the secretariat."),
    )
    newer = ProgressReport.objects.filter(corrects=report).first()
    form = CorrectionForm(request.POST or None, initial={"percent": pct(report.percent)})
    status = 200
    if request.method == "POST":
        status = 400
        if newer is not None:
            form.add_error(
                None, _("That report has already been corrected; correct the newer one.")
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    actor=user,
                    action=action,
                    date=report.date,
                    percent=data["percent"],
                    note=data.get("note", ""),
                    corrects=report,
                    reason=data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, _("The correction has been saved."))
                return redirect("plans:action", pk=action.pk)
    context = {
        "report": report,
        "action": action,
        "newer": newer,
        "form": form,
        "deadline": services.reporting_deadline(report.date),
    }
    return render(request, "plans/correct_report.html", context, status=status)
