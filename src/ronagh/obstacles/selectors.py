"""Reads on obstacles: what a user may see, what is overdue, the scorecard's counts, the
governor's summary, and the plain records analytics.py aggregates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from ronagh.core.models import Agency, Province, User
from ronagh.core.scoping import scoped
from ronagh.lib.text import clean_name

from . import analytics
from .models import OPEN, RESOLVED_ON_TIME, Obstacle, Status, Transition, overdue_on


def visible_obstacles(user: User) -> QuerySet[Obstacle]:
    """Obstacles the user may see. Governor, secretariat and auditor: all of their province (all
    provinces for a national user). An agency user: those routed to its agency, and those its own
    users registered (to follow them; it cannot move them unless they are routed to it)."""
    qs = Obstacle.objects.select_related(
        "province", "responsible_agency", "unit", "park", "county", "action", "registered_by"
    )
    return scoped(
        qs,
        user,
        province="province_id",
        agency=("responsible_agency_id", "registered_by_agency_id"),
    )


def transitions_of(obstacle: Obstacle) -> QuerySet[Transition]:
    """The obstacle's history, oldest first."""
    return obstacle.transitions.select_related("by", "from_agency", "to_agency").order_by(
        "at", "id"
    )


def overdue_obstacles(*, today: dt.date) -> QuerySet[Obstacle]:
    """Overdue obstacles (ObstacleQuerySet.overdue) of every province, oldest due first: the
    daily job escalates them."""
    return (
        Obstacle.objects.overdue(today)
        .select_related("province", "responsible_agency", "unit", "park", "county")
        .order_by("due_date", "id")
    )


def bounced_obstacles(*, min_bounces: int = 1) -> QuerySet[Obstacle]:
    """Obstacles routed on from one agency to another at least `min_bounces` times."""
    return (
        Obstacle.objects.bounced(min_bounces)
        .select_related("province", "responsible_agency", "unit", "park", "county")
        .order_by("-bounces", "registered_at")
    )


def obstacle_score_counts(*, agency_ids, as_of: dt.date) -> dict[int, tuple[int, int]]:
    """SPEC 4.4's obstacle component for many agencies in one query: agency id → (resolved on or
    before their due date, due by `as_of`) of the obstacles assigned to it (ObstacleQuerySet.
    due_for_score). The component is 100 · first / second, absent when the second is 0; an
    agency with none is absent from the answer."""
    rows = (
        Obstacle.objects.due_for_score(as_of)
        .filter(responsible_agency_id__in=list(agency_ids))
        .order_by()
        .values("responsible_agency_id")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=RESOLVED_ON_TIME),
        )
    )
    return {r["responsible_agency_id"]: (r["on_time"], r["total"]) for r in rows}


def open_obstacles_summary(*, province: Province, as_of: dt.date, top: int = 5) -> dict:
    """The governor's brief on obstacles of a province registered by `as_of` and still open
    (registered, assigned, in progress):

    {"as_of": date, "open": n, "by_status": {status: n}, "by_severity": {1..4: n},
     "overdue": n, "jobs_affected": n, "amount": rial,
     "oldest_overdue": [{"id", "title", "agency", "severity", "due_date", "days_overdue",
                         "jobs_affected", "amount"}] (at most `top`, the longest overdue first)}

    by_status counts every status (closed ones too) for context; the other figures are of the
    open ones."""
    registered = Obstacle.objects.filter(province=province).registered_by(as_of)
    by_status = {s: 0 for s in Status.values}
    for row in registered.values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    open_qs = registered.open()
    by_severity = {s: 0 for s in (1, 2, 3, 4)}
    for row in open_qs.values("severity").annotate(n=Count("id")):
        by_severity[row["severity"]] = row["n"]
    sums = open_qs.aggregate(jobs=Sum("jobs_affected"), amount=Sum("amount"))
    overdue = open_qs.overdue(as_of).select_related("responsible_agency")
    oldest = [
        {
            "id": o.id,
            "title": o.title,
            "agency": o.responsible_agency.name if o.responsible_agency else "",
            "agency_id": o.responsible_agency_id,
            "severity": o.severity,
            "due_date": o.due_date,
            "days_overdue": (as_of - o.due_date).days,
            "jobs_affected": o.jobs_affected,
            "amount": o.amount,
        }
        for o in overdue.order_by("due_date", "id")[:top]
    ]
    return {
        "as_of": as_of,
        "open": sum(by_status[s] for s in OPEN),
        "by_status": by_status,
        "by_severity": by_severity,
        "overdue": overdue.count(),
        "jobs_affected": sums["jobs"] or 0,
        "amount": sums["amount"] or 0,
        "oldest_overdue": oldest,
    }


