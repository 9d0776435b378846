"""The dashboards: the plan on one page, an axis, an agency, an action, and the list of plans.

Every page starts from the scoping selectors and asks `figures(plan, as_of)` once: each action's
figures are computed once for the as-of date and every panel — the rollups, the tables, the
S-curve — reads them from that one object. Every figure is shown with its as-of date and coverage
(SPEC 4.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ronagh.core import pages
from ronagh.core.pages import link, resolve_as_of
from ronagh.core.selectors import visible_agencies

from .. import baseline, charts, engine, permissions, rollup, selectors
from ..figures import PlanFigures, action_figures, figures, thresholds
from ..models import Action, Axis, Plan, ReportState

WORST_ACTIONS = 10


# --- helpers ------------------------------------------------------------------------------------


def _page(request, template: str, context: dict):
    if request.user.is_agency_user:
        context["pending_acknowledgements"] = selectors.plans_awaiting_acknowledgement(request.user)
    return pages.page(request, template, context)


SORTS = {"gap", "-gap", "name"}


def _sort_key(request, default: str = "name") -> str:
    key = request.GET.get("sort", default)
    return key if key in SORTS else default


def _sorted(rows: list, sort: str, name=lambda r: r.label) -> list:
    """By gap either way; 'name' keeps the order the rows came in (by name, number or code)."""
    if sort == "gap":
        return sorted(rows, key=lambda r: (r.gap, name(r)))
    if sort == "-gap":
        return sorted(rows, key=lambda r: (-r.gap, name(r)))
    return rows


def _sort_links(url: str, sort: str, anchor: str, **params) -> dict[str, str]:
    """Where each sortable header leads: the first click on 'gap' puts the worst first."""
    next_gap = "gap" if sort == "-gap" else "-gap"
    return {
        "gap": link(url, sort=next_gap, **params) + f"#{anchor}",
        "name": link(url, **params) + f"#{anchor}",
        "current": sort,
    }


@dataclass
class RollupRow:
    label: str
    url: str
    figures: rollup.Rollup
    number: int | None = None

    @property
    def gap(self) -> float:
        return self.figures.gap

    @property
    def tone(self) -> str:
        """'critical' or 'behind' when the set's gap would give an action that status."""
        status = rollup.gap_status(self.gap, thresholds())
        return "" if status == rollup.Status.ON_TRACK else str(status)


@dataclass
class ActionRow:
    action: Action
    fig: rollup.ActionFigures
    started: bool
    forecast: dt.date | None = None

    @property
    def gap(self) -> float:
        return self.fig.gap

    @property
    def label(self) -> str:
        return self.action.code


def _action_rows(pf: PlanFigures, ids: Iterable[int]) -> list:
    ids = list(ids)
    forecasts = pf.forecasts(ids)
    rows = []
    for i in ids:
        a = pf.data.actions[i]
        started = a.start is not None and pf.as_of >= a.start
        rows.append(ActionRow(a, pf.actions[i], started, forecasts[i]))
    return rows


def _visible_ids(user, plan: Plan) -> set[int] | None:
    """The plan's actions an agency user may open; None for the readers of everything."""
    if user.sees_everything:
        return None
    return set(selectors.visible_actions(user).filter(plan=plan).values_list("id", flat=True))


def _curve(pf: PlanFigures, ids: Iterable[int] | None = None) -> dict:
    return charts.s_curve(pf.curve(ids), pf.as_of)


# --- pages --------------------------------------------------------------------------------------


@require_safe
@login_required
def plan_list(request):
    plans = selectors.visible_plans(request.user).order_by("-year", "province__name")
    return _page(request, "plans/plan_list.html", {"plans": plans})


@require_safe
@login_required
def dashboard_current(request):
    plan = selectors.current_plan(request.user, timezone.localdate())
    if plan is None:
        return redirect("plans:plan_list")
    return redirect("plans:plan_dashboard", pk=plan.pk)


