"""The HQ pages: meetings with their execution rate, a meeting with its agenda, resolutions and
clauses, recording a meeting and its resolutions, the follow-up of a clause (the agencies' page),
the execution rate per meeting, agency and month, the minutes as a PDF, and systemic issues.

Every page starts from the scoping selectors; every write goes through services.py, whose errors
are put back on the form (400) or shown as a message (409-like conflicts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.decorators import secretariat_required
from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.i18n import is_persian as _persian
from ronagh.core.models import Agency
from ronagh.lib import jalali
from ronagh.plans.views.dashboards import resolve_as_of
from ronagh.units.models import ProductionUnit

from . import charts, selectors, services
from .forms import (
    ClauseFields,
    EscalateForm,
    MarkForm,
    MeetingForm,
    OpinionForm,
    ReferForm,
    ResolutionForm,
    SystemicForm,
)
from .models import Article62Case, Clause, Meeting

# --- helpers ------------------------------------------------------------------------------------


def _page(request, template: str, context: dict, status: int = 200):
    context.setdefault("pct_sign", "٪" if _persian() else "%")
    return render(request, template, context, status=status)


def _province_id(user) -> int | None:
    return user.agency.province_id if user.agency_id else user.province_id


def _user_province(request, meeting: Meeting | None = None):
    """The province the secretariat works in: its own, else the meeting's, else the only one
    that has agencies (a national superuser)."""
    from ronagh.core.models import Province

    pid = meeting.province_id if meeting else _province_id(request.user)
    if pid:
        return Province.objects.get(pk=pid)
    return Province.objects.filter(agencies__isnull=False).distinct().order_by("name").first()


def _isolated(code: str) -> str:
    """A code such as 12/3-1 kept left-to-right inside a Persian sentence."""
    return f"\u2066{code}\u2069"


def _agencies(province_id: int):
    return Agency.objects.filter(province_id=province_id).order_by("name")


# --- meetings -----------------------------------------------------------------------------------


@require_safe
@login_required
def meeting_list(request):
    user = request.user
    today = timezone.localdate()
    meetings = list(
        selectors.visible_meetings(user)
        .annotate(n_resolutions=Count("resolutions", distinct=True))
        .order_by("-date", "-number")
    )
    rates = selectors.meeting_rates(meetings, user, today)
    for m in meetings:
        m.rate = rates.get(m.pk)
        m.band = charts.band(m.rate.percent if m.rate else None)
    whole = selectors.execution_rate(user=user, as_of=today)
    context = {
        "meetings": meetings,
        "today": today,
        "total": whole,
        "band": charts.band(whole.percent),
        "overdue": selectors.overdue_clauses(as_of=today, user=user).count(),
        "whole_view": selectors.sees_whole_meetings(user),
    }
    return _page(request, "hq/meeting_list.html", context)


def _standard_attendees() -> str:
    """The provincial working group as SPEC 5 lists it, for a new meeting's attendee lines."""
    return "\n".join(
        [
            _("The governor (chair)"),
            _("Head of the Industry, Mine and Trade Organisation (secretary)"),
            _("Head of the Planning and Budget Organisation"),
            _("Director-general of Cooperatives, Labour and Social Welfare"),
            _("Head of the Agriculture Jihad Organisation"),
            _("Director-general of Tax Affairs"),
            _("Director-general of Social Security"),
            _("Managing director of the Industrial Parks Company"),
            _("Head of the Chamber of Commerce"),
            _("Head of the House of Industry, Mine and Trade"),
        ]
    )