def open_and_overdue_by_province(*, user: User, as_of: dt.date) -> dict[int, tuple[int, int]]:
    """province id → (open, overdue) obstacles registered by `as_of` that the user may see, in
    one query (the national view's columns; the counts of `open_obstacles_summary`)."""
    registered = visible_obstacles(user).registered_by(as_of).open().order_by()
    rows = registered.values("province_id").annotate(
        n=Count("id"), late=Count("id", filter=overdue_on(as_of))
    )
    return {r["province_id"]: (r["n"], r["late"]) for r in rows}


def agency_overdue(*, agency: Agency, today: dt.date) -> QuerySet[Obstacle]:
    """An agency's own overdue obstacles (the evidence of an under-performing scorecard)."""
    return overdue_obstacles(today=today).filter(responsible_agency=agency)


def overdue_by_agency(*, agency_ids, today: dt.date) -> dict[int, list[Obstacle]]:
    """The overdue obstacles of many agencies in one query, by agency id."""
    out: dict[int, list[Obstacle]] = {}
    for o in overdue_obstacles(today=today).filter(responsible_agency_id__in=list(agency_ids)):
        out.setdefault(o.responsible_agency_id, []).append(o)
    return out


# --- the data behind analytics -------------------------------------------------------------------


def analytics_records(qs: QuerySet[Obstacle]) -> list[analytics.Record]:
    """The obstacles of a (visible, filtered) queryset as analytics.Record, one query."""
    rows = qs.values(
        "id",
        "category",
        "status",
        "severity",
        "jobs_affected",
        "amount",
        "registered_on",
        "resolved_on",
        "due_date",
        "bounces",
        "sector",
        "unit__sector",
        "responsible_agency__name",
        "park__name",
        "unit__park__name",
        "county__name",
    )
    return [
        analytics.Record(
            category=r["category"],
            status=r["status"],
            severity=r["severity"],
            jobs=r["jobs_affected"],
            amount=r["amount"],
            registered_on=r["registered_on"],
            resolved_on=r["resolved_on"],
            due_date=r["due_date"],
            bounces=r["bounces"],
            agency=r["responsible_agency__name"] or "",
            park=r["park__name"] or r["unit__park__name"] or "",
            sector=r["sector"] or r["unit__sector"] or "",
            county=r["county__name"] or "",
        )
        for r in rows
    ]


def filter_obstacles(
    qs: QuerySet[Obstacle],
    *,
    today: dt.date,
    q: str = "",
    status: str = "",
    category: str = "",
    severity: int | str | None = None,
    agency: Agency | None = None,
    county=None,
    park=None,
    overdue: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Obstacle]:
    """The registry's filters on a visible queryset. `status` is a status or "open"; `q` matches
    the title, description, unit, park or sector after ی/ک and space normalisation; a park
    matches obstacles of the park and of its units."""
    if q:
        words = clean_name(q).split()
        for word in words:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(unit__name__icontains=word)
                | Q(park__name__icontains=word)
                | Q(sector__icontains=word)
                | Q(unit__national_id=word)
            )
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if severity:
        qs = qs.filter(severity=int(severity))
    if agency is not None:
        qs = qs.filter(responsible_agency=agency)
    if county is not None:
        qs = qs.filter(county=county)
    if park is not None:
        qs = qs.filter(Q(park=park) | Q(unit__park=park))
    if overdue:
        qs = qs.overdue(today)
    if since is not None:
        qs = qs.filter(registered_on__gte=since)
    if until is not None:
        qs = qs.filter(registered_on__lte=until)
    return qs
