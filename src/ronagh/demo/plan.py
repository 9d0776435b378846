"""The demo plan (27 axes, about 300 actions) and its daily reports up to the as-of date.

The plan is built and communicated through plans.services, the one write path. The reports are
too many for that path (tens of thousands, each a handful of queries), so they are generated here
by the same rules report_progress enforces and written with bulk_create; a few of today's reports
still go through report_progress to prove the path. The rules kept by construction:

- a report is dated on or after communication, never after the day it is entered, and the
  percent is 0–100 with one decimal at most;
- a reporter enters day D by D's reporting deadline (SPEC 4.2); what is entered later is entered
  by the secretariat and marked late and entered_by_secretariat;
- the effective reports of an action never go down in date order; the only decreases are
  corrections, which point at the report they supersede and carry a reason, and a report is
  corrected once at most;
- the report is entered by a reporter of the action's lead agency (or the secretariat);
- an action that reached 100 % takes no more reports;
- a reporter's correction is approved by the agency's manager (the secretariat where the agency
  has none) within the hour, and a few of today's corrections still await a decision;
- reports come by the web screen or by Bale, the secretariat's by its own channel.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ronagh.core.calendar import working_calendar
from ronagh.core.models import User
from ronagh.lib.digits import to_persian
from ronagh.lib.jalali import year_bounds
from ronagh.lib.workdays import Calendar
from ronagh.plans import rollup, services
from ronagh.plans.models import Action, Channel, CorrectionDecision, Plan, ProgressReport

from . import data
from .organisation import Organisation

ACTIONS_PER_SCALE = 300
COMMUNICATION_DAY = 9  # days after the first of Farvardin
FIRST_START_DAY = 14  # actions start after Nowruz and after communication

# --- the plan ------------------------------------------------------------------------------------


@dataclass
class ActionSpec:
    axis: int  # index in data.AXES
    code: str
    title: str
    lead: str
    partners: list[str]
    weight: int
    start: dt.date
    end: dt.date
    indicator: str
    unit: str
    target: int | None
    specific: bool  # written by hand rather than from a template
    milestones: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _axis_counts(rng: random.Random, scale: float) -> list[int]:
    """How many actions each axis gets: 8–14 at full size, summing to 300 · scale."""
    n_axes = len(data.AXES)
    total = max(n_axes, round(ACTIONS_PER_SCALE * scale))
    counts = [rng.randint(8, 14) for _ in data.AXES]
    if scale != 1:
        counts = [max(1, round(c * total / sum(counts))) for c in counts]
    low, high = (8, 14) if scale == 1 else (1, 30)
    while sum(counts) > total:
        i = rng.randrange(n_axes)
        if counts[i] > low:
            counts[i] -= 1
    while sum(counts) < total:
        i = rng.randrange(n_axes)
        if counts[i] < high:
            counts[i] += 1
    return counts


def _dates(rng: random.Random, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """30–300 days: a third run most of the year, a third are shorter tasks of the first half,
    the rest start in the second half."""
    r = rng.random()
    if r < 0.33:
        offset, days = rng.randint(FIRST_START_DAY, 60), rng.randint(220, 300)
    elif r < 0.66:
        offset, days = rng.randint(FIRST_START_DAY, 120), rng.randint(45, 200)
    elif r < 0.86:
        offset, days = rng.randint(120, 240), rng.randint(30, 200)
    else:
        offset, days = rng.randint(240, 300), rng.randint(30, 120)
    start = first + dt.timedelta(days=offset)
    return start, start + dt.timedelta(days=max(30, min(days, (last - start).days)))


def _milestones(rng: random.Random, start: dt.date, end: dt.date) -> list[tuple[dt.date, float]]:
    """One to three milestones on a curve between linear and S-shaped, in steps of 5 %."""
    days = (end - start).days
    count = 1 if days <= 150 else 2 if days <= 240 else 3
    bend = rng.random()
    out, last_pct = [], 0.0
    for i in range(1, count + 1):
        f = i / (count + 1)
        day = round(days * f) + rng.randint(-5, 5)
        pct = 100 * ((1 - bend) * f + bend * (3 * f * f - 2 * f**3))
        pct = min(95.0, max(last_pct + 5, 5 * round(pct / 5)))
        out.append((start + dt.timedelta(days=day), pct))
        last_pct = pct
    return out


def plan_specs(rng: random.Random, year: int, scale: float) -> list[ActionSpec]:
    """Every action of the demo plan, in axis and code order, before it is saved."""
    first, last = year_bounds(year)
    specs: list[ActionSpec] = []
    for i, (axis, count) in enumerate(zip(data.AXES, _axis_counts(rng, scale), strict=True)):
        generic = [(t, s) for s in axis.subjects for t in data.TEMPLATES]
        rng.shuffle(generic)
        if count <= len(axis.actions):
            keep = sorted(rng.sample(range(len(axis.actions)), count))
            chosen = [(axis.actions[k], None) for k in keep]
        else:
            chosen = [(a, None) for a in axis.actions] + generic[: count - len(axis.actions)]
        for n, (text, subject) in enumerate(chosen, start=1):
            lead = text.lead or rng.choices(axis.leads, weights=[3, 2, 1, 1][: len(axis.leads)])[0]
            pool = [c for c in axis.leads + axis.partners if c != lead]
            k = rng.choices([0, 1, 2, 3], weights=[20, 35, 30, 15])[0]
            start, end = _dates(rng, first, last)
            lo, hi = text.target
            specs.append(
                ActionSpec(
                    axis=i,
                    code=f"{i + 1:02d}-{n:02d}",
                    title=text.title.format(s=subject) if subject else text.title,
                    lead=lead,
                    partners=rng.sample(pool, min(k, len(pool))),
                    weight=rng.choices([1, 2, 3], weights=[50, 35, 15])[0],
                    start=start,
                    end=end,
                    indicator=text.indicator,
                    unit=text.unit,
                    target=rng.randint(lo, hi),
                    specific=subject is None,
                )
            )
    _involve_every_agency(rng, specs)
    # Most long actions get milestones; some are left without, and a couple of generic actions
    # without an indicator, so that the quality check has warnings to show (none blocking).
    long = [s for s in specs if s.days > 90]
    bare = set(rng.sample(range(len(long)), max(1, round(0.1 * len(long))))) if long else set()
    for j, spec in enumerate(long):
        if j not in bare:
            spec.milestones = _milestones(rng, spec.start, spec.end)
    generic = [s for s in specs if not s.specific] or specs
    for spec in rng.sample(generic, min(len(generic), 2 if scale >= 0.5 else 1)):
        spec.indicator, spec.unit, spec.target = "", "", None
    return specs


def _involve_every_agency(rng: random.Random, specs: list[ActionSpec]) -> None:
    """Every agency leads an action where the plan is big enough, and takes part in one at least,
    so that the quality check does not report idle agencies."""
    leads = Counter(s.lead for s in specs)
    for item in data.AGENCIES:
        code = item.code
        if leads[code]:
            continue
        related = [s for s in specs if code in data.AXES[s.axis].leads + data.AXES[s.axis].partners]
        movable = [s for s in related if leads[s.lead] >= 3]
        if movable:
            spec = rng.choice(movable)
            leads[spec.lead] -= 1
            leads[code] += 1
            spec.lead = code
            spec.partners = [p for p in spec.partners if p != code]
        elif not any(code in s.partners for s in specs):
            spec = rng.choice(related or specs)
            if code != spec.lead:
                spec.partners.append(code)


def save_plan(*, org: Organisation, year: int, specs: list[ActionSpec]) -> Plan:
    """The draft plan, its axes and actions, through plans.services as the secretariat."""
    actor = org.secretariat
    plan = services.create_plan(
        actor=actor,
        province=org.province,
        year=year,
        title=data.plan_title(to_persian(year)),
        is_sample=True,
    )
    axes = [
        services.save_axis(actor=actor, plan=plan, number=i + 1, title=a.title, weight=a.weight)
        for i, a in enumerate(data.AXES)
    ]
    for spec in specs:
        services.save_action(
            actor=actor,
            plan=plan,
            axis=axes[spec.axis],
            code=spec.code,
            title=spec.title,
            lead_agency=org.agencies[spec.lead],
            partners=[org.agencies[c] for c in spec.partners],
            weight=spec.weight,
            start=spec.start,
            end=spec.end,
            indicator=spec.indicator,
            target=spec.target,
            unit=spec.unit,
            milestones=spec.milestones,
        )
    return plan


def communication_date(year: int, today: dt.date) -> dt.date:
    first, _ = year_bounds(year)
    return min(first + dt.timedelta(days=COMMUNICATION_DAY), today)


# --- the reports ---------------------------------------------------------------------------------

PROFILES = ("diligent", "late", "stalling")

# Per profile: chance to report on a working day, and the lag (working days) of the entry.
REPORTING = {
    "diligent": (0.96, {0: 85, 1: 15}),
    "late": (0.4, {0: 40, 1: 30, 2: 20, 3: 10}),
    "stalling": (0.8, {0: 70, 1: 30}),
}
# Per profile: how its actions tend to go.
SCENARIO_WEIGHTS = {
    "diligent": {"steady": 60, "ahead": 15, "slow": 17, "critical": 5, "stalled": 3},
    "late": {"steady": 15, "slow": 35, "critical": 30, "overdue": 15, "stalled": 5},
    "stalling": {"steady": 25, "slow": 20, "critical": 10, "stalled": 35, "overdue": 10},
}
# Per scenario: actual/planned factor until the end, then daily gain (points) after it.
PACE = {
    "steady": ((0.97, 1.06), (1.0, 3.0)),
    "ahead": ((1.15, 1.35), (2.0, 4.0)),
    "slow": ((0.78, 0.9), (0.3, 0.8)),
    "critical": ((0.45, 0.65), (0.2, 0.5)),
    "stalled": ((0.85, 1.0), (0.3, 0.8)),
    "overdue": ((0.7, 0.85), (0.03, 0.15)),
}


@dataclass
class AgencyTraits:
    profile: str
    step: int  # tenths of a percent its reporter rounds to: 10, 5 or 1


def agency_traits(rng: random.Random) -> dict[str, AgencyTraits]:
    """A reporting profile and rounding habit per agency; at least two agencies per profile."""
    traits = {}
    for item in data.AGENCIES:
        profile = data.FIXED_PROFILES.get(item.code) or rng.choices(PROFILES, [45, 35, 20])[0]
        traits[item.code] = AgencyTraits(profile, rng.choices([10, 5, 1], [60, 25, 15])[0])
    free = [c.code for c in data.AGENCIES if c.code not in data.FIXED_PROFILES]
    for profile in PROFILES:
        while sum(t.profile == profile for t in traits.values()) < 2:
            traits[rng.choice(free)].profile = profile
    return traits


def _input(spec: ActionSpec) -> rollup.ActionInput:
    return rollup.ActionInput(
        id=0, axis_id=0, weight=1, start=spec.start, end=spec.end, milestones=tuple(spec.milestones)
    )


def assign_scenarios(
    rng: random.Random, specs: list[ActionSpec], traits: dict[str, AgencyTraits], as_of: dt.date
) -> dict[str, str]:
    """A scenario per action code. A few actions in each interesting state are chosen first, so
    that the dashboards show done, stalled, critical and on-track actions at any size; the rest
    follow their lead agency's profile."""
    planned = {s.code: rollup.planned(_input(s), as_of) for s in specs}
    age = {s.code: (as_of - s.start).days for s in specs}
    wanted = {
        "ahead": [s for s in specs if age[s.code] >= 0.85 * s.days and age[s.code] > 0],
        "stalled": [s for s in specs if age[s.code] >= 40 and s.end >= as_of],
        "critical": [s for s in specs if planned[s.code] >= 50],
        "steady": [s for s in specs if 15 <= planned[s.code] < 95],
    }
    per_state = max(2, round(len(specs) * 0.02))
    scenario: dict[str, str] = {}
    for name, candidates in wanted.items():
        free = [s for s in candidates if s.code not in scenario]
        for s in rng.sample(free, min(per_state, len(free))):
            scenario[s.code] = name
    for s in specs:
        if s.code in scenario:
            continue
        weights = SCENARIO_WEIGHTS[traits[s.lead].profile]
        name = rng.choices(list(weights), list(weights.values()))[0]
        if name == "stalled" and age[s.code] < 30:
            name = "slow"
        if name == "overdue" and (as_of - s.end).days < 10:
            name = "slow"
        scenario[s.code] = name
    return scenario