@require_safe
@login_required
def plan_dashboard(request, pk: int):
    user = request.user
    plan = get_object_or_404(selectors.visible_plans(user), pk=pk)
    as_of = resolve_as_of(request, plan)
    pf = figures(plan, as_of.date)
    figs = pf.actions
    keep = as_of.param
    visible = _visible_ids(user, plan)

    axis_rows = [
        RollupRow(
            label=ax.title,
            number=ax.number,
            url=link(reverse("plans:axis", args=[plan.pk, ax.number]), as_of=keep),
            figures=r,
        )
        for ax, r in pf.axes
    ]
    agencies = pf.agencies
    if visible is not None:  # an agency user sees its own agency's row only
        mine = set(visible_agencies(user).values_list("pk", flat=True))
        agencies = [(g, r) for g, r in agencies if g.pk in mine]
    sort = _sort_key(request)
    agency_rows = _sorted(
        [
            RollupRow(
                label=g.name,
                url=link(reverse("plans:agency", args=[g.pk]), plan=plan.pk, as_of=keep),
                figures=r,
            )
            for g, r in agencies
        ],
        sort,
    )
    here = reverse("plans:plan_dashboard", args=[plan.pk])

    candidates = [i for i in figs if visible is None or i in visible]
    worst_ids = pf.worst(WORST_ACTIONS, candidates)

    context = {
        "plan": plan,
        "as_of": as_of,
        "keep": as_of.query,
        "total": pf.total,
        "spi": pf.total.spi,
        "unreported": sum(1 for f in figs.values() if f.unreported),
        "axis_rows": axis_rows,
        "agency_rows": agency_rows,
        "agency_sort": _sort_links(here, sort, "agencies", as_of=keep),
        "worst": _action_rows(pf, worst_ids),
        "curve_chart": _curve(pf),
        "status_chart": charts.status_counts(pf.total.status_counts),
        "agency_scoped": visible is not None,
    }
    return _page(request, "plans/plan_dashboard.html", context)


@require_safe
@login_required
def axis_dashboard(request, pk: int, number: int):
    user = request.user
    plan = get_object_or_404(selectors.visible_plans(user), pk=pk)
    axis = get_object_or_404(Axis, plan=plan, number=number)
    as_of = resolve_as_of(request, plan)
    pf = figures(plan, as_of.date)
    figs = pf.actions
    ids = pf.data.axis_ids(axis.id)
    total = pf.of(ids)
    visible = _visible_ids(user, plan)
    shown = [i for i in ids if visible is None or i in visible]
    sort = _sort_key(request)
    keep = as_of.param
    here = reverse("plans:axis", args=[plan.pk, axis.number])
    context = {
        "plan": plan,
        "axis": axis,
        "as_of": as_of,
        "keep": as_of.query,
        "total": total,
        "spi": total.spi,
        "unreported": sum(1 for i in ids if figs[i].unreported),
        "rows": _sorted(_action_rows(pf, shown), sort),
        "sort": _sort_links(here, sort, "actions", as_of=keep),
        "curve_chart": _curve(pf, ids),
        "status_chart": charts.status_counts(total.status_counts),
        "agency_scoped": visible is not None and len(shown) < len(ids),
    }
    return _page(request, "plans/axis_dashboard.html", context)


