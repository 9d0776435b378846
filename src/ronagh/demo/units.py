"""The demo's production units (SPEC 8): about 600 units in Qom's industrial parks with 18
months of indicators, some drifting into distress and going idle or closing, permit
applications, employment targets with a jobs ledger, and investment events.

Distress is drawn to be realistic enough that the backtest means something: most units are
healthy but noisy (a month's arrears, a bounced cheque, a chronic tax dispute that never
closes them); some have a false start and recover; some drift over eight to fourteen months
into idleness or closure; a few close with almost no warning. No label leaks into the inputs:
a unit's own status is never an indicator, and reports stop or thin out as real ones do.

Units are written through `units.services.save_units` (the registry's one write path and its
validation); the 10,000-odd monthly indicators and their scores are bulk-written after the same
`clean_values` check the services apply, because 10,000 service calls would cost the demo most
of a minute. Deterministic for a given `rnd` and `today`."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ronagh.core.models import Agency, County, Province, User
from ronagh.lib import jalali
from ronagh.lib.text import normalize
from ronagh.units.models import (
    EmploymentTarget,
    IndicatorRevision,
    InvestmentEvent,
    JobsEntry,
    PermitApplication,
    PreventiveCase,
    ProductionUnit,
    RiskScore,
    StatusChange,
    UnitIndicator,
    UnitStatus,
)
from ronagh.units.services import (
    UnitData,
    clean_values,
    file_application,
    open_delay_obstacle,
    record_event,
    rescore_units,
    save_units,
    set_target,
)
from ronagh.units.services.permits import decide

from .obstacles import BRANDS, ensure_parks, legal_national_id

MONTHS = 18

# sector → (ISIC codes, products for names, responsible agency code)
SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "صنایع غذایی": (
        ("1050", "1071", "1073", "1079"),
        ("لبنیات", "نان صنعتی", "شیرینی و شکلات", "صنایع غذایی"),
        "sanat",
    ),
    "شیمیایی و پلاستیک": (
        ("2220", "2022", "2023"),
        ("پلاستیک", "رنگ و رزین", "شوینده", "لوله و اتصالات"),
        "sanat",
    ),
    "فلزی و ماشین‌سازی": (
        ("2811", "2930", "2431", "2511"),
        ("ماشین‌سازی", "قطعه‌سازی", "ریخته‌گری", "سازه‌های فلزی"),
        "sanat",
    ),
    "کانی غیرفلزی و سنگ": (
        ("2396", "2393", "2392"),
        ("سنگ‌بری", "کاشی و سرامیک", "آجر و مصالح"),
        "sanat",
    ),
    "نساجی و پوشاک": (("1313", "1410", "1393"), ("نساجی", "پوشاک", "فرش ماشینی"), "sanat"),
    "چاپ و نشر": (("1811", "1812", "5811"), ("چاپ و بسته‌بندی", "نشر و کتاب", "چاپخانه"), "ershad"),
    "برق و الکترونیک": (
        ("2732", "2710", "2640"),
        ("کابل و سیم", "تابلو برق", "لوازم الکترونیکی"),
        "sanat",
    ),
    "دارویی و بهداشتی": (
        ("2100", "3250"),
        ("داروسازی", "تجهیزات پزشکی", "محصولات بهداشتی"),
        "sanat",
    ),
    "فناوری اطلاعات": (
        ("6201", "6311"),
        ("نرم‌افزار", "خدمات داده", "راهکارهای هوشمند"),
        "ertebatat",
    ),
}
SECTOR_WEIGHTS = (20, 14, 16, 12, 10, 8, 8, 6, 6)
FIRST_NAMES = (
    "علی",
    "محمد",
    "حسین",
    "رضا",
    "مهدی",
    "زهرا",
    "فاطمه",
    "مریم",
    "حمید",
    "سعید",
    "مجید",
    "نرگس",
)
LAST_NAMES = (
    "احمدی",
    "محمدی",
    "حسینی",
    "رضایی",
    "کریمی",
    "قمی",
    "موسوی",
    "صادقی",
    "جعفری",
    "نوری",
    "اکبری",
    "رحیمی",
)
COUNTRIES = ("عراق", "ترکیه", "روسیه", "چین", "ارمنستان", "قزاقستان", "امارات متحده عربی", "عمان", "افغانستان", "سوریه")  # fmt: skip


@dataclass
class Story:
    """What happens to one unit over the months (index 0 = the first month)."""

    kind: str  # healthy, false_start, drift, sudden, idle_before
    stress: list[float]
    event: int | None = None  # the month it goes idle or closed
    outcome: str = UnitStatus.IDLE
    recovers: int | None = None  # the month an idle unit is active again
    chronic: str = ""  # a healthy unit's long tax or insurance dispute


@dataclass
class UnitsDemo:
    units: list[ProductionUnit] = field(default_factory=list)
    indicators: int = 0
    scores: int = 0
    cases: int = 0
    permits: int = 0
    events: int = 0


def _story(rnd: random.Random) -> Story:
    stress = [0.0] * MONTHS
    roll = rnd.random()
    if roll < 0.12:
        start, length = rnd.randint(-14, 10), rnd.randint(10, 16)
        event = start + length
        for m in range(MONTHS):
            if m >= start:
                stress[m] = min(1.0, ((m - start + 1) / length) ** 0.65)
        if event <= 0:
            return Story("idle_before", [1.0] * MONTHS, event=0, outcome=UnitStatus.IDLE)
        outcome = UnitStatus.CLOSED if rnd.random() < 0.35 else UnitStatus.IDLE
        story = Story("drift", stress, event=event if event < MONTHS else None, outcome=outcome)
        if story.event is not None and outcome == UnitStatus.IDLE and rnd.random() < 0.2:
            story.recovers = event + rnd.randint(3, 6)
        return story
    if roll < 0.132:
        event = rnd.randint(3, MONTHS - 1)
        stress[event - 1] = rnd.uniform(0.1, 0.35)
        outcome = UnitStatus.CLOSED if rnd.random() < 0.5 else UnitStatus.IDLE
        return Story("sudden", stress, event=event, outcome=outcome)
    if roll < 0.25:
        start, length = rnd.randint(0, MONTHS - 3), rnd.randint(2, 6)
        peak = rnd.uniform(0.25, 0.6)
        for m in range(start, min(MONTHS, start + length)):
            half = length / 2
            stress[m] = peak * (1 - abs((m - start + 0.5) - half) / max(half, 1))
        return Story("false_start", stress)
    story = Story("healthy", stress)
    if rnd.random() < 0.14:
        story.chronic = rnd.choice(["tax", "insurance", "tax"])
    return story


def _seasonal(month_index: int, phase: float) -> float:
    return 1 + 0.12 * math.sin(2 * math.pi * (month_index + phase) / 12)


def _poisson(rnd: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def _month_values(rnd, story: Story, m: int, base: dict, status: str) -> dict | None:
    """One month's indicators, or None for a month with no report."""
    s = story.stress[m]
    if status == UnitStatus.CLOSED:
        return None
    if rnd.random() < 0.03 + 0.3 * s + (0.3 if status == UnitStatus.IDLE else 0):
        return None
    idle = status == UnitStatus.IDLE
    noise = rnd.gauss(0, 4)
    util = base["util"] * (1 - 0.8 * s) + noise
    if idle:
        util = rnd.uniform(0, 12)
    employees = base["employees"] * (1 - 0.4 * s**1.4) * (rnd.uniform(0.15, 0.35) if idle else 1)
    sales = (
        base["sales"]
        * _seasonal(m, base["phase"])
        * (1 - 0.7 * s)
        * math.exp(rnd.gauss(0, 0.12))
        * (0.05 if idle else 1)
    )

    def arrears(scale: float, chronic: bool) -> int:
        # Arrears come late in a drift: sales, utilisation and cheques go first.
        value = (s - 0.3) / 0.7 * scale + rnd.gauss(0, 0.6) if s > 0.3 else 0
        if chronic:
            value = max(value, base["dispute"])
        elif rnd.random() < 0.05:
            value = max(value, rnd.choice([1, 1, 2, 3, 4]))
        return max(0, int(round(value)))

    return {
        "employees": max(1, int(round(employees))),
        "utilisation": round(min(100.0, max(0.0, util)), 1),
        "sales": round(max(0.0, sales), 1),
        "energy": round(max(0.0, sales * base["energy"] * math.exp(rnd.gauss(0, 0.1))), 1),
        "tax_overdue": arrears(7, story.chronic == "tax"),
        "insurance_overdue": arrears(8, story.chronic == "insurance"),
        "bank_overdue": arrears(8, False),
        "bounced_cheques": _poisson(rnd, 3 * s + 0.03),
        "utility_cutoffs": _poisson(rnd, 0.8 * s**1.5 + 0.01),
    }


