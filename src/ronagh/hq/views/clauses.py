"""The follow-up of the HQ's clauses: an agency's own clauses (everyone's for the readers of
everything), and one clause with its history, its follow-up and its escalation ladder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.models import Agency
from ronagh.core.selectors import visible_agencies

from .. import charts, ladder, permissions, selectors, services
from ..forms import EscalateForm, MarkForm, OpinionForm
from ..models import Article62Case, Clause
from .common import isolated, page

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
    counts = {
        "open": qs.open().count(),
        "overdue": qs.overdue(today).count(),
        "done": qs.filter(status=Clause.Status.DONE).count(),
        "not_done": qs.filter(status=Clause.Status.NOT_DONE).count(),
        "all": qs.count(),
    }
    agency = None
    agency_param = request.GET.get("agency", "")
    if selectors.sees_whole_meetings(user) and agency_param.isdigit():
        agency = visible_agencies(user).filter(pk=int(agency_param)).first()
        if agency is not None:
            qs = qs.filter(agency=agency)
    if wanted == "overdue":
        qs = qs.overdue(today)
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
    return page(request, "hq/clause_list.html", context)


def _clause_context(request, clause: Clause, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    manages = permissions.may_manage(user, clause.resolution.meeting.province_id)
    steps = services.next_steps(clause) if manages else []
    history = list(selectors.clause_history(clause))
    escalations = list(selectors.clause_escalations(clause))
    marks = permissions.allowed_marks(user, clause)
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
        and (clause.status == Clause.Status.NOT_DONE or clause.is_overdue(today)),
        "whole_view": selectors.sees_whole_meetings(user),
        "manages": manages,
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
    context["bank_step"] = ladder.ARTICLE_62 in steps
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
        return page(request, "hq/clause_detail.html", _clause_context(request, clause))

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
                % {"code": isolated(clause.code), "status": Clause.Status(data["status"]).label},
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
    return page(request, "hq/clause_detail.html", context, status=400)
