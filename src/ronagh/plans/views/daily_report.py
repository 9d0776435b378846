"""The daily report (SPEC 4.2): one screen per agency with all its active actions, one submit
for all rows; and the correction of one report. Writes go through services.py only."""

from __future__ import annotations

import datetime as dt
import uuid
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

from ronagh.core import idempotency
from ronagh.core import permissions as ladder
from ronagh.core.forms import add_service_errors
from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, User
from ronagh.core.permissions import require
from ronagh.core.selectors import visible_agencies
from ronagh.core.templatetags.ronagh import pct
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal, to_latin
from ronagh.lib.text import normalize

from .. import permissions, rollup, selectors, services
from ..figures import action_input
from ..forms import CorrectionForm, ReportPickForm, ReportRowForm
from ..models import Action, ProgressReport, ReportState


@dataclass(frozen=True)
class Filters:
    """What the screen shows (SPEC 4.2 screen, issue 12): only the actions not reported for the
    date, only those the agency leads, those whose code or title matches a search. Every row is
    on the page; the others are hidden, so a filter never drops a typed value."""

    unreported: bool = False
    lead_only: bool = False
    text: str = ""  # the search as typed

    @classmethod
    def from_data(cls, data) -> Filters:
        return cls(
            unreported=data.get("unreported") == "1",
            lead_only=data.get("lead") == "1",
            text=" ".join(str(data.get("q", "")).split())[:100],
        )

    @property
    def query(self) -> str:
        return normalize(to_latin(self.text))

    def matches(self, row: Row) -> bool:
        if self.unreported and row.reported is not None:
            return False
        if self.lead_only and row.partner:
            return False
        return not self.query or self.query in row.search

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.unreported:
            query["unreported"] = "1"
        if self.lead_only:
            query["lead"] = "1"
        if self.text:
            query["q"] = self.text
        return query

    @property
    def active(self) -> bool:
        return bool(self.as_query())


@dataclass
class Row:
    """One action on the report screen."""

    action: Action
    form: ReportRowForm
    last: ProgressReport | None  # the latest effective report on or before the report date
    planned: float  # P(a, report date)
    overdue: bool
    partner: bool  # the agency partners in the action rather than leading it
    day: dt.date  # the report date chosen on the screen
    pending: ProgressReport | None = None  # a correction of this action awaiting approval
    correction_waits: bool = True  # a correction the user enters here waits for approval
    errors: list[str] = field(default_factory=list)
    matches: bool = True
    first_error: bool = False

    @property
    def reported(self) -> ProgressReport | None:
        """The effective report already sent for the chosen date, if any."""
        return self.last if self.last is not None and self.last.date == self.day else None

    @property
    def search(self) -> str:
        """The code and title as a search matches them (digits Latin, ی/ک, no ZWNJ)."""
        return normalize(to_latin(f"{self.action.code} {self.action.title}"))

    @property
    def has_error(self) -> bool:
        return bool(self.errors or (self.form.is_bound and self.form.errors))

    @property
    def shows_correction(self) -> bool:
        """Offer the correction on the card: the typed value is below the last report."""
        return self.form.decreased or bool(self.form["reason"].value())


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


def _planned_on(action: Action, day: dt.date) -> float:
    milestones = [(m.date, float(m.percent)) for m in action.milestones.all()]
    return rollup.planned(action_input(action, milestones), day)


def _rows(actions, agency: Agency, day: dt.date, today: dt.date, user, data=None, files=None):
    rows = []
    ids = [a.pk for a in actions]
    latest = selectors.latest_effective_by_action(ids, before=day)
    pending = selectors.pending_corrections_by_action(ids)
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
        if last is not None:
            last.action = action
        rows.append(
            Row(
                action=action,
                form=form,
                last=last,
                planned=_planned_on(action, day),
                overdue=action.end is not None and action.end < day,
                partner=action.lead_agency_id != agency.pk,
                day=day,
                pending=pending.get(action.pk),
                correction_waits=last is None or permissions.correction_needs_approval(user, last),
            )
        )
    return rows


def _screen_url(day: dt.date, agency: Agency | None, user: User, filters: Filters) -> str:
    query = {"date": jalali.format_date(day), **filters.as_query()}
    if user.is_secretariat and agency is not None:
        query["agency"] = agency.pk
    return f"{reverse('plans:daily_report')}?{urlencode(query)}"


