"""Reads of the Facilitation HQ: what a user may see (one scoping rule for every page, endpoint
and the minutes), the data behind the execution rate (computed by rates.py), the overdue clauses
the daily job escalates, and the figures behind a systemic issue.

Scoping: the governor, the secretariat and the auditor see every meeting, resolution, clause and
systemic issue of their province (all provinces for a national user). An agency user sees only
the clauses whose party is its agency, the resolutions and meetings those clauses belong to (not
their other clauses, nor the agenda: other agencies' obstacles are not its business), and no
systemic issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from ronagh.core.models import Agency, User
from ronagh.core.scoping import HIDDEN_FROM_AGENCIES, scoped
from ronagh.obstacles.models import Obstacle
from ronagh.obstacles.models import Status as ObstacleStatus

from . import permissions, rates
from .models import (
    AgendaItem,
    Clause,
    ClauseUpdate,
    EscalationStep,
    Meeting,
    Resolution,
    SystemicIssue,
)

# --- scoping ------------------------------------------------------------------------------------


def sees_whole_meetings(user: User) -> bool:
    """Whether the user reads meetings whole: agenda, every resolution and clause, the minutes."""
    return permissions.reads_whole_meetings(user)


def visible_clauses(user: User) -> QuerySet[Clause]:
    """Clauses the user may see: all of the province for the readers of everything; an agency
    user only those whose party is its agency."""
    qs = Clause.objects.select_related("resolution__meeting", "agency", "unit")
    return scoped(
        qs,
        user,
        province="resolution__meeting__province_id",
        agency=lambda agency_id: Q(party_kind=Clause.Party.AGENCY, agency_id=agency_id),
    )


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings the user may see: all of the province for the readers of everything; for an
    agency user, the meetings that gave its agency a clause."""

    def gave_a_clause(agency_id):
        mine = Clause.objects.of_agency(agency_id).values("resolution__meeting_id")
        return Q(pk__in=mine)

    return scoped(
        Meeting.objects.select_related("province"),
        user,
        province="province_id",
        agency=gave_a_clause,
    )


def visible_resolutions(user: User) -> QuerySet[Resolution]:
    """Resolutions the user may see: for an agency user, those with a clause of its agency."""
    qs = Resolution.objects.select_related("meeting")
    if sees_whole_meetings(user):
        return qs.filter(meeting__in=visible_meetings(user))
    return qs.filter(pk__in=visible_clauses(user).values("resolution_id"))


def visible_systemic_issues(user: User) -> QuerySet[SystemicIssue]:
    """Systemic issues: for the readers of everything only (they gather many agencies' cases)."""
    qs = SystemicIssue.objects.select_related("province", "referred_by")
    return scoped(qs, user, province="province_id", agency=HIDDEN_FROM_AGENCIES)


def meeting_resolutions(user: User, meeting: Meeting) -> list[Resolution]:
    """The meeting's resolutions the user may see, each with `.clause_list` (only the user's
    clauses for an agency user) and `.obstacle_list`, in number order."""
    clauses = visible_clauses(user).filter(resolution__meeting=meeting).order_by("number")
    clauses = clauses.prefetch_related(
        Prefetch("escalations", queryset=EscalationStep.objects.order_by("date", "at", "id"))
    )
    resolutions = (
        visible_resolutions(user)
        .filter(meeting=meeting)
        .order_by("number")
        .prefetch_related(
            Prefetch("clauses", queryset=clauses, to_attr="clause_list"),
            Prefetch(
                "obstacles", queryset=Obstacle.objects.order_by("id"), to_attr="obstacle_list"
            ),
        )
    )
    return list(resolutions)


def agenda_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.select_related("obstacle__responsible_agency", "obstacle__unit")


def clause_history(clause: Clause) -> QuerySet[ClauseUpdate]:
    return clause.updates.select_related("by").order_by("at", "id")


def clause_escalations(clause: Clause) -> QuerySet[EscalationStep]:
    return clause.escalations.select_related("by", "article62").order_by("date", "at", "id")


def open_obstacles(*, province_id: int) -> QuerySet[Obstacle]:
    """The province's open obstacles, the candidates for a meeting's agenda: the gravest and the
    longest overdue first."""
    return (
        Obstacle.objects.filter(province_id=province_id)
        .open()
        .select_related("responsible_agency", "unit", "park")
        .order_by("-severity", "due_date", "id")
    )


