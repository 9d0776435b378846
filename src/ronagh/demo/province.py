"""The demo province of SPEC 8: Qom, its agencies and users, and a production-boom plan with
daily reports up to today, generated deterministically from a seed.

`build()` is what `ronagh demo` runs; tests call it with a fixed `today` and a smaller `scale`.
Same seed, same today, same year: same plan and same figures.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.models import Agency, Province, User
from ronagh.lib.jalali import current_year, format_date, year_bounds
from ronagh.plans.figures import PlanFigures, figures
from ronagh.plans.models import (
    Acknowledgement,
    Action,
    CorrectionDecision,
    Milestone,
    Plan,
    ProgressReport,
    ReplanRequest,
    Revision,
)
from ronagh.plans.services import communicate_plan
from ronagh.scorecards.services import detect_flags

from . import data
from .hq import build_hq, drop_hq
from .obstacles import build_obstacles, drop_obstacles
from .organisation import DEMO_PASSWORD, ensure_organisation
from .plan import communication_date, generate_reports, plan_specs, save_plan
from .units import build_unit_history, build_units, drop_units

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "DemoError", "DemoSummary", "build", "drop"]

DEFAULT_SEED = 1398


class DemoError(Exception):
    """The demo cannot be built as asked (a message for the person who asked)."""


@dataclass
class DemoSummary:
    plan: Plan
    built: bool  # False: the demo of that year was already there and was kept
    as_of: dt.date
    seconds: float
    counts: dict[str, int]
    users: list[User]
    figures: PlanFigures


# The stages `build` tells its progress callback about (the removal of an earlier demo is one
# more, when there is one).
STAGES = 5


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)


def drop(province: Province | None = None) -> int:
    """Delete the sample plans of the demo province with their reports; returns how many plans.
    The organisation (agencies, users, holidays) stays: a rebuilt demo finds it again."""
    province = province or Province.objects.get(code=data.PROVINCE_CODE)
    # Meetings name obstacles and obstacles name actions: the newest layer goes first.
    drop_hq(province)
    drop_units(province)
    drop_obstacles(province)
    plans = Plan.objects.filter(province=province, is_sample=True)
    reports = ProgressReport.objects.filter(action__plan__in=plans)
    # Append-only records go only as sample data (purge_sample). Reports are protected against
    # deletion by the correction that supersedes them, so the newest link of each chain goes
    # first.
    CorrectionDecision.objects.filter(correction__action__plan__in=plans).purge_sample()
    while reports.exists():
        reports.filter(corrections__isnull=True).purge_sample()
    Revision.objects.filter(action__plan__in=plans).purge_sample()
    ReplanRequest.objects.filter(action__plan__in=plans).delete()
    Acknowledgement.objects.filter(plan__in=plans).purge_sample()
    count = plans.count()
    plans.delete()
    return count


def build(
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    year: int | None = None,
    scale: float = 1.0,
    reset: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Build the demo province in one transaction, or keep the one already there.

    The plan is the Jalali `year`'s (default: the current one), communicated by the secretariat
    ten days into the year; reports run to today or the year's end, whichever is earlier. An
    existing demo plan of the same year is kept unless `reset`; one of another year is replaced.
    `scale` shrinks the plan (0.2 → about 60 actions) for quick tests. Raises DemoError for a year
    that has not begun, or when the province has a real (not sample) plan for that year."""
    started = time.monotonic()
    today = today or timezone.localdate()
    year = year or current_year(today)
    first, last = year_bounds(year)
    if first > today:
        raise DemoError(_("The year %(year)s has not begun yet.") % {"year": year})
    as_of = min(today, last)

    with transaction.atomic():
        _say(progress, _("Organisation: counties, agencies, users and holidays…"))
        org = ensure_organisation(year)
        samples = Plan.objects.filter(province=org.province, is_sample=True)
        kept = samples.filter(year=year).first()
        if kept is not None and not reset:
            return _summary(kept, False, as_of, started, org.users)
        if samples.exists():
            _say(progress, _("Removing the previous demo plan…"))
            drop(org.province)
        if Plan.objects.filter(province=org.province, year=year).exists():
            raise DemoError(
                _("Qom already has a real plan for %(year)s; the demo does not touch it.")
                % {"year": year}
            )

        specs = plan_specs(random.Random(f"{seed}:{year}:plan"), year, scale)
        _say(
            progress,
            _("Plan %(year)s: %(axes)s axes and %(actions)s actions…")
            % {"year": year, "axes": len(data.AXES), "actions": len(specs)},
        )
        plan = save_plan(org=org, year=year, specs=specs)
        communicate_plan(actor=org.secretariat, plan=plan, today=communication_date(year, today))

        _say(progress, _("Daily reports up to %(date)s…") % {"date": format_date(as_of)})
        generate_reports(
            plan=plan, org=org, specs=specs, seed=seed, year=year, as_of=as_of, scale=scale
        )
        detect_flags(plan=plan, as_of=as_of)
        _say(progress, _("Obstacles, industrial parks and production units…"))
        units = build_units(
            province=org.province,
            rnd=random.Random(f"{seed}:{year}:units"),
            today=as_of,
            agencies=org.agencies,
            count=max(60, round(600 * scale)),
        )
        build_obstacles(
            province=org.province,
            plan=plan,
            rnd=random.Random(f"{seed}:{year}:obstacles"),
            today=as_of,
            secretariat=org.secretariat,
            agencies=org.agencies,
            reporters=org.reporters,
            count=max(10, round(200 * scale)),
        )
        _say(progress, _("Monthly indicators, early warning, permits, jobs and events…"))
        build_unit_history(
            province=org.province,
            rnd=random.Random(f"{seed}:{year}:unit-history"),
            today=as_of,
            secretariat=org.secretariat,
            agencies=org.agencies,
            units=units,
        )
        _say(progress, _("Headquarters meetings and resolutions…"))
        build_hq(
            province=org.province,
            rnd=random.Random(f"{seed}:{year}:hq"),
            today=as_of,
            secretariat=org.secretariat,
            agencies=org.agencies,
            reporters=org.reporters,
        )
    plan.refresh_from_db()
    return _summary(plan, True, as_of, started, org.users)


def _summary(
    plan: Plan, built: bool, as_of: dt.date, started: float, users: list[User]
) -> DemoSummary:
    reports = ProgressReport.objects.filter(action__plan=plan)
    counts = {
        "agencies": Agency.objects.filter(province=plan.province).count(),
        "axes": plan.axes.count(),
        "actions": Action.objects.filter(plan=plan).count(),
        "milestones": Milestone.objects.filter(action__plan=plan).count(),
        "reports": reports.count(),
        "corrections": reports.filter(corrects__isnull=False).count(),
        "by_secretariat": reports.filter(entered_by_secretariat=True).count(),
        "users": len(users),
    }
    pf = figures(plan, as_of)
    return DemoSummary(plan, built, as_of, time.monotonic() - started, counts, users, pf)
