"""The national view (SPEC 9): the 31 provinces side by side on any as-of date — planned, actual,
gap, coverage and statuses of each province's plan of that year, its open and overdue obstacles,
and its HQ's execution rate. Computed live, like every other figure: the plans' structure in
three queries and the facts of every action of the country in one statement
(`plans.figures.plans_figures`), the obstacles and clauses in one query each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ronagh.core.models import Province, User
from ronagh.core.selectors import visible_provinces
from ronagh.hq import rates
from ronagh.hq.selectors import rates_by_province
from ronagh.lib.jalali import current_year
from ronagh.lib.text import sort_key
from ronagh.obstacles.selectors import open_and_overdue_by_province
from ronagh.plans import rollup
from ronagh.plans.figures import plans_figures
from ronagh.plans.models import Plan
from ronagh.plans.selectors import visible_plans


@dataclass
class ProvinceRow:
    province: Province
    plan: Plan | None  # its plan of the year, once communicated; None otherwise
    total: rollup.Rollup | None
    obstacles_open: int
    obstacles_overdue: int
    execution: rates.Rate

    @property
    def has_figures(self) -> bool:
        return self.total is not None


@dataclass
class National:
    as_of: dt.date
    year: int
    rows: list[ProvinceRow]  # every province the user may see, in the Persian order of names

    @property
    def with_plan(self) -> list[ProvinceRow]:
        return [r for r in self.rows if r.total is not None]

    def ranked(self) -> list[ProvinceRow]:
        """The provinces with a plan, the furthest behind first (then by name)."""
        return sorted(self.with_plan, key=lambda r: (-r.total.gap, sort_key(r.province.name)))


def national(*, user: User, as_of: dt.date) -> National:
    """Every province the user may see (all 31 for a national viewer) on `as_of`: the figures of
    its plan of that Jalali year (judged plans only: a draft judges no one)."""
    year = current_year(as_of)
    provinces = sorted(visible_provinces(user), key=lambda p: sort_key(p.name))
    plans = {
        p.province_id: p
        for p in visible_plans(user)
        .judged()
        .filter(year=year, province__in=provinces)
        .select_related("province")
    }
    figures = plans_figures(plans.values(), as_of)
    obstacles = open_and_overdue_by_province(user=user, as_of=as_of)
    execution = rates_by_province(user=user, as_of=as_of)
    empty = rates.execution_rate([], as_of)
    rows = []
    for province in provinces:
        plan = plans.get(province.pk)
        opened, overdue = obstacles.get(province.pk, (0, 0))
        rows.append(
            ProvinceRow(
                province=province,
                plan=plan,
                total=figures[plan.pk].total if plan else None,
                obstacles_open=opened,
                obstacles_overdue=overdue,
                execution=execution.get(province.pk, empty),
            )
        )
    return National(as_of=as_of, year=year, rows=rows)