def next_meeting_number(province_id: int) -> int:
    last = Meeting.objects.filter(province_id=province_id).order_by("-number").first()
    return last.number + 1 if last else 1


# --- execution rate -----------------------------------------------------------------------------


def clause_input(clause: Clause) -> rates.ClauseInput:
    return rates.ClauseInput(
        due=clause.due_date,
        status=clause.status,
        done_on=clause.done_on,
        not_done_on=clause.not_done_on,
    )


def _inputs(clauses: QuerySet[Clause]) -> list[tuple[dict, rates.ClauseInput]]:
    rows = clauses.values(
        "id",
        "due_date",
        "status",
        "done_on",
        "not_done_on",
        "party_kind",
        "agency_id",
        "resolution__meeting_id",
        "resolution__meeting__province_id",
    )
    return [
        (
            row,
            rates.ClauseInput(
                due=row["due_date"],
                status=row["status"],
                done_on=row["done_on"],
                not_done_on=row["not_done_on"],
            ),
        )
        for row in rows
    ]


def province_clauses(province_id: int) -> QuerySet[Clause]:
    """Every clause of a province's meetings: what its governor and secretariat see whole (the
    weekly brief, made with no user, reads the same)."""
    return Clause.objects.select_related("resolution__meeting", "agency", "unit").filter(
        resolution__meeting__province_id=province_id
    )


def execution_rate(
    *,
    user: User | None = None,
    as_of: dt.date,
    province_id: int | None = None,
    meetings: Iterable[Meeting] | None = None,
    agency: Agency | None = None,
    month: tuple[int, int] | None = None,
) -> rates.Rate:
    """The execution rate (clauses done on time ÷ clauses due, rates.py) of the clauses the user
    may see as of a date — or, with no user, of one province's clauses (`province_id`) — narrowed
    to some meetings, one agency or one Jalali (year, month) of the due date."""
    qs = visible_clauses(user) if user is not None else province_clauses(province_id)
    if user is not None and province_id is not None:
        qs = qs.filter(resolution__meeting__province_id=province_id)
    if meetings is not None:
        qs = qs.filter(resolution__meeting__in=list(meetings))
    if agency is not None:
        qs = qs.of_agency(agency.pk)
    items = [c for _row, c in _inputs(qs)]
    if month is not None:
        items = [c for c in items if rates.month_of(c.due) == tuple(month)]
    return rates.execution_rate(items, as_of)


@dataclass
class RateRow:
    """One row of an execution-rate table: what it is about, where it links, and its Rate."""

    label: str
    rate: rates.Rate
    url: str = ""
    key: object = None
    extra: dict = field(default_factory=dict)


@dataclass
class ExecutionRates:
    as_of: dt.date
    total: rates.Rate
    meetings: list[tuple[Meeting, rates.Rate]]
    agencies: list[tuple[Agency | None, rates.Rate]]  # None: the firms' own commitments
    months: list[tuple[tuple[int, int], rates.Rate]]


def execution_rates(*, user: User, as_of: dt.date) -> ExecutionRates:
    """The HQ's headline figure on a date for everything the user may see: in total, per meeting
    (newest first), per agency (worst first; the firms' own commitments as one row) and per Jalali
    month of the due date (oldest first)."""
    items = _inputs(visible_clauses(user))
    total = rates.execution_rate((c for _r, c in items), as_of)
    by_meeting = rates.rates_by(((r["resolution__meeting_id"], c) for r, c in items), as_of)
    by_agency = rates.rates_by(
        ((r["agency_id"] if r["party_kind"] == "agency" else None, c) for r, c in items), as_of
    )
    by_month = rates.rates_by_month((c for _r, c in items), as_of)
    meetings = {m.pk: m for m in visible_meetings(user).filter(pk__in=list(by_meeting))}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[k for k in by_agency if k])}
    meeting_rows = sorted(
        ((meetings[k], r) for k, r in by_meeting.items() if k in meetings),
        key=lambda mr: (mr[0].date, mr[0].number),
        reverse=True,
    )

    def worst_first(item):
        agency, r = item
        return (r.rate is None, r.rate if r.rate is not None else 0, -r.due, str(agency or ""))

    agency_rows = sorted(
        ((agencies.get(k) if k else None, r) for k, r in by_agency.items()), key=worst_first
    )
    return ExecutionRates(as_of, total, meeting_rows, agency_rows, list(by_month.items()))


