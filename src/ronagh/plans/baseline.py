"""The baseline (SPEC 4.1, 4.2): the schedule frozen when a plan is communicated, the approved
revisions since, and the plan's figures as communicated — for the year-end report, which judges
every action against both the original baseline and the approved schedule."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from . import rollup
from .figures import PlanData, plan_data
from .models import Action, Plan, ReplanRequest


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def freeze(plan: Plan) -> dict:
    """What communication freezes: every axis's weight and every action's weight, dates and
    milestones, as plain data (the format of Plan.baseline)."""
    return {
        "axes": {str(ax.number): str(ax.weight) for ax in plan.axes.all()},
        "actions": {
            a.code: {
                "weight": str(a.weight),
                "start": a.start.isoformat() if a.start else None,
                "end": a.end.isoformat() if a.end else None,
                "milestones": [[m.date.isoformat(), str(m.percent)] for m in a.milestones.all()],
            }
            for a in plan.actions.prefetch_related("milestones")
        },
    }


def baseline_plan_data(plan: Plan, live: PlanData | None = None) -> PlanData:
    """The plan as it was communicated: the same as `plan_data` (the same actions and reports)
    but with the baseline's axis weights, action weights, dates and milestones, so a report can
    judge every action against the original schedule beside the approved revisions. A plan
    without a baseline (a draft) gives its live data."""
    data = live or plan_data(plan)
    baseline = plan.baseline
    if baseline is None:  # perhaps an object loaded before communication
        baseline = Plan.objects.filter(pk=plan.pk).values_list("baseline", flat=True).first()
    if not baseline:
        return data
    frozen_axes = baseline.get("axes", {})
    axes = []
    for ax in data.axes:
        ax = copy.copy(ax)
        if str(ax.number) in frozen_axes:
            ax.weight = Decimal(frozen_axes[str(ax.number)])
        axes.append(ax)
    frozen_actions = baseline.get("actions", {})
    inputs: dict[int, rollup.ActionInput] = {}
    for i, live in data.inputs.items():
        frozen = frozen_actions.get(data.codes[i])
        if frozen is None:  # not in the baseline (cannot happen through the services)
            inputs[i] = live
            continue
        inputs[i] = replace(
            live,
            weight=float(Decimal(frozen["weight"])),
            start=_day(frozen.get("start")),
            end=_day(frozen.get("end")),
            milestones=tuple((_day(d), float(p)) for d, p in frozen.get("milestones", [])),
        )
    weights = rollup.effective_weights(inputs.values(), {ax.id: float(ax.weight) for ax in axes})
    return PlanData(plan, axes, inputs, data.codes, weights, data.calendar, data.thresholds)


def schedule_changed(a: rollup.ActionInput, b: rollup.ActionInput) -> bool:
    """Whether two schedules of one action differ (dates, weight or milestones)."""
    return (a.start, a.end, a.weight, tuple(a.milestones)) != (
        b.start,
        b.end,
        b.weight,
        tuple(b.milestones),
    )


def action_schedule(action: Action) -> dict:
    """An action's schedule as plain data (the format of Plan.baseline, plus the target)."""
    return {
        "start": action.start.isoformat() if action.start else None,
        "end": action.end.isoformat() if action.end else None,
        "weight": str(action.weight),
        "target": str(action.target) if action.target is not None else None,
        "milestones": [
            [m.date.isoformat(), str(m.percent)] for m in action.milestones.order_by("date")
        ],
    }


def request_schedule(request: ReplanRequest) -> dict:
    """The schedule a re-planning request asks for, in the format of `action_schedule`."""
    return {
        "start": request.new_start.isoformat(),
        "end": request.new_end.isoformat(),
        "weight": str(request.new_weight),
        "target": str(request.new_target) if request.new_target is not None else None,
        "milestones": [list(m) for m in request.new_milestones],
    }


@dataclass(frozen=True)
class Schedule:
    """An action's schedule for display: dates, weight, target and milestones."""

    start: dt.date | None
    end: dt.date | None
    weight: Decimal
    target: Decimal | None
    milestones: tuple[tuple[dt.date, Decimal], ...]

    @property
    def days(self) -> int | None:
        """The duration in calendar days, both ends included."""
        return (self.end - self.start).days + 1 if self.start and self.end else None

    @classmethod
    def from_data(cls, data: dict) -> Schedule:
        target = data.get("target")
        return cls(
            start=_day(data.get("start")),
            end=_day(data.get("end")),
            weight=Decimal(data["weight"]),
            target=Decimal(target) if target is not None else None,
            milestones=tuple((_day(d), Decimal(p)) for d, p in data.get("milestones", [])),
        )


@dataclass
class ScheduleHistory:
    """What the action page shows of re-planning: the schedule communicated in the baseline,
    the live one, every approved revision (oldest first) and the request waiting, if any."""

    baseline: Schedule | None
    current: Schedule
    revisions: list
    pending: ReplanRequest | None
    proposed: Schedule | None = None  # the schedule it asks for

    @property
    def revised(self) -> bool:
        return bool(self.revisions)


def schedule_history(action: Action) -> ScheduleHistory:
    """The original and revised schedules of one action (see ScheduleHistory)."""
    revisions = list(
        action.revisions.select_related("request__requested_by", "request__decided_by")
    )
    frozen = ((action.plan.baseline or {}).get("actions") or {}).get(action.code)
    baseline = None
    if frozen is not None:
        # The baseline keeps no target: the target at communication is the first revision's
        # "before", or the live one while nothing has been revised.
        if revisions:
            target = revisions[0].before.get("target")
        else:
            target = str(action.target) if action.target is not None else None
        baseline = Schedule.from_data({**frozen, "target": target})
    for r in revisions:
        r.before_schedule = Schedule.from_data(r.before)
        r.after_schedule = Schedule.from_data(r.after)
    pending = (
        action.replan_requests.filter(status=ReplanRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    proposed = Schedule.from_data(request_schedule(pending)) if pending else None
    return ScheduleHistory(
        baseline, Schedule.from_data(action_schedule(action)), revisions, pending, proposed
    )