@secretariat_required
def meeting_create(request):
    province = _user_province(request)
    if province is None:
        raise Http404(_("There is no province with agencies yet."))
    obstacles = selectors.open_obstacles(province_id=province.pk)
    initial = {
        "number": selectors.next_meeting_number(province.pk),
        "date": timezone.localdate(),
        "chair": _("The governor"),
        "secretary": _("Head of the Industry, Mine and Trade Organisation"),
        "attendees": _standard_attendees(),
    }
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        agencies=_agencies(province.pk),
        obstacles=obstacles,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.create_meeting(
                    actor=request.user,
                    province=province,
                    date=data["date"],
                    number=data.get("number"),
                    place=data["place"],
                    chair=data["chair"],
                    secretary=data["secretary"],
                    attendees=data["attendees"],
                    agencies=data["agencies"],
                    # The agenda keeps the order of the list on the page.
                    obstacles=[o for o in obstacles if o in set(data["obstacles"])],
                    topics=data["topics"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Meeting %(n)s has been recorded.") % {"n": charts.digits(meeting.number)},
                )
                return redirect("hq:meeting", pk=meeting.pk)
    chosen = {str(v) for v in (form["obstacles"].value() or [])}
    context = {
        "form": form,
        "province": province,
        "obstacles": obstacles,
        "chosen": chosen,
        "today": timezone.localdate(),
    }
    return _page(request, "hq/meeting_form.html", context, status=status)


def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(selectors.visible_meetings(request.user), pk=pk)


def _meeting_context(request, meeting: Meeting) -> dict:
    user = request.user
    today = timezone.localdate()
    resolutions = selectors.meeting_resolutions(user, meeting)
    whole = selectors.sees_whole_meetings(user)
    for r in resolutions:
        for c in r.clause_list:
            c.overdue = c.is_overdue(today)
            c.days_overdue = (today - c.due_date).days if c.overdue else 0
            c.may_mark = services.may_mark(user, c)
            steps = list(c.escalations.all())  # prefetched, oldest first
            c.last_step = steps[-1] if steps else None
    rate = selectors.execution_rate(user=user, as_of=today, meetings=[meeting])
    done, with_clauses = selectors.resolutions_carried_out(meeting) if whole else (None, None)
    return {
        "meeting": meeting,
        "today": today,
        "whole_view": whole,
        "agenda": list(selectors.agenda_of(meeting)) if whole else [],
        "resolutions": resolutions,
        "rate": rate,
        "band": charts.band(rate.percent),
        "carried_out": done,
        "with_clauses": with_clauses,
        "attending": list(meeting.agencies.order_by("name")) if whole else [],
        "held": meeting.date <= today,
    }


@require_safe
@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return _page(request, "hq/meeting_detail.html", _meeting_context(request, meeting))


@require_safe
@login_required
def minutes_pdf(request, pk: int):
    """The minutes of a meeting as a Persian PDF, for the readers of whole meetings."""
    from ronagh.reports.pdf import render_pdf

    meeting = _meeting(request, pk)
    if not selectors.sees_whole_meetings(request.user):
        raise PermissionDenied(_("The minutes are for the secretariat, the governor and auditors."))
    context = _meeting_context(request, meeting)
    context.update(
        {
            "doc_title": _("Minutes of HQ meeting %(n)s") % {"n": charts.digits(meeting.number)},
            "province": meeting.province,
            "as_of": context["today"],
            "is_sample": meeting.is_sample,
        }
    )
    data = render_pdf("hq/minutes_pdf.html", context)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"hq-minutes-{meeting.number}-{jalali.format_date(meeting.date).replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _units_for(meeting: Meeting):
    """The firms a clause may name: the units facing obstacles on the agenda or already answered
    by the meeting, then every unit of the province."""
    return ProductionUnit.objects.filter(province_id=meeting.province_id).order_by("name")


def _resolution_obstacles(meeting: Meeting):
    from ronagh.obstacles.models import Obstacle

    agenda_ids = meeting.agenda.filter(obstacle__isnull=False).values("obstacle_id")
    return (
        Obstacle.objects.filter(province_id=meeting.province_id)
        .filter(Q(pk__in=agenda_ids) | Q(status__in=["registered", "assigned", "in_progress"]))
        .select_related("responsible_agency", "unit")
        .order_by("-severity", "id")
    )


@secretariat_required
def resolution_create(request, pk: int):
    meeting = _meeting(request, pk)
    obstacles = _resolution_obstacles(meeting)
    agenda_ids = set(meeting.agenda.values_list("obstacle_id", flat=True))
    form = ResolutionForm(
        request.POST or None,
        agencies=_agencies(meeting.province_id),
        units=_units_for(meeting),
        obstacles=obstacles,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                resolution = services.add_resolution(
                    actor=request.user,
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    obstacles=form.cleaned_data["obstacles"],
                    clauses=[form.clause_kwargs()],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.error(request, str(exc))
                return redirect("hq:meeting", pk=meeting.pk)
            else:
                messages.success(
                    request,
                    _("Resolution %(code)s has been recorded.")
                    % {"code": _isolated(resolution.code)},
                )
                return redirect(reverse("hq:meeting", args=[meeting.pk]) + f"#r{resolution.pk}")
    chosen = {str(v) for v in (form["obstacles"].value() or [])}
    # The obstacles on the agenda first (a resolution usually answers one of them).
    rows = sorted(obstacles, key=lambda o: o.pk not in agenda_ids)
    context = {
        "meeting": meeting,
        "form": form,
        "obstacle_rows": rows,
        "agenda_ids": agenda_ids,
        "chosen": chosen,
        "today": timezone.localdate(),
        "next_code": f"{meeting.number}/{meeting.resolutions.count() + 1}",
    }
    return _page(request, "hq/resolution_form.html", context, status=status)


@secretariat_required
def clause_create(request, pk: int):
    resolution = get_object_or_404(
        selectors.visible_resolutions(request.user).select_related("meeting"), pk=pk
    )
    meeting = resolution.meeting
    form = ClauseFields(
        request.POST or None, agencies=_agencies(meeting.province_id), units=_units_for(meeting)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                clause = services.add_clause(
                    actor=request.user, resolution=resolution, **form.clause_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Clause %(code)s has been recorded.") % {"code": _isolated(clause.code)},
                )
                return redirect(reverse("hq:meeting", args=[meeting.pk]) + f"#r{resolution.pk}")
    context = {"meeting": meeting, "resolution": resolution, "form": form}
    return _page(request, "hq/clause_form.html", context, status=status)


# --- follow-up of clauses -----------------------------------------------------------------------

CLAUSE_FILTERS = ("open", "overdue", "done", "not_done", "all")


@require_safe
@login_required
def clause_list(request):
    """The follow-up page: an agency's own clauses (everyone's for the readers of everything),
    overdue first."""
    user = request.user
    today = timezone.localdate()
    wanted = request.GET.get("status", "open")
    wanted = wanted if wanted in CLAUSE_FILTERS else "open"
    qs = selectors.visible_clauses(user).select_related("resolution__meeting")
    counts = qs.aggregate(
        open=Count("id", filter=Q(status="open")),
        overdue=Count("id", filter=Q(status="open", due_date__lt=today)),
        done=Count("id", filter=Q(status="done")),
        not_done=Count("id", filter=Q(status="not_done")),
        all=Count("id"),
    )
    agency = None
    agency_param = request.GET.get("agency", "")
    if selectors.sees_whole_meetings(user) and agency_param.isdigit():
        agency = Agency.objects.filter(pk=int(agency_param)).first()
        if agency is not None:
            qs = qs.filter(agency=agency)
    if wanted == "overdue":
        qs = qs.filter(status="open", due_date__lt=today)
    elif wanted != "all":
        qs = qs.filter(status=wanted)
    clauses = list(qs.annotate(n_steps=Count("escalations")).order_by("due_date", "id")[:500])
    for c in clauses:
        c.overdue = c.is_overdue(today)
        c.days_overdue = (today - c.due_date).days if c.overdue else 0
    mine = selectors.execution_rate(user=user, as_of=today)
    agencies = (
        Agency.objects.filter(hq_clauses__in=selectors.visible_clauses(user))
        .distinct()
        .order_by("name")
        if selectors.sees_whole_meetings(user)
        else []
    )
    context = {
        "clauses": clauses,
        "wanted": wanted,
        "counts": counts,
        "today": today,
        "rate": mine,
        "band": charts.band(mine.percent),
        "agency": agency,
        "agencies": agencies,
        "whole_view": selectors.sees_whole_meetings(user),
        "filters": [
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
            ("not_done", _("Not done")),
            ("all", _("All")),
        ],
    }
    return _page(request, "hq/clause_list.html", context)


def _clause_context(request, clause: Clause, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    steps = services.next_steps(clause) if user.is_secretariat else []
    history = list(selectors.clause_history(clause))
    escalations = list(selectors.clause_escalations(clause))
    marks = services.allowed_marks(user=user, clause=clause)
    context = {
        "clause": clause,
        "resolution": clause.resolution,
        "meeting": clause.resolution.meeting,
        "today": today,
        "overdue": clause.is_overdue(today),
        "days_overdue": (today - clause.due_date).days if clause.is_overdue(today) else 0,
        "history": history,
        "escalations": escalations,
        "marks": marks,
        "steps": steps,
        "may_escalate": bool(steps)
        and user.is_secretariat
        and (clause.status == "not_done" or clause.is_overdue(today)),
        "whole_view": selectors.sees_whole_meetings(user),
        "mark_forms": {},
    }
    for status in marks:
        context["mark_forms"][status] = forms.get(f"mark_{status}") or MarkForm(
            initial={"status": status, "on": today}, prefix=status
        )
    context["escalate_form"] = forms.get("escalate") or EscalateForm(
        initial={"on": today}, steps=steps
    )
    context["opinion_form"] = forms.get("opinion") or OpinionForm(initial={"on": today})
    context["bank_step"] = "article_62" in steps
    context["mark_list"] = [(s, context["mark_forms"][s]) for s in marks]
    return context


def _clause(request, pk: int) -> Clause:
    return get_object_or_404(
        selectors.visible_clauses(request.user).select_related(
            "resolution__meeting__province", "agency", "unit"
        ),
        pk=pk,
    )


@login_required
def clause_detail(request, pk: int):
    """A clause with its history and escalation; POST `do=mark|escalate|opinion` acts on it."""
    clause = _clause(request, pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    if request.method != "POST":
        return _page(request, "hq/clause_detail.html", _clause_context(request, clause))

    do = request.POST.get("do", "")
    here = reverse("hq:clause", args=[clause.pk])
    try:
        if do == "mark":
            which = request.POST.get("which", "")
            form = MarkForm(request.POST, prefix=which)
            if not form.is_valid():
                return _clause_invalid(request, clause, **{f"mark_{which}": form})
            data = form.cleaned_data
            try:
                services.mark_clause(
                    actor=request.user,
                    clause=clause,
                    status=data["status"],
                    on=data.get("on"),
                    reason=data.get("reason", ""),
                    note=data.get("note", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _clause_invalid(request, clause, **{f"mark_{data['status']}": form})
            messages.success(
                request,
                _("Clause %(code)s is now “%(status)s”.")
                % {"code": _isolated(clause.code), "status": Clause.Status(data["status"]).label},
            )
        elif do == "escalate":
            form = EscalateForm(request.POST, steps=services.next_steps(clause))
            if not form.is_valid():
                return _clause_invalid(request, clause, escalate=form)
            data = form.cleaned_data
            try:
                step = services.escalate(
                    actor=request.user,
                    clause=clause,
                    step=data["step"],
                    on=data.get("on"),
                    note=data.get("note", ""),
                    facility_amount=data.get("facility_amount"),
                    bank_reasons=data.get("bank_reasons", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _clause_invalid(request, clause, escalate=form)
            messages.success(
                request,
                _("The step “%(step)s” has been recorded.") % {"step": step.get_step_display()},
            )
        elif do == "opinion":
            case = get_object_or_404(
                Article62Case, step__clause=clause, pk=request.POST.get("case")
            )
            form = OpinionForm(request.POST)
            if not form.is_valid():
                return _clause_invalid(request, clause, opinion=form)
            data = form.cleaned_data
            try:
                services.record_board_opinion(
                    actor=request.user,
                    case=case,
                    opinion=data["opinion"],
                    on=data.get("on"),
                    pay_by=data.get("pay_by"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _clause_invalid(request, clause, opinion=form)
            messages.success(request, _("The board's opinion has been recorded."))
        else:
            messages.error(request, _("Nothing to do."))
    except Conflict as exc:
        messages.warning(request, str(exc))
    return redirect(here)


def _clause_invalid(request, clause: Clause, **forms):
    context = _clause_context(request, clause, **forms)
    return _page(request, "hq/clause_detail.html", context, status=400)


# --- execution rate -----------------------------------------------------------------------------


@require_safe
@login_required
def execution_rates(request):
    user = request.user
    as_of = resolve_as_of(request, None)
    result = selectors.execution_rates(user=user, as_of=as_of.date)
    whole = selectors.sees_whole_meetings(user)
    clauses_url = reverse("hq:clauses")
    meeting_rows = [
        {
            "label": _("Meeting %(n)s · %(date)s")
            % {"n": charts.digits(m.number), "date": charts.digits(jalali.format_date(m.date))},
            "url": reverse("hq:meeting", args=[m.pk]),
            "rate": r,
        }
        for m, r in result.meetings
    ]
    firm_label = charts.firm_label()
    agencies = [
        {
            "label": a.name if a else firm_label,
            "url": f"{clauses_url}?status=all&agency={a.pk}" if (a and whole) else "",
            "rate": r,
        }
        for a, r in result.agencies
    ]
    months = [{"label": charts.month_label(m), "rate": r} for m, r in result.months]
    rated_agencies = [(row["label"], row["rate"]) for row in agencies if row["rate"].due]
    rated_meetings = [
        (_("Meeting %(n)s") % {"n": charts.digits(m.number)}, r)
        for m, r in reversed(result.meetings)
        if r.due
    ]
    n = len(rated_agencies)
    agency_chart_size = "s" if n <= 6 else "m" if n <= 14 else "l" if n <= 24 else "xl"
    context = {
        "as_of": as_of,
        "total": result.total,
        "band": charts.band(result.total.percent),
        "meeting_rows": meeting_rows,
        "agencies": agencies,
        "months": months,
        "month_chart": charts.rate_by_month(result.months) if result.months else None,
        "agency_chart": charts.rate_by_label(rated_agencies) if rated_agencies else None,
        "meeting_chart": charts.rate_by_label(rated_meetings) if rated_meetings else None,
        "agency_chart_size": agency_chart_size,
        "whole_view": whole,
        "keep": as_of.query,
    }
    return _page(request, "hq/rates.html", context)


# --- systemic issues ----------------------------------------------------------------------------


@require_safe
@login_required
def systemic_list(request):
    if not selectors.sees_whole_meetings(request.user):
        raise PermissionDenied(
            _("Systemic issues are for the secretariat, the governor and auditors.")
        )
    issues = selectors.with_systemic_figures(selectors.visible_systemic_issues(request.user))
    return _page(request, "hq/systemic_list.html", {"issues": issues})


@secretariat_required
def systemic_create(request):
    province = _user_province(request)
    if province is None:
        raise Http404(_("There is no province with agencies yet."))
    obstacles = selectors.groupable_obstacles(province_id=province.pk)
    category = request.GET.get("category", "")
    if category:
        obstacles = obstacles.filter(category=category)
    form = SystemicForm(request.POST or None, obstacles=obstacles)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                issue = services.group_systemic(
                    actor=request.user,
                    province=province,
                    obstacles=list(data["obstacles"]),
                    title=data["title"],
                    cause=data["cause"],
                    cause_kind=data["cause_kind"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The systemic issue has been recorded."))
                return redirect("hq:systemic", pk=issue.pk)
    from ronagh.obstacles.models import Category

    context = {
        "form": form,
        "obstacles": obstacles,
        "chosen": {str(v) for v in (form["obstacles"].value() or [])},
        "categories": Category.choices,
        "category": category,
    }
    return _page(request, "hq/systemic_form.html", context, status=status)


@login_required
def systemic_detail(request, pk: int):
    issue = get_object_or_404(selectors.visible_systemic_issues(request.user), pk=pk)
    form = ReferForm(request.POST or None, initial={"on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not request.user.is_secretariat:
            raise PermissionDenied(_("Only the secretariat may do this."))
        status = 400
        if form.is_valid():
            try:
                services.refer_systemic(
                    actor=request.user,
                    issue=issue,
                    on=form.cleaned_data.get("on"),
                    reference=form.cleaned_data.get("reference", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.warning(request, str(exc))
                return redirect("hq:systemic", pk=issue.pk)
            else:
                messages.success(request, _("The issue has been referred to the national HQ."))
                return redirect("hq:systemic", pk=issue.pk)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context = {
        "issue": issue,
        "figures": selectors.systemic_figures(issue),
        "obstacles": issue.obstacles.select_related("responsible_agency", "unit").order_by(
            "-severity", "id"
        ),
        "form": form,
    }
    return _page(request, "hq/systemic_detail.html", context, status=status)