def _statuses(story: Story) -> list[str]:
    out = []
    for m in range(MONTHS):
        status = UnitStatus.ACTIVE
        if story.event is not None and m >= story.event:
            status = story.outcome
            if story.recovers is not None and m >= story.recovers:
                status = UnitStatus.ACTIVE
        out.append(status)
    return out


def drop_units(province: Province) -> None:
    """Remove the province's sample unit data (before a rebuild; the units themselves stay,
    obstacles name them, and are updated in place)."""
    sample = ProductionUnit.objects.filter(province=province, is_sample=True)
    PreventiveCase.objects.filter(unit__in=sample).delete()
    RiskScore.objects.filter(unit__in=sample).delete()
    UnitIndicator.objects.filter(unit__in=sample).delete()
    IndicatorRevision.objects.filter(unit__in=sample).purge_sample()
    StatusChange.objects.filter(unit__in=sample).purge_sample()
    JobsEntry.objects.filter(unit__in=sample).delete()
    PermitApplication.objects.filter(province=province, is_sample=True).delete()
    EmploymentTarget.objects.filter(province=province, is_sample=True).delete()
    InvestmentEvent.objects.filter(province=province, is_sample=True).delete()


@dataclass
class DemoUnits:
    """The units built, and what will happen to each (by national id)."""

    units: list[ProductionUnit] = field(default_factory=list)
    stories: dict[str, Story] = field(default_factory=dict)
    bases: dict[str, dict] = field(default_factory=dict)


