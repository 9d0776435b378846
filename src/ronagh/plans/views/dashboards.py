"""The dashboards: the plan on one page, an axis, an agency, an action, and the list of plans.

Every page starts from the scoping selectors, loads a plan once with `selectors.plan_data` and
computes each action's figures once for the as-of date; the rollups, tables and the S-curve reuse
them. Every figure is shown with its as-of date and coverage (SPEC 4.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core.calendar import working_calendar
from ronagh.core.i18n import is_persian as _persian
from ronagh.lib import jalali
from ronagh.lib.digits import to_persian

from .. import charts, rollup, selectors
from ..models import Action, Axis, Plan

WORST_ACTIONS = 10


# --- the as-of date -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AsOf:
    """The date the figures are computed for, and what the reader should be told about it."""

    date: dt.date
    explicit: bool  # typed by the reader (valid), so links keep it
    error: str = ""
    note: str = ""

    @property
    def query(self) -> str:
        """`as_of=…` for links, when the reader chose the date."""
        return urlencode({"as_of": jalali.format_date(self.date)}) if self.explicit else ""

    @property
    def is_future(self) -> bool:
        return self.date > timezone.localdate()


def resolve_as_of(request, plan: Plan | None) -> AsOf:
    """`?as_of=` typed in any digits, Jalali (or ISO); today when missing or not a date. The date
    is kept inside the plan's year, so that a past or future plan opens on a meaningful day."""
    today = timezone.localdate()
    raw = request.GET.get("as_of", "").strip()[:40]
    chosen, error, note = None, "", ""
    if raw:
        try:
            chosen = jalali.parse_any(raw)
        except jalali.JalaliDateError:
            error = _("“%(text)s” is not a valid date; write it like %(example)s.") % {
                "text": raw,
                "example": jalali.format_date(today, persian_digits=_persian()),
            }
    day = chosen or today
    if plan is not None:
        first, last = jalali.year_bounds(plan.year)
        clamped = min(max(day, first), last)
        if chosen is not None and clamped != chosen:
            note = _("%(date)s is outside the plan's year %(year)s.") % {
                "date": jalali.format_date(chosen, persian_digits=_persian()),
                "year": to_persian(plan.year) if _persian() else plan.year,
            }
        day = clamped
    return AsOf(date=day, explicit=chosen is not None, error=error, note=note)


# --- helpers ------------------------------------------------------------------------------------


def _page(request, template: str, context: dict):
    context.setdefault("pct_sign", "٪" if _persian() else "%")
    if request.user.is_agency_user:
        context["pending_acknowledgements"] = selectors.plans_awaiting_acknowledgement(request.user)
    return render(request, template, context)


