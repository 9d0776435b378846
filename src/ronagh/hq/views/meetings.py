"""The HQ's meetings: the list with each meeting's execution rate, recording a meeting with its
agenda, a meeting with its resolutions and clauses, the minutes as a Persian PDF, and recording
resolutions and clauses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core import pages
from ronagh.core.decorators import secretariat_required
from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.pdf import render_pdf
from ronagh.core.permissions import require
from ronagh.lib import jalali
from ronagh.obstacles.models import OPEN as OPEN_OBSTACLE
from ronagh.obstacles.models import Obstacle

from .. import charts, permissions, selectors, services
from ..forms import ClauseFields, MeetingForm, ProductionUnit, ResolutionForm
from ..models import Meeting
from .common import agencies_of, isolated, page, user_province


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
    return page(request, "hq/meeting_list.html", context)


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
    province = user_province(request)
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
        agencies=agencies_of(province.pk),
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
    return page(request, "hq/meeting_form.html", context, status=status)


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
            c.may_mark = permissions.may_mark(user, c)
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
        "manages": permissions.may_manage(user, meeting.province_id),
    }


@require_safe
@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return page(request, "hq/meeting_detail.html", _meeting_context(request, meeting))


@require_safe
@login_required
def minutes_pdf(request, pk: int):
    """The minutes of a meeting as a Persian PDF, for the readers of whole meetings."""
    meeting = _meeting(request, pk)
    require(
        permissions.reads_whole_meetings(request.user),
        _("The minutes are for the secretariat, the governor and auditors."),
    )
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
    name = f"hq-minutes-{meeting.number}-{jalali.format_date(meeting.date).replace('/', '-')}.pdf"
    return pages.file_response(
        request, data, content_type="application/pdf", filename=name, inline=True
    )


def _units_for(meeting: Meeting):
    """The firms a clause may name: the units facing obstacles on the agenda or already answered
    by the meeting, then every unit of the province."""
    return ProductionUnit.objects.filter(province_id=meeting.province_id).order_by("name")


def _resolution_obstacles(meeting: Meeting):
    agenda_ids = meeting.agenda.filter(obstacle__isnull=False).values("obstacle_id")
    return (
        Obstacle.objects.filter(province_id=meeting.province_id)
        .filter(Q(pk__in=agenda_ids) | Q(status__in=OPEN_OBSTACLE))
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
        agencies=agencies_of(meeting.province_id),
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
                    % {"code": isolated(resolution.code)},
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
    return page(request, "hq/resolution_form.html", context, status=status)


@secretariat_required
def clause_create(request, pk: int):
    resolution = get_object_or_404(
        selectors.visible_resolutions(request.user).select_related("meeting"), pk=pk
    )
    meeting = resolution.meeting
    form = ClauseFields(
        request.POST or None, agencies=agencies_of(meeting.province_id), units=_units_for(meeting)
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
                    _("Clause %(code)s has been recorded.") % {"code": isolated(clause.code)},
                )
                return redirect(reverse("hq:meeting", args=[meeting.pk]) + f"#r{resolution.pk}")
    context = {"meeting": meeting, "resolution": resolution, "form": form}
    return page(request, "hq/clause_form.html", context, status=status)