def build_units(
    *,
    province: Province,
    rnd: random.Random,
    today: dt.date,
    agencies: dict[str, Agency],
    count: int = 600,
) -> DemoUnits:
    """The units themselves, with the status they had 18 months ago (before the obstacles,
    which name some of them); `build_unit_history` plays the stories out."""
    drop_units(province)
    parks = ensure_parks(province)
    counties = {normalize(c.name): c for c in County.objects.filter(province=province)}
    first = jalali.add_months(today, -MONTHS)
    plan = DemoUnits()
    rows = []
    sectors = list(SECTORS)
    for i in range(count):
        sector = rnd.choices(sectors, SECTOR_WEIGHTS)[0]
        codes, products, agency_code = SECTORS[sector]
        nid = legal_national_id(i + 1)
        in_park = rnd.random() < (0.4 if sector == "فناوری اطلاعات" else 0.93)
        park = rnd.choice(parks) if in_park else None
        county = park.county if park else rnd.choice(list(counties.values()))
        employees = int(rnd.triangular(6, 450, 30))
        story = _story(rnd)
        statuses = _statuses(story)
        plan.stories[nid] = story
        plan.bases[nid] = {
            "employees": employees,
            "util": rnd.uniform(55, 92),
            "sales": employees * rnd.uniform(250, 900),
            "energy": rnd.uniform(0.2, 1.5),
            "phase": rnd.uniform(0, 12),
            "dispute": rnd.randint(3, 8),
        }
        licence = jalali.add_months(first, -rnd.randint(6, 180))
        rows.append(
            UnitData(
                national_id=nid,
                name=f"{rnd.choice(products)} {rnd.choice(BRANDS)} {rnd.choice(BRANDS)}",
                isic=rnd.choice(codes),
                sector=sector,
                county=county,
                park=park.name if park else None,
                status=statuses[0],
                employees=employees,
                capacity=round(employees * rnd.uniform(8, 40)),
                manager=f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}",
                licence_no=f"{130 + i % 9}/{rnd.randint(1000, 99999)}",
                licence_date=licence,
                responsible_agency=agencies.get(agency_code) or agencies.get("sanat"),
            )
        )
    save_units(actor=None, province=province, rows=rows, on=first, is_sample=True)
    plan.units = list(
        ProductionUnit.objects.filter(national_id__in=list(plan.stories)).order_by("national_id")
    )
    return plan


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def build_unit_history(
    *,
    province: Province,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
    agencies: dict[str, Agency],
    units: DemoUnits,
) -> UnitsDemo:
    """18 months of indicators up to last month, the status history, risk scores and the
    preventive cases they open, then permits, targets with a ledger, and investment events."""
    plan, units = units, units.units
    out = UnitsDemo(units=units)
    last = jalali.add_months(today, -1)
    first = jalali.add_months(last, -(MONTHS - 1))
    months = [jalali.add_months(first, i) for i in range(MONTHS)]
    arrivals = [jalali.add_months(m, 1) for m in months]  # when a month's report comes in
    indicators, changes = [], []
    for unit in units:
        story, base = plan.stories[unit.national_id], plan.bases[unit.national_id]
        statuses = _statuses(story)
        for m, month in enumerate(months):
            if m and statuses[m] != statuses[m - 1]:
                on = month + dt.timedelta(days=rnd.randint(3, 25))
                changes.append(StatusChange(unit=unit, status=statuses[m], on=on, by=secretariat))
            values = _month_values(rnd, story, m, base, statuses[m])
            if values is None:
                continue
            values, errors = clean_values(values)
            assert not errors, errors  # the demo writes only what the services accept
            unit.employees = values["employees"]  # the registry follows the newest report
            at = _moment(arrivals[m] + dt.timedelta(days=rnd.randint(0, 12)))
            indicators.append(
                UnitIndicator(
                    unit=unit, month=month, entered_by=None, entered_at=at, channel="demo", **values
                )
            )
        if changes and changes[-1].unit is unit:
            unit.status, unit.status_changed_on = changes[-1].status, changes[-1].on
    UnitIndicator.objects.bulk_create(indicators, batch_size=2000)
    StatusChange.objects.bulk_create(changes, batch_size=2000)
    ProductionUnit.objects.bulk_update(
        units, ["status", "status_changed_on", "employees"], batch_size=500
    )
    out.indicators = len(indicators)

    # The early warning, as the daily job would have run it month by month.
    scored = rescore_units(touched={u.pk: first for u in units}, at=timezone.now(), backdate=True)
    out.scores = scored.scores
    out.cases = len(scored.cases)

    out.permits = _permits(province, rnd, today, secretariat, agencies, units)
    _targets_and_ledger(province, rnd, today, secretariat, units, months)
    out.events = _events(province, rnd, today, secretariat)
    return out