@dataclass
class Entry:
    """One report to write. `wrong` reports are superseded by the `correction` that follows."""

    code: str
    date: dt.date
    tenths: int
    entered: dt.datetime
    by: User
    secretariat: bool = False
    late: bool = False
    note: str = ""
    unchanged: bool = False
    reason: str = ""
    wrong: bool = False
    corrects: Entry | None = None


@dataclass
class ReportContext:
    seed: int
    year: int
    as_of: dt.date
    calendar: Calendar
    window: int
    secretariat: User
    reporters: dict[str, User]
    traits: dict[str, AgencyTraits]

    def deadline(self, day: dt.date) -> dt.date:
        return self.calendar.add_working_days(day, self.window)


def _at(day: dt.date, rng: random.Random, hours=(9, 15)) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(rng.randint(*hours), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def action_series(
    spec: ActionSpec,
    scenario: str,
    ctx: ReportContext,
    secretariat_fill: bool = False,
    correction: bool = False,
) -> list[Entry]:
    """The reports of one action from its start to the as-of date, in date order."""
    rng = random.Random(f"{ctx.seed}:{ctx.year}:{spec.code}:reports")
    days = ctx.calendar.working_days(spec.start, ctx.as_of)
    if not days:
        return []
    traits = ctx.traits[spec.lead]
    chance, lags = REPORTING[traits.profile]
    reporter = ctx.reporters[spec.lead]
    source = _input(spec)
    (f_lo, f_hi), (g_lo, g_hi) = PACE[scenario]
    factor, gain = rng.uniform(f_lo, f_hi), rng.uniform(g_lo, g_hi)
    stall_from = None
    silent_when_stalled = rng.random() < 0.5
    age = (ctx.as_of - spec.start).days
    if scenario == "stalled" and age >= 30:
        stall_from = ctx.as_of - dt.timedelta(days=rng.randint(16, min(60, age - 10)))
    # The one day the secretariat enters late, and the one day a reporter mistypes.
    early = [d for d in days[2:] if ctx.deadline(d) + dt.timedelta(days=7) <= ctx.as_of]
    fill_day = rng.choice(early) if secretariat_fill and early else None
    typo_day = rng.choice(early[: len(early) // 2 or 1]) if correction and early else None

    out: list[Entry] = []
    prev = 0
    for day in days:
        if prev >= 1000:
            break
        stalled = stall_from is not None and day >= stall_from
        draw = rng.random()
        p_report = (0.0 if silent_when_stalled else 0.25) if stalled else chance
        if day not in (fill_day, typo_day) and draw >= p_report:
            continue
        if stalled:
            value = prev
        else:
            p = rollup.planned(source, day)
            target = factor * p if day <= spec.end else min(factor, 1) * 100
            if day > spec.end:
                target += gain * (day - spec.end).days
            if target > 3:
                target += rng.uniform(-1.2, 1.2)
            target = min(100.0, max(0.0, target))
            value = max(prev, min(1000, round(target * 10 / traits.step) * traits.step))
        unchanged = bool(out) and value == prev
        note = ""
        if stalled and rng.random() < 0.7:
            note = rng.choice(data.STALLED_NOTES)
        elif not unchanged and rng.random() < 0.12:
            note = rng.choice(data.PROGRESS_NOTES)

        if day == fill_day:
            entered = ctx.calendar.add_working_days(ctx.deadline(day), rng.randint(1, 3))
            if entered <= ctx.as_of:
                out.append(
                    Entry(
                        code=spec.code,
                        date=day,
                        tenths=value,
                        entered=_at(entered, rng, (10, 13)),
                        by=ctx.secretariat,
                        secretariat=True,
                        late=True,
                        note=rng.choice(data.SECRETARIAT_NOTES),
                        unchanged=unchanged,
                    )
                )
                prev = value
            continue

        lag = rng.choices(list(lags), list(lags.values()))[0]
        entered = ctx.calendar.add_working_days(day, lag) if lag else day
        if entered > ctx.as_of:
            continue  # the reporter has not got round to it yet
        if day == typo_day and entered == day and value <= 800:
            # A mistyped figure, corrected by the reporter at 8 the next working morning: before
            # any report dated after it is entered (from 9 on), so none of them is ever refused
            # for being below the mistyped figure.
            wrong_value = min(990, value + rng.choice([50, 100, 150]))
            fixed_on = ctx.calendar.add_working_days(day, 1)
            if fixed_on <= ctx.as_of and fixed_on <= ctx.deadline(day):
                wrong = Entry(
                    code=spec.code,
                    date=day,
                    tenths=wrong_value,
                    entered=_at(day, rng),
                    by=reporter,
                    wrong=True,
                )
                correction = Entry(
                    code=spec.code,
                    date=day,
                    tenths=value,
                    entered=_at(fixed_on, rng, (8, 8)),
                    by=reporter,
                    reason=rng.choice(data.CORRECTION_REASONS),
                    corrects=wrong,
                )
                out += [wrong, correction]
                prev = value
                continue
        out.append(
            Entry(
                code=spec.code,
                date=day,
                tenths=value,
                entered=_at(entered, rng),
                by=reporter,
                note=note,
                unchanged=unchanged,
            )
        )
        prev = value
    return out


def generate_reports(
    *,
    plan: Plan,
    org: Organisation,
    specs: list[ActionSpec],
    seed: int,
    year: int,
    as_of: dt.date,
    scale: float,
) -> dict[str, int]:
    """Write the demo's reports up to as_of; returns counts of what was written."""
    rng = random.Random(f"{seed}:{year}:{as_of.isoformat()}:scenarios")
    traits = agency_traits(random.Random(f"{seed}:{year}:agencies"))
    ctx = ReportContext(
        seed=seed,
        year=year,
        as_of=as_of,
        calendar=working_calendar(),
        window=settings.RONAGH["REPORTING_WINDOW_WORKING_DAYS"],
        secretariat=org.secretariat,
        reporters=org.reporters,
        traits=traits,
    )
    scenario = assign_scenarios(rng, specs, traits, as_of)
    started = [s for s in specs if s.start < as_of]
    late_ones = [s for s in started if traits[s.lead].profile != "diligent"]
    careful = [s for s in started if scenario[s.code] in ("steady", "slow")]
    fills = {s.code for s in rng.sample(late_ones, min(len(late_ones), max(2, round(25 * scale))))}
    typos = {s.code for s in rng.sample(careful, min(len(careful), max(2, round(10 * scale))))}

    series = {
        s.code: action_series(
            s, scenario[s.code], ctx, secretariat_fill=s.code in fills, correction=s.code in typos
        )
        for s in specs
    }
    # A handful of the latest reports go through the service instead, as a reporter would.
    through_service = []
    for s in specs:
        entries = series[s.code]
        if len(through_service) >= 5 or traits[s.lead].profile != "diligent" or not entries:
            continue
        last = entries[-1]
        if (
            not (last.wrong or last.corrects or last.secretariat)
            and ctx.deadline(last.date) >= as_of
        ):
            through_service.append(entries.pop())

    actions = {a.code: a for a in Action.objects.filter(plan=plan)}
    lead_ids = {code: a.lead_agency_id for code, a in actions.items()}
    plain, pairs = [], []
    for s in specs:
        for e in series[s.code]:
            if e.corrects is not None:
                pairs.append(e)
            else:
                plain.append(e)

    def row(e: Entry) -> ProgressReport:
        return ProgressReport(
            action=actions[e.code],
            agency_id=lead_ids[e.code],
            date=e.date,
            percent=Decimal(e.tenths).scaleb(-1),
            note=e.note,
            unchanged=e.unchanged,
            reason=e.reason,
            needs_approval=e.corrects is not None and not e.secretariat,
            channel=_channel(e),
            late=e.late,
            entered_by_secretariat=e.secretariat,
            entered_by=e.by,
            entered_at=e.entered,
        )

    deciders = {
        u.agency_id: u
        for u in User.objects.filter(
            role=User.Role.AGENCY_MANAGER, agency_id__in=set(lead_ids.values()), is_active=True
        ).order_by("-username")
    }
    wrong_rows = {}
    rows = []
    for e in plain:
        r = row(e)
        rows.append(r)
        if e.wrong:
            wrong_rows[id(e)] = r
    ProgressReport.objects.bulk_create(rows, batch_size=2000)
    for e in pairs:
        r = row(e)
        r.corrects = wrong_rows[id(e.corrects)]
        if r.corrects.pk is None:  # a backend that does not return ids from bulk inserts
            r.corrects = ProgressReport.objects.get(
                action=r.action, date=e.date, percent=r.corrects.percent
            )
        r.save()
        if r.needs_approval:
            CorrectionDecision.objects.create(
                correction=r,
                approved=True,
                comment=rng.choice(data.APPROVAL_COMMENTS),
                decided_by=deciders.get(lead_ids[e.code], ctx.secretariat),
                decided_at=e.entered + dt.timedelta(minutes=rng.randint(20, 90)),
            )

    for e in sorted(through_service, key=lambda e: (e.date, e.code)):
        services.report_progress(
            actor=e.by,
            action=actions[e.code],
            date=e.date,
            percent=Decimal(e.tenths).scaleb(-1),
            note=e.note,
            unchanged=e.unchanged,
            today=as_of,
        )
    waiting = pending_corrections(plan=plan, org=org, as_of=as_of, rng=rng)
    return {
        "reports": len(rows) + len(pairs) + len(through_service) + waiting,
        "corrections": len(pairs) + waiting,
        "by_secretariat": sum(e.secretariat for e in plain),
        "through_service": len(through_service),
    }


def _channel(e: Entry) -> str:
    """How a demo report came: the secretariat's by its own channel; about a third of the
    reporters' by Bale (a fixed draw per action and day, so a rebuilt demo is the same)."""
    if e.secretariat:
        return Channel.SECRETARIAT
    return Channel.BALE if zlib.crc32(f"{e.code}:{e.date}".encode()) % 3 == 0 else Channel.WEB


def pending_corrections(*, plan: Plan, org: Organisation, as_of: dt.date, rng) -> int:
    """Two of today's corrections, by the reporter of an agency that has a manager (the first
    demo manager's first: `modir-sanat` finds them on its queue), left for the manager's
    approval (through report_progress, as a reporter enters them)."""
    managed = [u.agency for u in data.USERS if u.role == User.Role.AGENCY_MANAGER and u.agency]
    made = 0
    for code in dict.fromkeys(managed):
        reporter = org.reporters.get(code)
        if reporter is None:
            continue
        latest = (
            ProgressReport.objects.effective()
            .filter(action__plan=plan, action__lead_agency=reporter.agency, percent__gte=5)
            .filter(date__gte=as_of - dt.timedelta(days=1), date__lte=as_of)
            .order_by("-date", "action__code")
        )
        for report in latest:
            if made >= 2:
                return made
            if ProgressReport.objects.filter(action=report.action, date__gt=report.date).exists():
                continue
            services.report_progress(
                actor=reporter,
                action=report.action,
                date=report.date,
                percent=report.percent - Decimal(rng.choice([2, 3, 5])),
                corrects=report,
                reason=rng.choice(data.CORRECTION_REASONS),
                today=as_of,
                channel=Channel.BALE,
            )
            made += 1
    return made
