"""Reads on production units: what a user may see (one `scoped` call per model), the registry's
filters, a unit's indicators and risk history, and the figures of the governor's view."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum

from ronagh.core.models import User
from ronagh.core.scoping import scoped
from ronagh.lib.digits import to_latin
from ronagh.lib.text import normalize

from .models import (
    EmploymentTarget,
    IndustrialPark,
    InvestmentEvent,
    JobsEntry,
    PermitApplication,
    ProductionUnit,
    RiskScore,
    UnitIndicator,
)
from .risk import Level

AT_RISK = (Level.MEDIUM.value, Level.HIGH.value)


def visible_units(user: User) -> QuerySet[ProductionUnit]:
    """Units the user may see: the province's for the secretariat, the governor and the auditor
    (every province for a national user); an agency user those its agency is responsible for."""
    qs = ProductionUnit.objects.select_related("province", "county", "park", "responsible_agency")
    return scoped(qs, user, province="province_id", agency="responsible_agency_id")


def visible_parks(user: User) -> QuerySet[IndustrialPark]:
    """Parks are public within the province (their figures count only the visible units)."""
    return scoped(
        IndustrialPark.objects.select_related("county"), user, province="province_id", agency=None
    )


def visible_indicators(user: User) -> QuerySet[UnitIndicator]:
    return scoped(
        UnitIndicator.objects.select_related("unit"),
        user,
        province="unit__province_id",
        agency="unit__responsible_agency_id",
    )


def visible_scores(user: User) -> QuerySet[RiskScore]:
    return scoped(
        RiskScore.objects.all(),
        user,
        province="unit__province_id",
        agency="unit__responsible_agency_id",
    )


def visible_permits(user: User) -> QuerySet[PermitApplication]:
    """Applications: the province's for the readers of everything; an agency user those filed
    with its agency."""
    return scoped(
        PermitApplication.objects.select_related("issuing_agency", "unit", "county", "obstacle"),
        user,
        province="province_id",
        agency="issuing_agency_id",
    )


def visible_events(user: User) -> QuerySet[InvestmentEvent]:
    return scoped(InvestmentEvent.objects.all(), user, province="province_id", agency=None)


def visible_targets(user: User) -> QuerySet[EmploymentTarget]:
    return scoped(
        EmploymentTarget.objects.select_related("county"),
        user,
        province="province_id",
        agency=None,
    )


def visible_jobs(user: User) -> QuerySet[JobsEntry]:
    return scoped(
        JobsEntry.objects.select_related("unit", "unit__county"),
        user,
        province="unit__province_id",
        agency="unit__responsible_agency_id",
    )


# --- the registry --------------------------------------------------------------------------------


def latest_scores(units: QuerySet[ProductionUnit]) -> QuerySet[RiskScore]:
    """Each unit's newest score: its current risk (SPEC 6), explained by its reasons."""
    newest = RiskScore.objects.filter(unit=OuterRef("pk")).order_by("-month").values("pk")[:1]
    return RiskScore.objects.filter(
        pk__in=units.order_by().annotate(s=Subquery(newest)).values("s")
    )


def latest_month(units: QuerySet[ProductionUnit], until: dt.date | None = None) -> dt.date | None:
    """The newest month scored among these units (that began by `until`, when given)."""
    scores = RiskScore.objects.filter(unit__in=units)
    if until is not None:
        scores = scores.filter(month__lte=until)
    return scores.aggregate(m=Max("month"))["m"]


def with_current_risk(units: QuerySet[ProductionUnit]) -> dict[int, RiskScore]:
    """unit id → its current (newest) score; units never scored are absent."""
    return {s.unit_id: s for s in latest_scores(units).order_by()}


def search_units(qs: QuerySet[ProductionUnit], q: str) -> QuerySet[ProductionUnit]:
    """Normalised Persian search (ی/ک, ZWNJ, spaces, any digits) over name, national id, ISIC
    code, sector, manager and licence number; every word must match."""
    for word in normalize(to_latin(q)).split():
        qs = qs.filter(
            Q(name_key__contains=word)
            | Q(national_id__contains=word)
            | Q(isic__startswith=word)
            | Q(sector__icontains=word)
            | Q(manager__icontains=word)
            | Q(licence_no__icontains=word)
        )
    return qs


def filter_units(
    qs: QuerySet[ProductionUnit],
    *,
    q: str = "",
    park=None,
    county=None,
    sector: str = "",
    status: str = "",
    priority: bool | None = None,
    risk: str = "",
) -> QuerySet[ProductionUnit]:
    """The registry's filters (the page and the API): `risk` is the level of the unit's current
    (newest) score; a unit never scored counts as low."""
    if q:
        qs = search_units(qs, q)
    if park is not None:
        qs = qs.filter(park_id=getattr(park, "pk", park))
    if county is not None:
        qs = qs.filter(county_id=getattr(county, "pk", county))
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    if priority is not None:
        qs = qs.filter(priority=priority)
    if risk:
        at_level = latest_scores(qs).filter(level__in=AT_RISK)
        if risk == Level.LOW:
            qs = qs.exclude(pk__in=at_level.values("unit_id"))
        else:
            qs = qs.filter(pk__in=at_level.filter(level=risk).values("unit_id"))
    return qs


def sectors_of(qs: QuerySet[ProductionUnit]) -> list[str]:
    return sorted(s for s in qs.order_by().values_list("sector", flat=True).distinct() if s)