@require_safe
@login_required
def agency_dashboard(request, pk: int):
    user = request.user
    agency = get_object_or_404(visible_agencies(user), pk=pk)
    plans = selectors.visible_plans(user).filter(province=agency.province_id)
    chosen, _raw, _error = pages.parse_as_of(request)
    plan = selectors.plan_for_agency(
        user, agency, request.GET.get("plan", ""), chosen or timezone.localdate()
    )
    as_of = resolve_as_of(request, plan)
    context = {
        "agency": agency,
        "plan": plan,
        "plans": plans.order_by("-year"),
        "as_of": as_of,
        "keep": as_of.query,
    }
    if plan is None:
        return _page(request, "plans/agency_dashboard.html", context)

    pf = figures(plan, as_of.date)
    figs = pf.actions
    lead_ids = pf.data.lead_ids(agency.pk)
    partner_set = set(
        Action.objects.filter(plan=plan, partners=agency).values_list("id", flat=True)
    )
    partner_ids = [i for i in pf.data.inputs if i in partner_set and i not in lead_ids]
    total = pf.of(lead_ids)
    sort = _sort_key(request)
    keep = as_of.param
    here = reverse("plans:agency", args=[agency.pk])
    context.update(
        {
            "total": total,
            "spi": total.spi,
            "unreported": sum(1 for i in lead_ids if figs[i].unreported),
            "scorecard_progress": pf.scorecard_progress(agency.pk),
            "due_count": sum(1 for i in lead_ids if figs[i].planned > 0),
            "lead_rows": _sorted(_action_rows(pf, lead_ids), sort),
            "partner_rows": _sorted(_action_rows(pf, partner_ids), sort),
            "sort": _sort_links(here, sort, "lead", plan=plan.pk, as_of=keep),
            "partner_sort": _sort_links(here, sort, "partner", plan=plan.pk, as_of=keep),
            "curve_chart": _curve(pf, lead_ids) if lead_ids else None,
            "status_chart": charts.status_counts(total.status_counts),
        }
    )
    return _page(request, "plans/agency_dashboard.html", context)


@dataclass
class ReportRow:
    report: object  # annotated with its `state` (ReportState)
    after_as_of: bool
    may_correct: bool = False
    may_decide: bool = False

    @property
    def superseded(self) -> bool:
        return self.report.state == ReportState.SUPERSEDED

    @property
    def pending(self) -> bool:
        return self.report.state == ReportState.PENDING

    @property
    def rejected(self) -> bool:
        return self.report.state == ReportState.REJECTED

    @property
    def counts(self) -> bool:
        return self.report.state == ReportState.EFFECTIVE


@require_safe
@login_required
def action_dashboard(request, pk: int):
    user = request.user
    action = get_object_or_404(
        selectors.visible_actions(user).select_related("plan__province", "axis", "lead_agency"),
        pk=pk,
    )
    plan = action.plan
    as_of = resolve_as_of(request, plan)
    milestones = list(action.milestones.order_by("date"))
    inp, fig, forecast = action_figures(action, as_of.date)
    steps = engine.history([action.id], max(as_of.date, action.end or as_of.date))[action.id]
    history = list(selectors.action_history(action))
    rows = [ReportRow(r, r.date > as_of.date) for r in reversed(history)]
    pending_of = {r.corrects_id for r in history if r.state == ReportState.PENDING}
    for row in rows:
        row.may_correct = (
            row.counts
            and row.report.pk not in pending_of
            and permissions.may_correct(user, row.report)
        )
        row.may_decide = row.pending and permissions.may_decide_correction(user, row.report)
    reporting = permissions.may_report(user, action) and plan.is_communicated
    context = {
        "plan": plan,
        "action": action,
        "partners": action.partners.order_by("name"),
        "milestones": milestones,
        "as_of": as_of,
        "keep": as_of.query,
        "fig": fig,
        "forecast": forecast,
        "started": action.start is not None and as_of.date >= action.start,
        "reports": rows,
        "pending": [row.report for row in rows if row.pending],
        "may_decide_any": any(row.may_decide for row in rows),
        "can_report": reporting and user.is_agency_user,
        "can_correct": reporting,
        "history_chart": charts.action_history(replace(inp, reports=tuple(steps)), as_of.date),
        "duration": (action.end - action.start).days + 1 if action.start and action.end else None,
        "schedule": baseline.schedule_history(action),
        "may_replan": permissions.may_request_replan(user, action),
    }
    return _page(request, "plans/action_dashboard.html", context)
