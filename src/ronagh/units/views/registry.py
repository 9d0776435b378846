"""The registry with its search and filters, a unit's page (indicators, risk history with its
reasons, cases, permits, jobs), the secretariat's edits, the workbook upload and exports, and
the priority-sector list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ronagh.core.errors import Conflict
from ronagh.core.forms import add_service_errors
from ronagh.core.pages import link, page
from ronagh.core.selectors import visible_counties
from ronagh.core.uploads import check_workbook
from ronagh.core.workbook import WorkbookError
from ronagh.lib import jalali
from ronagh.obstacles.selectors import visible_obstacles

from .. import charts, permissions, selectors, services
from ..forms import (
    FilterForm,
    IndicatorForm,
    JobsForm,
    NewUnitForm,
    PriorityForm,
    UnitForm,
    UploadForm,
)
from ..models import INDICATOR_FIELDS, IndicatorRevision, PrioritySector, ProductionUnit
from ..reasons import feature_labels, reasons
from ..risk import Level
from ..workbook import (
    export_indicators,
    export_units,
    import_indicators,
    import_units,
    indicators_template,
    read_indicators,
    read_units,
    units_template,
)
from .common import user_province, xlsx

PAGE_SIZE = 50


def _filtered(request):
    user = request.user
    units = selectors.visible_units(user)
    form = FilterForm(
        request.GET or None,
        parks=selectors.visible_parks(user),
        counties=visible_counties(user),
        sectors=selectors.sectors_of(units),
    )
    qs = units
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = selectors.filter_units(
            qs,
            q=d["q"],
            park=d["park"],
            county=d["county"],
            sector=d["sector"],
            status=d["status"],
            priority=True if d["priority"] else None,
            risk=d["risk"],
        )
    return form, qs


@require_safe
@login_required
def registry(request):
    form, qs = _filtered(request)
    page_obj = Paginator(qs.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(page_obj.object_list)
    risk = selectors.with_current_risk(ProductionUnit.objects.filter(pk__in=[u.pk for u in units]))
    rows = [(u, risk.get(u.pk)) for u in units]
    query = request.GET.copy()
    query.pop("page", None)
    province = user_province(request.user)
    return page(
        request,
        "units/registry.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "total": qs.count(),
            "query": query.urlencode(),
            "may_edit": permissions.may_edit_units(request.user, province.pk if province else None),
            "reasons_of": {u.pk: reasons(s.contributions, 2) for u, s in rows if s},
        },
    )


@require_safe
@login_required
def export(request):
    _form, qs = _filtered(request)
    if request.GET.get("what") == "indicators":
        rows = selectors.visible_indicators(request.user).filter(unit__in=qs)
        return xlsx(export_indicators(rows), "indicators.xlsx")
    return xlsx(export_units(qs), "units.xlsx")


@require_safe
@login_required
def template(request, kind: str):
    if kind == "indicators":
        return xlsx(indicators_template(), "indicators-template.xlsx")
    return xlsx(units_template(), "units-template.xlsx")


def _months_of(unit: ProductionUnit, indicators, scores):
    months = sorted({r.month for r in indicators} | {s.month for s in scores})
    if not months:
        return []
    first, last = months[0], months[-1]
    n = jalali.months_between(first, last) + 1
    return [jalali.add_months(first, i) for i in range(n)]


def _last_month() -> str:
    return jalali.format_month(jalali.add_months(timezone.localdate(), -1))


def _unit_context(request, unit: ProductionUnit, **forms) -> dict:
    user = request.user
    indicators = list(unit.indicators.order_by("month"))
    scores = list(unit.risk_scores.select_related("model").order_by("month"))
    months = _months_of(unit, indicators, scores)
    by_month = {r.month: r for r in indicators}
    score_by = {s.month: s for s in scores}

    def values(name):
        return [
            (
                None
                if by_month.get(m) is None or getattr(by_month[m], name) is None
                else float(getattr(by_month[m], name))
            )
            for m in months
        ]

    labels = dict(
        (name, str(IndicatorForm.base_fields[name].label)) for name, _a in INDICATOR_FIELDS
    )
    may_enter = permissions.may_enter_indicators(user, unit)
    cases = list(unit.preventive_cases.select_related("obstacle").order_by("-month"))
    case_ids = {c.obstacle_id for c in cases}
    obstacles = [
        o
        for o in visible_obstacles(user).filter(unit=unit).order_by("-registered_at")
        if o.pk not in case_ids
    ]
    history = [{"score": s, "reasons": reasons(s.contributions, 5)} for s in reversed(scores)]
    return {
        "unit": unit,
        "current": scores[-1] if scores else None,
        "current_reasons": reasons(scores[-1].contributions, 5) if scores else [],
        "history": history,
        "indicators": list(reversed(indicators)),
        "labels": labels,
        "revisions": IndicatorRevision.objects.filter(unit=unit).order_by("-month", "-number")[:60],
        "cases": cases,
        "obstacles": obstacles,
        "permits": unit.permits.select_related("issuing_agency").order_by("-filed_on"),
        "jobs": unit.jobs.order_by("-month", "evidence"),
        "may_enter": may_enter,
        "may_edit": permissions.may_edit_units(user, unit.province_id),
        "indicator_form": forms.get("indicator_form")
        or (IndicatorForm(initial={"month": _last_month()}) if may_enter else None),
        "jobs_form": forms.get("jobs_form") or (JobsForm() if may_enter else None),
        "edit_form": forms.get("edit_form")
        or (
            UnitForm(initial=UnitForm.initial_of(unit), province=unit.province)
            if permissions.may_edit_units(user, unit.province_id)
            else None
        ),
        "chart_risk": charts.risk_history(
            months, [score_by[m].score if m in score_by else None for m in months]
        ),
        "chart_activity": charts.indicator_lines(
            months, {labels["utilisation"]: values("utilisation")}, _("Percent")
        ),
        "chart_staff": charts.indicator_lines(
            months, {labels["employees"]: values("employees")}, _("People")
        ),
        "chart_sales": charts.indicator_lines(
            months, {labels["sales"]: values("sales")}, _("Million rial")
        ),
        "chart_arrears": charts.indicator_lines(
            months,
            {labels[n]: values(n) for n in ("tax_overdue", "insurance_overdue", "bank_overdue")},
            _("Months"),
        ),
        "feature_labels": feature_labels(),
        "level_high": Level.HIGH,
    }


@require_safe
@login_required
def detail(request, pk: int):
    unit = get_object_or_404(selectors.visible_units(request.user), pk=pk)
    return page(request, "units/detail.html", _unit_context(request, unit))


@require_POST
@login_required
def enter_indicators(request, pk: int):
    unit = get_object_or_404(selectors.visible_units(request.user), pk=pk)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.enter_indicator(
                actor=request.user,
                unit=unit,
                month=d["month"],
                values={name: d[name] for name, _a in INDICATOR_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The indicators of %(month)s were saved and the risk rescored.")
                % {"month": jalali.format_month(d["month"], persian_digits=True)},
            )
            return redirect("units:detail", pk=unit.pk)
    return page(
        request, "units/detail.html", _unit_context(request, unit, indicator_form=form), status=400
    )


@require_POST
@login_required
def enter_jobs(request, pk: int):
    unit = get_object_or_404(selectors.visible_units(request.user), pk=pk)
    form = JobsForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_jobs(actor=request.user, unit=unit, **d)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The jobs ledger entry was saved."))
            return redirect(reverse("units:detail", args=[unit.pk]) + "#jobs")
    return page(
        request, "units/detail.html", _unit_context(request, unit, jobs_form=form), status=400
    )


def _unit_data(national_id: str, d: dict) -> services.UnitData:
    return services.UnitData(
        national_id=national_id,
        name=d["name"],
        isic=d["isic"],
        sector=d["sector"],
        county=d["county"],
        park=d["park"] or None,
        status=d["status"],
        employees=d["employees"] if d["employees"] is not None else services.KEEP,
        capacity=d["capacity"],
        manager=d["manager"],
        licence_no=d["licence_no"],
        licence_date=d["licence_date"],
        responsible_agency=d["responsible_agency"],
    )


@require_POST
@login_required
def edit(request, pk: int):
    unit = get_object_or_404(selectors.visible_units(request.user), pk=pk)
    form = UnitForm(request.POST, province=unit.province)
    if form.is_valid():
        try:
            services.save_unit(
                actor=request.user,
                province=unit.province,
                data=_unit_data(unit.national_id, form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("units:detail", pk=unit.pk)
    return page(
        request, "units/detail.html", _unit_context(request, unit, edit_form=form), status=400
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request):
    province = user_province(request.user)
    if province is None or not permissions.may_edit_units(request.user, province.pk):
        raise PermissionDenied(_("Only the secretariat of a province may register units."))
    form = NewUnitForm(request.POST or None, province=province, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.save_unit(
                actor=request.user,
                province=province,
                data=_unit_data(form.cleaned_data["national_id"], form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The unit was registered."))
            return redirect("units:detail", pk=unit.pk)
    return page(request, "units/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def upload(request):
    province = user_province(request.user)
    if province is None or not permissions.may_edit_units(request.user, province.pk):
        raise PermissionDenied(_("Only the secretariat of a province may import workbooks."))
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome = None
    problems: list[str] = []
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry = form.cleaned_data["dry_run"]
        try:
            check_workbook(upload)
            upload.seek(0)
            data = upload.read()
            if form.cleaned_data["kind"] == "units":
                parsed = read_units(data)
                warnings = parsed.warnings
                result = import_units(
                    parsed=parsed, province=province, dry_run=dry, actor=request.user
                )
                outcome = (
                    _(
                        "%(created)s units would be created and %(updated)s updated; nothing was saved."
                    )
                    if dry
                    else _("%(created)s units created, %(updated)s updated.")
                ) % {"created": result.created, "updated": result.updated}
            else:
                parsed = read_indicators(data)
                warnings = parsed.warnings
                result = import_indicators(parsed=parsed, dry_run=dry, actor=request.user)
                outcome = (
                    _("%(rows)s unit-months would be stored; nothing was saved.")
                    if dry
                    else _("%(rows)s unit-months stored; %(cases)s preventive cases opened.")
                ) % {"rows": result.rows, "cases": result.cases}
        except WorkbookError as exc:
            problems = [str(e) for e in exc.cell_errors]
        except ValidationError as exc:
            problems = exc.messages
        except (PermissionDenied, Conflict) as exc:
            problems = [str(exc)]
    status = 400 if problems else 200
    return page(
        request,
        "units/upload.html",
        {"form": form, "outcome": outcome, "problems": problems, "warnings": warnings},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def priorities(request):
    province = user_province(request.user)
    if province is None:
        raise PermissionDenied(_("The priority-sector list belongs to a province."))
    may_edit = permissions.may_edit_units(request.user, province.pk)
    rules = PrioritySector.objects.filter(province=province)
    text = "\n".join(f"{r.title} | {r.isic_prefix} | {r.sector}" for r in rules)
    form = PriorityForm(request.POST or None, initial={"entries": text})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the secretariat may edit the priority-sector list."))
        if form.is_valid():
            try:
                services.set_priority_sectors(
                    actor=request.user, province=province, entries=form.rows()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The priority-sector list was saved; every unit's flag was refreshed."),
                )
                return redirect("units:priorities")
    units = selectors.visible_units(request.user).filter(priority=True)
    return page(
        request,
        "units/priorities.html",
        {
            "form": form,
            "rules": rules,
            "may_edit": may_edit,
            "priority_units": units.count(),
            "link": link,
        },
    )