def rates_by_province(*, user: User, as_of: dt.date) -> dict[int, rates.Rate]:
    """province id → the execution rate of the clauses of that province the user may see."""
    items = _inputs(visible_clauses(user))
    return rates.rates_by(((r["resolution__meeting__province_id"], c) for r, c in items), as_of)


def meeting_rates(meetings: Iterable[Meeting], user: User, as_of: dt.date) -> dict[int, rates.Rate]:
    """meeting id → execution rate of the clauses of that meeting the user may see."""
    ids = [m.pk for m in meetings]
    qs = visible_clauses(user).filter(resolution__meeting_id__in=ids)
    return rates.rates_by(((r["resolution__meeting_id"], c) for r, c in _inputs(qs)), as_of)


def resolutions_carried_out(meeting: Meeting) -> tuple[int, int]:
    """(resolutions whose every clause is done, resolutions with at least one clause)."""
    rows = meeting.resolutions.annotate(
        n=Count("clauses"), done=Count("clauses", filter=Q(clauses__status=Clause.Status.DONE))
    ).values_list("n", "done")
    with_clauses = [(n, d) for n, d in rows if n]
    return sum(1 for n, d in with_clauses if n == d), len(with_clauses)


def overdue_clauses(*, as_of: dt.date, user: User | None = None) -> QuerySet[Clause]:
    """Open clauses past their due date on `as_of`, longest overdue first (across all provinces
    when no user is given: the daily job's list of clauses to escalate)."""
    qs = (
        visible_clauses(user)
        if user is not None
        else Clause.objects.select_related("resolution__meeting", "agency", "unit")
    )
    return qs.overdue(as_of).order_by("due_date", "id")


def overdue_clauses_by_agency(*, province_id: int, as_of: dt.date, agency_ids) -> dict:
    """agency id → its clauses of the province that were still open past their due date on
    `as_of` (rates.is_overdue: as they stood that day, so a clause done later still counts),
    longest overdue first, in one query (the evidence beside a grade D)."""
    out: dict[int, list[Clause]] = {}
    qs = province_clauses(province_id).filter(
        party_kind=Clause.Party.AGENCY, agency_id__in=list(agency_ids), due_date__lt=as_of
    )
    for clause in qs.order_by("due_date", "id"):
        if rates.is_overdue(clause_input(clause), as_of):
            out.setdefault(clause.agency_id, []).append(clause)
    return out


# --- systemic issues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemicFigures:
    obstacles: int
    firms: int  # distinct production units facing its obstacles
    jobs: int  # jobs affected, summed over its obstacles
    amount: int  # money involved (rial), summed over its obstacles


def systemic_figures(issue: SystemicIssue) -> SystemicFigures:
    """What stands behind a systemic issue: its obstacles, the firms facing them, the jobs
    affected and the money involved."""
    row = issue.obstacles.aggregate(
        n=Count("id"),
        firms=Count("unit", distinct=True),
        jobs=Sum("jobs_affected"),
        amount=Sum("amount"),
    )
    return SystemicFigures(row["n"], row["firms"], row["jobs"] or 0, row["amount"] or 0)


def with_systemic_figures(qs: QuerySet[SystemicIssue]) -> QuerySet[SystemicIssue]:
    """Systemic issues annotated with n_obstacles, n_firms, n_jobs and n_amount."""
    # Sums over a join with a second multi-valued relation would multiply; the obstacles are the
    # only one joined here.
    return qs.annotate(
        n_obstacles=Count("obstacles", distinct=True),
        n_firms=Count("obstacles__unit", distinct=True),
        n_jobs=Sum("obstacles__jobs_affected"),
        n_amount=Sum("obstacles__amount"),
    )


def groupable_obstacles(*, province_id: int) -> QuerySet[Obstacle]:
    """Obstacles the secretariat may group into a new systemic issue: those of the province not
    yet in one and not rejected, by category."""
    return (
        Obstacle.objects.filter(province_id=province_id, systemic_issues__isnull=True)
        .exclude(status=ObstacleStatus.REJECTED)
        .select_related("responsible_agency", "unit")
        .order_by("category", "-severity", "id")
    )