def _permits(province, rnd, today, secretariat, agencies, units) -> int:
    issuers = [
        agencies[c]
        for c in ("sanat", "ershad", "mohit-zist", "oloom-pezeshki", "estandard")
        if c in agencies
    ]
    made = opened = 0
    for _i in range(40):
        filed = today - dt.timedelta(days=rnd.randint(5, 200))
        existing = rnd.random() < 0.4
        unit = rnd.choice(units) if existing else None
        sector = unit.sector if unit else rnd.choice(list(SECTORS))
        skilled = rnd.random() < 0.6
        application = file_application(
            actor=secretariat,
            province=province,
            kind="operating" if existing else "establishment",
            applicant=f"شرکت {rnd.choice(BRANDS)} {rnd.choice(list(SECTORS[sector][1]))}",
            manager=f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}",
            education=rnd.choice(
                ["bachelor", "master", "doctorate"]
                if skilled
                else ["none", "diploma", "associate", "bachelor"]
            ),
            experience_years=rnd.randint(4, 20) if skilled else rnd.randint(0, 4),
            failed_units=0 if skilled else rnd.choice([0, 1, 1, 2, 3]),
            own_capital=rnd.randint(2_000, 60_000),
            project_cost=rnd.randint(20_000, 150_000),
            business_plan=skilled or rnd.random() < 0.3,
            issuing_agency=agencies["ershad"]
            if sector == "چاپ و نشر" and "ershad" in agencies
            else rnd.choice(issuers),
            filed_on=filed,
            unit=unit,
            planned_unit=""
            if unit
            else f"طرح {rnd.choice(SECTORS[sector][1])} {rnd.choice(BRANDS)}",
            sector=sector,
            county=unit.county if unit else None,
            is_sample=True,
        )
        made += 1
        if rnd.random() < 0.55:
            on = min(today, filed + dt.timedelta(days=rnd.randint(10, 60)))
            decision = "approved" if skilled or rnd.random() < 0.4 else "refused"
            reason = (
                "مدارک کامل و طرح توجیهی پذیرفته شد."
                if decision == "approved"
                else "طرح توجیهی ناقص است و سهم آورده متقاضی کافی نیست."
            )
            decide(
                actor=secretariat, application=application, decision=decision, reason=reason, on=on
            )
        elif application.days_late(today) > 20 and opened < 3:
            # A few long-overdue ones have been taken to the HQ already, in one click.
            open_delay_obstacle(actor=secretariat, application=application, today=today)
            opened += 1
    return made