def _untouched(row: Row) -> bool:
    """Nothing typed on the row: its value is the pre-filled last one (or empty), not confirmed
    unchanged, no note, no file."""
    form = row.form
    value = parse_decimal(form["percent"].value())
    last = form.last
    return (
        not form.confirmed_unchanged
        and (value is None or (last is not None and value == last))
        and not (form["note"].value() or "").strip()
        and not form.files.get(form.add_prefix("evidence"))
    )


def _fingerprint(request) -> str:
    body = {
        k: request.POST.getlist(k)
        for k in request.POST
        if k not in ("csrfmiddlewaretoken", "idempotency_key")
    }
    files = {name: idempotency.file_fingerprint(f) for name, f in request.FILES.items()}
    return idempotency.fingerprint("POST", request.path, body, files)


def _saved_messages(saved: list[ProgressReport], day: dt.date) -> list[list]:
    """The messages a successful submit shows (kept with the idempotency key, so a replay of the
    same submit shows them again)."""
    count = len(saved)
    out = [
        [
            messages.SUCCESS,
            ngettext(
                "%(count)s report saved for %(date)s.",
                "%(count)s reports saved for %(date)s.",
                count,
            )
            % {"count": local_digits(count), "date": local_date(day)},
        ]
    ]
    late = sum(1 for r in saved if r.late)
    if late:
        out.append(
            [
                messages.INFO,
                ngettext(
                    "%(count)s of them is marked late.",
                    "%(count)s of them are marked late.",
                    late,
                )
                % {"count": local_digits(late)},
            ]
        )
    waiting = sum(1 for r in saved if r.needs_approval)
    if waiting:
        out.append(
            [
                messages.INFO,
                ngettext(
                    "%(count)s correction awaits the approval of your agency's manager.",
                    "%(count)s corrections await the approval of your agency's manager.",
                    waiting,
                )
                % {"count": local_digits(waiting)},
            ]
        )
    return out


SCOPE = "web:daily-report"  # the idempotency keys of the screen's submits


def _twin(request, user: User, key: str | None) -> idempotency.Answer | None:
    """The stored answer of a submit with the same key and form, if there is one by now."""
    if key is None:
        return None
    try:
        return idempotency.replay(
            user=user, scope=SCOPE, key=key, fingerprint=_fingerprint(request)
        )
    except idempotency.KeyReused:
        return None


def _replayed(request, answer: idempotency.Answer):
    """The answer of a submit (its first one, for a replay): its messages, and back to the
    screen."""
    for level, text in answer.body["messages"]:
        messages.add_message(request, level, text)
    if answer.replayed:
        messages.info(request, _("This submit had already been received; nothing was saved twice."))
    return redirect(answer.body["url"])