def _link(url: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _as_of_param(as_of: AsOf) -> str | None:
    return jalali.format_date(as_of.date) if as_of.explicit else None


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
        "gap": _link(url, sort=next_gap, **params) + f"#{anchor}",
        "name": _link(url, **params) + f"#{anchor}",
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
        t = selectors.thresholds()
        if self.gap > t.critical_gap:
            return "critical"
        return "behind" if self.gap > t.behind_gap else ""


@dataclass
class ActionRow:
    action: Action
    fig: rollup.ActionFigures
    started: bool

    @property
    def gap(self) -> float:
        return self.fig.gap

    @property
    def label(self) -> str:
        return self.action.code


def _action_rows(data: selectors.PlanData, ids: Iterable[int], figs, as_of: dt.date) -> list:
    rows = []
    for i in ids:
        a = data.actions[i]
        rows.append(ActionRow(a, figs[i], a.start is not None and as_of >= a.start))
    return rows


def _visible_ids(user, plan: Plan) -> set[int] | None:
    """The plan's actions an agency user may open; None for the readers of everything."""
    if user.sees_everything:
        return None
    return set(selectors.visible_actions(user).filter(plan=plan).values_list("id", flat=True))


def _curve(data: selectors.PlanData, ids: Iterable[int], as_of: dt.date) -> dict:
    inputs = [data.inputs[i] for i in ids]
    points = rollup.curve(inputs, data.weights, selectors.year_dates(data.plan, as_of))
    return charts.s_curve(points, as_of)


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
    data = selectors.plan_data(plan)
    pr = selectors.plan_rollup(data, as_of.date)
    figs = pr.figures
    keep = _as_of_param(as_of)
    visible = _visible_ids(user, plan)

    axis_rows = [
        RollupRow(
            label=ax.title,
            number=ax.number,
            url=_link(reverse("plans:axis", args=[plan.pk, ax.number]), as_of=keep),
            figures=r,
        )
        for ax, r in pr.axes
    ]
    agencies = pr.agencies
    if visible is not None:  # an agency user sees its own agency's row only
        agencies = [(g, r) for g, r in agencies if g.pk == user.agency_id]
    sort = _sort_key(request)
    agency_rows = _sorted(
        [
            RollupRow(
                label=g.name,
                url=_link(reverse("plans:agency", args=[g.pk]), plan=plan.pk, as_of=keep),
                figures=r,
            )
            for g, r in agencies
        ],
        sort,
    )
    here = reverse("plans:plan_dashboard", args=[plan.pk])

    candidates = [i for i in figs if visible is None or i in visible]
    worst_ids = sorted(
        (i for i in candidates if figs[i].gap > 0),
        key=lambda i: (-figs[i].gap, data.actions[i].code),
    )[:WORST_ACTIONS]

    context = {
        "plan": plan,
        "as_of": as_of,
        "keep": as_of.query,
        "total": pr.total,
        "spi": (pr.total.actual / pr.total.planned) if pr.total.planned > 0 else None,
        "unreported": sum(1 for f in figs.values() if f.unreported),
        "axis_rows": axis_rows,
        "agency_rows": agency_rows,
        "agency_sort": _sort_links(here, sort, "agencies", as_of=keep),
        "worst": _action_rows(data, worst_ids, figs, as_of.date),
        "curve_chart": _curve(data, data.inputs.keys(), as_of.date),
        "status_chart": charts.status_counts(pr.total.status_counts),
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
    data = selectors.plan_data(plan)
    figs = data.figures(as_of.date)
    ids = [i for i, a in data.actions.items() if a.axis_id == axis.id]
    total = selectors.subset_rollup(data, ids, as_of.date, figs)
    visible = _visible_ids(user, plan)
    shown = [i for i in ids if visible is None or i in visible]
    sort = _sort_key(request)
    keep = _as_of_param(as_of)
    here = reverse("plans:axis", args=[plan.pk, axis.number])
    context = {
        "plan": plan,
        "axis": axis,
        "as_of": as_of,
        "keep": as_of.query,
        "total": total,
        "spi": (total.actual / total.planned) if total.planned > 0 else None,
        "unreported": sum(1 for i in ids if figs[i].unreported),
        "rows": _sorted(_action_rows(data, shown, figs, as_of.date), sort),
        "sort": _sort_links(here, sort, "actions", as_of=keep),
        "curve_chart": _curve(data, ids, as_of.date),
        "status_chart": charts.status_counts(total.status_counts),
        "agency_scoped": visible is not None and len(shown) < len(ids),
    }
    return _page(request, "plans/axis_dashboard.html", context)


@require_safe
@login_required
def agency_dashboard(request, pk: int):
    user = request.user
    agency = get_object_or_404(selectors.visible_agencies(user), pk=pk)
    plans = selectors.visible_plans(user).filter(province=agency.province_id)
    plan = None
    plan_param = request.GET.get("plan", "")
    if plan_param.isdigit():
        plan = plans.filter(pk=int(plan_param)).first()
    if plan is None:
        current = selectors.current_plan(user, timezone.localdate())
        plan = current if current and current.province_id == agency.province_id else None
        plan = plan or plans.order_by("-year").first()
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

    data = selectors.plan_data(plan)
    figs = data.figures(as_of.date)
    lead_ids = [i for i, a in data.actions.items() if a.lead_agency_id == agency.pk]
    partner_set = set(
        Action.objects.filter(plan=plan, partners=agency).values_list("id", flat=True)
    )
    partner_ids = [i for i in data.actions if i in partner_set and i not in lead_ids]
    total = selectors.subset_rollup(data, lead_ids, as_of.date, figs)
    sort = _sort_key(request)
    keep = _as_of_param(as_of)
    here = reverse("plans:agency", args=[agency.pk])
    context.update(
        {
            "total": total,
            "spi": (total.actual / total.planned) if total.planned > 0 else None,
            "unreported": sum(1 for i in lead_ids if figs[i].unreported),
            # The progress component of the scorecard (SPEC 4.4), from the figures already
            # computed rather than through selectors.agency_scorecard_progress, which would
            # compute the whole plan's figures a second time.
            "scorecard_progress": rollup.scorecard_progress(
                data.items(lead_ids, figs), data.weights
            ),
            "due_count": sum(1 for i in lead_ids if figs[i].planned > 0),
            "lead_rows": _sorted(_action_rows(data, lead_ids, figs, as_of.date), sort),
            "partner_rows": _sorted(_action_rows(data, partner_ids, figs, as_of.date), sort),
            "sort": _sort_links(here, sort, "lead", plan=plan.pk, as_of=keep),
            "partner_sort": _sort_links(here, sort, "partner", plan=plan.pk, as_of=keep),
            "curve_chart": _curve(data, lead_ids, as_of.date) if lead_ids else None,
            "status_chart": charts.status_counts(total.status_counts),
        }
    )
    return _page(request, "plans/agency_dashboard.html", context)


@dataclass
class ReportRow:
    report: object
    superseded: bool
    after_as_of: bool


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
    inp = selectors.action_input(
        action,
        selectors.report_rows([action.id]).get(action.id, []),
        [(m.date, float(m.percent)) for m in milestones],
    )
    fig = rollup.figures(inp, as_of.date, working_calendar(), selectors.thresholds())
    history = list(selectors.action_history(action))
    rows = [
        ReportRow(r, hasattr(r, "corrected_by"), r.date > as_of.date) for r in reversed(history)
    ]
    involved = user.is_agency_user and (
        action.lead_agency_id == user.agency_id
        or action.partners.filter(pk=user.agency_id).exists()
    )
    context = {
        "plan": plan,
        "action": action,
        "partners": action.partners.order_by("name"),
        "milestones": milestones,
        "as_of": as_of,
        "keep": as_of.query,
        "fig": fig,
        "started": action.start is not None and as_of.date >= action.start,
        "reports": rows,
        "can_report": involved and plan.status == Plan.Status.COMMUNICATED,
        "can_correct": involved and plan.status == Plan.Status.COMMUNICATED,
        "history_chart": charts.action_history(inp, as_of.date),
        "duration": (action.end - action.start).days + 1 if action.start and action.end else None,
        "schedule": selectors.schedule_history(action),
    }
    return _page(request, "plans/action_dashboard.html", context)