def _targets_and_ledger(province, rnd, today, secretariat, units, months) -> None:
    year = jalali.to_jalali(today).year
    counties = list(County.objects.filter(province=province))
    made = []
    for y in (year - 1, year):
        for sector in SECTORS:
            for county in counties:
                if rnd.random() < 0.6:
                    made.append(set_target(
                        actor=secretariat, province=province, year=y, sector=sector,
                        county=county, jobs=rnd.randint(20, 400),
                    ).pk)  # fmt: skip
    EmploymentTarget.objects.filter(pk__in=made).update(is_sample=True)
    entries = []
    for unit in units:
        if rnd.random() > 0.5:
            continue
        for month in months:
            if rnd.random() > 0.35:
                continue
            created = rnd.randint(0, 12)
            lost = rnd.randint(0, 6) if unit.status != UnitStatus.ACTIVE else rnd.randint(0, 3)
            entries.append(
                JobsEntry(
                    unit=unit,
                    month=month,
                    created=created,
                    kept=unit.employees,
                    lost=lost,
                    evidence="declared",
                )
            )
            if rnd.random() < 0.5:
                checked = max(0, created - rnd.randint(0, created))
                evidence = "insurance" if rnd.random() < 0.7 else "field"
                entries.append(
                    JobsEntry(
                        unit=unit,
                        month=month,
                        created=checked,
                        kept=unit.employees,
                        lost=lost + rnd.randint(0, 2),
                        evidence=evidence,
                    )
                )
    JobsEntry.objects.bulk_create(entries, batch_size=2000)


def _events(province, rnd, today, secretariat) -> int:
    titles = {
        "exhibition": ("نمایشگاه توانمندی‌های صنعتی قم در {c}", "حضور در نمایشگاه بین‌المللی {c}"),
        "sent": ("اعزام هیئت تجاری استان به {c}",),
        "received": ("پذیرش هیئت تجاری {c} در قم",),
    }
    made = 0
    for _i in range(24):
        kind = rnd.choice(list(titles))
        country = rnd.choice(COUNTRIES)
        day = today - dt.timedelta(days=rnd.randint(0, 540))
        memoranda = rnd.randint(0, 6)
        record_event(
            actor=secretariat,
            province=province,
            kind=kind,
            title=rnd.choice(titles[kind]).format(c=country),
            country=country,
            date=day,
            leads=rnd.randint(3, 60),
            memoranda=memoranda,
            amount=round(rnd.uniform(0.5, 40), 1) if memoranda else 0,
            is_sample=True,
        )
        made += 1
    return made