# --- jobs at risk (SPEC 6) -----------------------------------------------------------------------


@dataclass
class Group:
    name: str
    units: int = 0
    jobs: int = 0
    high: int = 0


@dataclass
class JobsAtRisk:
    month: dt.date | None
    units_at_risk: int = 0
    jobs_at_risk: int = 0
    high_units: int = 0
    high_jobs: int = 0
    units_scored: int = 0
    by_sector: list[Group] = field(default_factory=list)
    by_park: list[Group] = field(default_factory=list)
    by_county: list[Group] = field(default_factory=list)
    priority: Group = field(default_factory=lambda: Group(""))


def jobs_at_risk(
    units: QuerySet[ProductionUnit],
    *,
    month: dt.date | None = None,
    no_park: str = "",
    no_county: str = "",
) -> JobsAtRisk:
    """Jobs at risk = the employees of the medium- and high-risk units of `month` (default: the
    newest month scored), by sector, park and county, largest first; `no_park` / `no_county`
    name the groups of units outside any park or county."""
    month = month or latest_month(units)
    out = JobsAtRisk(month=month)
    if month is None:
        return out
    rows = (
        RiskScore.objects.filter(unit__in=units, month=month)
        .order_by()
        .values(
            "level",
            "unit__employees",
            "unit__sector",
            "unit__park__name",
            "unit__county__name",
            "unit__priority",
        )
    )
    groups: dict[str, dict[str, Group]] = {"sector": {}, "park": {}, "county": {}}
    for r in rows:
        out.units_scored += 1
        if r["level"] not in AT_RISK:
            continue
        jobs = r["unit__employees"] or 0
        high = r["level"] == Level.HIGH
        out.units_at_risk += 1
        out.jobs_at_risk += jobs
        out.high_units += high
        out.high_jobs += jobs if high else 0
        keys = {
            "sector": r["unit__sector"] or "",
            "park": r["unit__park__name"] or no_park,
            "county": r["unit__county__name"] or no_county,
        }
        for dim, key in keys.items():
            g = groups[dim].setdefault(key, Group(key))
            g.units += 1
            g.jobs += jobs
            g.high += high
        if r["unit__priority"]:
            out.priority.units += 1
            out.priority.jobs += jobs
            out.priority.high += high

    def ordered(d: dict[str, Group]) -> list[Group]:
        return sorted(d.values(), key=lambda g: (-g.jobs, -g.units, g.name))

    out.by_sector = ordered(groups["sector"])
    out.by_park = ordered(groups["park"])
    out.by_county = ordered(groups["county"])
    return out


def level_counts(units: QuerySet[ProductionUnit]) -> dict[str, int]:
    """Units by the level of their current score (units that are not closed)."""
    counts = dict.fromkeys((v.value for v in Level), 0)
    for r in latest_scores(units.not_closed()).order_by().values("level").annotate(n=Count("id")):
        counts[r["level"]] = r["n"]
    return counts


def park_figures(park: IndustrialPark, units: QuerySet[ProductionUnit]) -> dict:
    """A park's units, idle units, jobs, open obstacles and risk (SPEC 6)."""
    mine = units.filter(park=park)
    sums = mine.aggregate(
        units=Count("id"),
        idle=Count("id", filter=Q(status="idle")),
        closed=Count("id", filter=Q(status="closed")),
        jobs=Sum("employees"),
    )
    return {
        **{k: v or 0 for k, v in sums.items()},
        "levels": level_counts(mine),
    }


def risk_trend(units: QuerySet[ProductionUnit], months: int = 18) -> list[tuple[dt.date, dict]]:
    """(month, {level: units}) for the newest `months` months scored."""
    rows = (
        RiskScore.objects.filter(unit__in=units)
        .order_by()
        .values("month", "level")
        .annotate(n=Count("id"))
    )
    by_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Level, 0))
    for r in rows:
        by_month[r["month"]][Level(r["level"])] = r["n"]
    return sorted(by_month.items())[-months:]


# --- the backtest's data -------------------------------------------------------------------------


def backtest_histories(units: QuerySet[ProductionUnit]):
    """Every unit with indicators as a backtest.UnitHistory over the same months (the first to
    the newest month any of them reported): its reports month by month, and whether it was
    active at the end of each month (its status history). Two queries."""
    from ronagh.lib import jalali

    from .backtest import UnitHistory
    from .models import StatusChange
    from .services.warning import report_of

    rows = list(UnitIndicator.objects.filter(unit__in=units).order_by("unit_id", "month"))
    if not rows:
        return []
    first = min(r.month for r in rows)
    last = max(r.month for r in rows)
    n = jalali.months_between(first, last) + 1
    ends = [jalali.add_months(first, i + 1) - dt.timedelta(days=1) for i in range(n)]
    changes: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for c in StatusChange.objects.filter(unit__in=units).order_by("on", "id"):
        changes[c.unit_id].append((c.on, c.status))
    by_unit: dict[int, list[UnitIndicator]] = defaultdict(list)
    for r in rows:
        by_unit[r.unit_id].append(r)
    out = []
    for unit_id, unit_rows in by_unit.items():
        reports = [None] * n
        for r in unit_rows:
            reports[jalali.months_between(first, r.month)] = report_of(r)
        history = changes.get(unit_id, [])
        active = []
        for end in ends:
            status = "active"
            for on, value in history:
                if on <= end:
                    status = value
            active.append(status == "active")
        out.append(UnitHistory(key=unit_id, reports=reports, active=active))
    return out