@login_required
def daily_report(request):
    """GET: the screen for a date (and, for the secretariat, an agency). POST: every touched
    row at once through services.submit_daily_report, all or nothing; with the page's
    idempotency key, a submit sent twice (a double tap, a retry after the connection dropped)
    is stored once. POST with `all_unchanged`: the shown rows nobody touched are marked
    unchanged on the page, to be checked and sent (nothing is saved yet)."""
    user = request.user
    if not _may_report(user):
        raise PermissionDenied(_("Your role may not report progress."))
    today = timezone.localdate()
    pick, day, agency = _pick(request, user, today)
    filters = Filters.from_data(request.POST if request.method == "POST" else request.GET)
    deadline = services.reporting_deadline(day)
    window_open = today <= deadline
    page_error, status = None, 200

    actions: list[Action] = []
    if agency is not None:
        actions = list(
            selectors.reportable_actions(agency, day).prefetch_related("milestones", "partners")
        )

    posting = request.method == "POST" and agency is not None and pick.is_valid()
    key = None
    if posting and "all_unchanged" not in request.POST:
        try:
            key = idempotency.clean_key(
                request.headers.get(idempotency.HEADER) or request.POST.get("idempotency_key")
            )
            # A retry of a submit that was stored: its first answer, before the rows are read
            # again (they now hold what it stored).
            done = key and idempotency.replay(
                user=user, scope=SCOPE, key=key, fingerprint=_fingerprint(request)
            )  # KeyReused here: the key came with another form
        except (ValidationError, idempotency.KeyReused) as exc:
            posting, page_error = False, " ".join(getattr(exc, "messages", [str(exc)]))
            status = 422 if isinstance(exc, idempotency.KeyReused) else 400
        else:
            if done:
                return _replayed(request, done)
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
        rows = _rows(actions, agency, day, today, user, request.POST, request.FILES)
    else:
        rows = _rows(actions, agency, day, today, user) if agency is not None else []
    for row in rows:
        row.matches = filters.matches(row)

    if request.method == "POST" and not posting:
        status = status if page_error else 400
        page_error = page_error or _("Choose a valid date and agency, then send the report again.")
    elif posting and "all_unchanged" in request.POST:
        marked = [r for r in rows if r.matches and r.reported is None and _untouched(r)]
        for row in marked:
            row.form.mark_unchanged()
        messages.info(
            request,
            ngettext(
                "%(count)s row is marked unchanged: check it and press “Send report”.",
                "%(count)s rows are marked unchanged: check them and press “Send report”.",
                len(marked),
            )
            % {"count": local_digits(len(marked))},
        )
    elif posting:
        valid = all([row.form.is_valid() for row in rows])
        entries = []
        if valid:
            for row in rows:
                entry = row.form.entry()
                if entry is not None:
                    if "reason" in entry:
                        # A correction replaces what was reported for that day: it keeps the
                        # day of the report it corrects.
                        entry["corrects"], entry["date"] = row.last, row.last.date
                    entries.append({"action": row.action, **entry})
        # A twin of this submit may have been stored while the rows were being read: then they
        # look untouched (or refused) now, and its answer is the one to give.
        done = (not valid or not entries) and _twin(request, user, key)
        if done:
            return _replayed(request, done)
        if not valid:
            status = 400
            page_error = _("Some rows need attention; nothing was saved.")
        elif not entries:
            messages.warning(
                request, _("Nothing was sent: enter a new value or press “Unchanged” on a row.")
            )
        else:

            def save():
                saved = services.submit_daily_report(
                    actor=user,
                    date=day,
                    entries=entries,
                    agency=agency if user.is_secretariat else None,
                    today=today,
                )
                return 302, {
                    "url": _screen_url(day, agency, user, filters),
                    "messages": _saved_messages(saved, day),
                }

            try:
                if key is None:
                    answer = idempotency.Answer(*save(), replayed=False)
                else:
                    answer = idempotency.once(
                        user=user,
                        scope=SCOPE,
                        key=key,
                        fingerprint=_fingerprint(request),
                        run=save,
                    )
            except ValidationError as exc:
                done = _twin(request, user, key)
                if done:
                    return _replayed(request, done)
                by_id = {str(row.action.pk): row for row in rows}
                for key_, msgs in exc.message_dict.items():
                    if key_ in by_id:
                        by_id[key_].errors = msgs
                    else:
                        page_error = " ".join(msgs)
                status = 400
                page_error = page_error or _("Some rows need attention; nothing was saved.")
            except PermissionDenied as exc:
                status = 403
                page_error = str(exc) or _("You may not send this report.")
            except idempotency.KeyReused as exc:
                status = 422
                page_error = str(exc)
            else:
                return _replayed(request, answer)

    first = next((r for r in rows if r.has_error), None)
    if first is not None:
        # Without JavaScript too, the browser opens the page at the first row with a problem.
        first.first_error = True
        first.form.fields["percent"].widget.attrs["autofocus"] = True
    reported = sum(1 for r in rows if r.reported)
    context = {
        "pick": pick,
        "filters": filters,
        "day": day,
        "today": today,
        "deadline": deadline,
        "window_open": window_open,
        "agency": agency,
        "rows": rows,
        "reported_count": reported,
        "left_count": len(rows) - reported,
        "shown_count": sum(1 for r in rows if r.matches),
        "first_error": first,
        "screen_url": _screen_url(day, agency, user, filters),
        "page_error": page_error,
        "may_submit": agency is not None and rows and (window_open or user.is_secretariat),
        # A new key for every page shown: a submit and its retries share it, the next submit
        # (after this page is shown again) gets another.
        "idempotency_key": uuid.uuid4().hex,
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
    # The correction in force or awaiting a decision that already answers this report.
    newer = (
        ProgressReport.objects.filter(corrects=report)
        .with_state()
        .filter(state__in=[ReportState.EFFECTIVE, ReportState.SUPERSEDED, ReportState.PENDING])
        .first()
    )
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
                saved = services.report_progress(
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
                if saved.needs_approval:
                    messages.success(
                        request,
                        _(
                            "The correction has been saved; it counts once your agency's manager "
                            "approves it."
                        ),
                    )
                else:
                    messages.success(request, _("The correction has been saved."))
                return redirect("plans:action", pk=action.pk)
    context = {
        "report": report,
        "action": action,
        "newer": newer,
        "newer_pending": newer is not None and newer.state == ReportState.PENDING,
        "waits": permissions.correction_needs_approval(user, report),
        "form": form,
        "deadline": services.reporting_deadline(report.date),
    }
    return render(request, "plans/correct_report.html", context, status=status)
