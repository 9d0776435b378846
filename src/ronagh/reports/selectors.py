"""Reads for the reports: who may run them, on which plans, and which plan a date points to.

The web page and the `ronagh report` command both come through here, so a date is read and a plan
chosen the same way everywhere."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ronagh.core import permissions as ladder
from ronagh.core.i18n import is_persian as _persian
from ronagh.core.i18n import local_digits as _digits
from ronagh.core.models import Province, User
from ronagh.lib import jalali
from ronagh.lib.digits import to_latin
from ronagh.plans import selectors as plan_selectors
from ronagh.plans.models import Plan

KINDS = ("accountability", "brief")
FORMATS = ("pdf", "xlsx")


class ReportError(ValueError):
    """A report cannot be made as asked; the message says why, in the reader's language."""


def may_run_reports(user: User) -> bool:
    """The secretariat, the governor's office and the auditors (SPEC 1); never an agency user,
    since the reports rank and show the evidence of every agency."""
    return ladder.reads_everything(user)


def report_plans(user: User) -> QuerySet[Plan]:
    """The plans the user may run reports on, newest year first."""
    if not may_run_reports(user):
        return Plan.objects.none()
    return plan_selectors.visible_plans(user).order_by("-year", "province__name")


def parse_as_of(text: str | None) -> dt.date:
    """A Jalali date typed in any digits ('1405/09/04', '۱۴۰۵/۰۹/۰۴', '1405-09-04')."""
    raw = (text or "").strip()
    if not raw:
        raise ReportError(_("Give the date the report is as of, like 1405/09/04."))
    try:
        day = jalali.parse(raw)
    except jalali.JalaliDateError:
        raise ReportError(
            _("“%(text)s” is not a valid Jalali date; write it like 1405/09/04.") % {"text": raw}
        ) from None
    if jalali.to_jalali(day).year >= 1700:
        raise ReportError(
            _("“%(text)s” looks like a Gregorian date; write the Jalali date, like 1405/09/04.")
            % {"text": raw}
        )
    return day


def check_as_of(plan: Plan, as_of: dt.date) -> None:
    """A report is as of a day of the plan's year or later (a year-end report may be run after
    the year's end); a day before the year began has nothing to report."""
    first, _last = jalali.year_bounds(plan.year)
    if as_of < first:
        raise ReportError(
            _("%(date)s is before the plan's year %(year)s began.")
            % {"date": _digits(jalali.format_date(as_of)), "year": _digits(plan.year)}
        )


def plan_for(
    *,
    as_of: dt.date,
    province_code: str | None = None,
    plan_id: str | int | None = None,
    plans: QuerySet[Plan] | None = None,
) -> Plan:
    """The plan a report is about: the one asked for by id; else the plan of the as-of date's
    Jalali year in the province (the only province with such a plan when none is named)."""
    plans = Plan.objects.select_related("province") if plans is None else plans
    if plan_id not in (None, ""):
        latin = to_latin(str(plan_id)).strip()
        plan = plans.filter(pk=int(latin)).first() if latin.isdigit() else None
        if plan is None:
            raise ReportError(_("There is no plan %(id)s.") % {"id": _digits(plan_id)})
        return plan
    year = jalali.to_jalali(as_of).year
    if province_code:
        province = Province.objects.filter(code=province_code.strip().lower()).first()
        if province is None:
            raise ReportError(_("Unknown province code “%(code)s”.") % {"code": province_code})
        plans = plans.filter(province=province)
    candidates = list(plans.filter(year=year))
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        codes = ", ".join(sorted(p.province.code for p in candidates))
        raise ReportError(
            _("Several provinces have a plan for %(year)s; name one with --province (%(codes)s).")
            % {"year": _digits(year), "codes": codes}
        )
    years = sorted({p.year for p in plans}, reverse=True)
    if years:
        raise ReportError(
            _("There is no plan for %(year)s; plans exist for: %(years)s.")
            % {
                "year": _digits(year),
                "years": ("، " if _persian() else ", ").join(_digits(y) for y in years),
            }
        )
    raise ReportError(_("There is no plan for %(year)s.") % {"year": _digits(year)})


def default_as_of(plan: Plan, today: dt.date) -> dt.date:
    """Today, kept inside the plan's year (a past plan opens on its last day)."""
    first, last = jalali.year_bounds(plan.year)
    return min(max(today, first), last)
