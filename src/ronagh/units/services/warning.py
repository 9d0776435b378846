"""The early warning at work (SPEC 6): scoring units month by month with the active fitted
table, opening one preventive case per episode of high risk, scoring the units that sent no
report once a month is due, and adopting a re-fitted table as a new version.

Who opens a preventive case: the province's early-warning system user
(`registry.system_user`), never the person whose import or entry happened to raise the score —
the case is the system's finding, and the indicators' own revisions say who entered them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_digits
from ronagh.core.models import Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib import jalali
from ronagh.obstacles.services import register_obstacle

from .. import permissions, risk
from ..models import PreventiveCase, ProductionUnit, RiskModel, RiskScore, UnitIndicator
from ..reasons import reasons
from .registry import system_user

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "data" / "risk-table-v1.json"

# The category of a preventive case follows the bin that scored most, so that the routing table
# sends it to the agency that can act on it.
CATEGORY_OF_FEATURE = {
    "bank_overdue": "banking",
    "bounced_cheques": "banking",
    "tax_overdue": "tax",
    "insurance_overdue": "insurance",
    "utility_cutoffs": "energy",
    "utilisation_gap": "market",
    "sales_fall_3": "market",
    "sales_fall_12": "market",
    "staff_fall_3": "labour",
    "staff_fall_12": "labour",
    "missing_reports": "other",
}


def warning_settings() -> dict:
    return settings.RONAGH_EARLY_WARNING


# --- the fitted table ----------------------------------------------------------------------------


def shipped_table() -> risk.Table:
    return risk.Table.from_dict(json.loads(DEFAULT_TABLE.read_text(encoding="utf-8")))


def active_model(province: Province | None) -> RiskModel:
    """The table scores are made with: the province's newest version, else the newest version
    for every province; version 1, the shipped table, is stored on first use."""
    qs = RiskModel.objects.order_by("-version")
    found = None
    if province is not None:
        found = qs.filter(province=province).first()
    found = found or qs.filter(province__isnull=True).first()
    if found is None:
        found, _created = RiskModel.objects.get_or_create(
            version=1,
            defaults={
                "table": shipped_table().to_dict(),
                "note": _("The table shipped with Ronagh, fitted on the demo province."),
            },
        )
    return found


@transaction.atomic
def adopt_table(
    *,
    actor: User | None,
    province: Province | None,
    table: risk.Table,
    metrics: dict | None = None,
    note: str = "",
) -> RiskModel:
    """Store a re-fitted table as the next version; it scores the months scored from now on,
    while every earlier score keeps naming the version that made it."""
    if actor is not None:
        require(
            permissions.may_refit(actor, province.pk if province else None),
            secretariat_refusal(actor),
        )
    active_model(province)  # version 1 is the shipped table
    version = (RiskModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    return RiskModel.objects.create(
        province=province,
        version=version,
        table=table.to_dict(),
        metrics=metrics or {},
        note=note,
    )


# --- scoring -------------------------------------------------------------------------------------


# UnitIndicator field → risk.Report field
REPORT_OF_FIELD = {
    "employees": "employees",
    "utilisation": "utilisation",
    "sales": "sales",
    "energy": "energy",
    "tax_overdue": "tax",
    "insurance_overdue": "insurance",
    "bank_overdue": "bank",
    "bounced_cheques": "cheques",
    "utility_cutoffs": "cutoffs",
}


def report_of(row) -> risk.Report:
    """A stored indicator (a UnitIndicator, or a dict of its values) as a risk.Report."""
    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    values = {}
    for name, key in REPORT_OF_FIELD.items():
        value = get(name)
        values[key] = None if value is None else float(value)
    return risk.Report(**values)


def contributions_json(scored: risk.Scored) -> list[dict]:
    return [
        {
            "feature": c.feature,
            "value": round(c.value, 2),
            "reached": c.reached,
            "points": c.points,
            "threshold": c.threshold,
        }
        for c in scored.contributions
    ]


@dataclass
class Rescored:
    scores: int = 0
    cases: list[PreventiveCase] = field(default_factory=list)


def rescore_units(
    *,
    touched: dict[int, dt.date],
    upto: dt.date | None = None,
    at: dt.datetime | None = None,
    open_cases: bool = True,
    backdate: bool = False,
) -> Rescored:
    """Score, for each unit id, every month from the touched month to its newest report or
    score (or `upto`, when later), each with the reports that had arrived by that month only,
    then open the preventive cases of any new episode of high risk (`backdate`, for sample
    history only: each case registered when its month's reports would have arrived)."""
    out = Rescored()
    ids = list(touched)
    units = ProductionUnit.objects.select_related("province", "county").in_bulk(ids)
    indicators: dict[int, list[dict]] = {}
    for row in (
        UnitIndicator.objects.filter(unit_id__in=ids)
        .order_by("month")
        .values("unit_id", "month", *REPORT_OF_FIELD)
    ):
        indicators.setdefault(row["unit_id"], []).append(row)
    existing: dict[int, dict[dt.date, RiskScore]] = {}
    for s in RiskScore.objects.filter(unit_id__in=ids).order_by():
        existing.setdefault(s.unit_id, {})[s.month] = s
    models: dict[int, tuple[RiskModel, risk.Table]] = {}
    months = _MonthList()
    new, changed = [], []
    now = at or timezone.now()
    levels: dict[int, dict[dt.date, RiskScore]] = {}
    for unit_id, since in touched.items():
        unit, rows = units.get(unit_id), indicators.get(unit_id, [])
        if unit is None or not rows:
            continue
        if unit.province_id not in models:
            model = active_model(unit.province)
            models[unit.province_id] = (model, risk.Table.from_dict(model.table))
        model, table = models[unit.province_id]
        mine = existing.get(unit_id, {})
        first = rows[0]["month"]
        last = max([rows[-1]["month"], *mine, *([upto] if upto else [])])
        span = months.span(first, last)
        by_month = {r["month"]: report_of(r) for r in rows}
        series = risk.features_series([by_month.get(m) for m in span])
        start = max(0, jalali.months_between(first, since)) if since > first else 0
        for i in range(start, len(span)):
            scored = risk.score(table, series[i])
            row = mine.get(span[i])
            fields = {
                "score": scored.score,
                "level": scored.level.value,
                "contributions": contributions_json(scored),
                "model": model,
                "computed_at": now,
            }
            if row is None:
                row = RiskScore(unit_id=unit_id, month=span[i], **fields)
                new.append(row)
                mine[span[i]] = row
            else:
                for k, v in fields.items():
                    setattr(row, k, v)
                changed.append(row)
        levels[unit_id] = mine
    RiskScore.objects.bulk_create(new, batch_size=1000)
    RiskScore.objects.bulk_update(
        changed, ["score", "level", "contributions", "model", "computed_at"], batch_size=1000
    )
    out.scores = len(new) + len(changed)
    if open_cases:
        high = [u for u, mine in levels.items() if any(s.level == "high" for s in mine.values())]
        cases: dict[int, list[dt.date]] = {}
        for c in PreventiveCase.objects.filter(unit_id__in=high).order_by():
            cases.setdefault(c.unit_id, []).append(c.month)
        for unit_id in high:
            out.cases += _open_cases(
                units[unit_id], levels[unit_id], cases.get(unit_id, []), at=at, backdate=backdate
            )
    return out


class _MonthList:
    """Consecutive Jalali months, converted once."""

    def __init__(self):
        self._cache: dict[tuple[dt.date, dt.date], list[dt.date]] = {}

    def span(self, first: dt.date, last: dt.date) -> list[dt.date]:
        key = (first, last)
        if key not in self._cache:
            n = jalali.months_between(first, last) + 1
            self._cache[key] = [jalali.add_months(first, i) for i in range(n)]
        return self._cache[key]


def due_month(today: dt.date) -> dt.date:
    """The newest Jalali month whose indicators are due by `today` (the due day of the next
    month has come)."""
    j = jalali.to_jalali(today)
    back = 1 if j.day >= warning_settings()["INDICATOR_DUE_DAY"] else 2
    return jalali.add_months(today, -back)


def score_due_month(*, today: dt.date, at: dt.datetime | None = None) -> tuple[dt.date, Rescored]:
    """Score the due month for every unit that is not closed, has reported before and has no
    score for it yet: a unit that sent nothing is scored with its missing report (SPEC 6). Run
    by the daily job; running it twice scores nothing twice."""
    month = due_month(today)
    scored = RiskScore.objects.filter(month=month).values("unit_id")
    reported = UnitIndicator.objects.filter(month__lte=month).values("unit_id")
    ids = (
        ProductionUnit.objects.not_closed()
        .filter(pk__in=reported)
        .exclude(pk__in=scored)
        .values_list("pk", flat=True)
    )
    return month, rescore_units(touched=dict.fromkeys(ids, month), upto=month, at=at)


# --- preventive cases ----------------------------------------------------------------------------


def open_preventive_cases(
    *, unit: ProductionUnit, at: dt.datetime | None = None, backdate: bool = False
) -> list[PreventiveCase]:
    """Open a preventive case for each episode of high risk of the unit that has none: an
    obstacle of that unit, registered by the province's early-warning system and routed like any
    other (SPEC 5) by the category of the bin that scored most. Once per episode: a new case
    only after the unit has been below high for a full month (risk.episodes)."""
    scores = {s.month: s for s in RiskScore.objects.filter(unit=unit)}
    cases = list(unit.preventive_cases.values_list("month", flat=True))
    return _open_cases(unit, scores, cases, at=at, backdate=backdate)


def _open_cases(
    unit: ProductionUnit,
    scores: dict[dt.date, RiskScore],
    case_months: list[dt.date],
    *,
    at: dt.datetime | None,
    backdate: bool,
) -> list[PreventiveCase]:
    if not scores:
        return []
    first = min(scores)
    by_index = {jalali.months_between(first, m): s for m, s in scores.items()}
    levels = [(i, risk.Level(s.level)) for i, s in by_index.items()]
    taken = {jalali.months_between(first, m) for m in case_months}
    opened = []
    for start, end in risk.episodes(levels):
        if any(start <= c <= end for c in taken):
            continue
        when = at
        if backdate:
            arrived = jalali.add_months(by_index[start].month, 1) + dt.timedelta(days=5)
            moment = timezone.make_aware(dt.datetime.combine(arrived, dt.time(9)))
            when = min(moment, at or timezone.now())
        opened.append(_open_case(unit, by_index[start], at=when))
        taken.add(start)
    return opened


def _open_case(unit: ProductionUnit, score: RiskScore, at: dt.datetime | None) -> PreventiveCase:
    """One preventive case (see open_preventive_cases)."""
    top = score.contributions[0]["feature"] if score.contributions else "missing_reports"
    month = local_digits(jalali.format_month(score.month))
    lines = reasons(score.contributions, n=5)
    description = (
        _(
            "The early warning scored %(unit)s (national id %(id)s) %(score)s out of 100 for "
            "%(month)s: high risk of going idle or closing. Reasons:"
        )
        % {
            "unit": unit.name,
            "id": unit.national_id,
            "score": local_digits(score.score),
            "month": month,
        }
        + "\n"
        + "\n".join(f"• {line}" for line in lines)
    )
    obstacle = register_obstacle(
        actor=system_user(unit.province),
        title=_("Early warning: %(unit)s at high risk") % {"unit": unit.name},
        description=description,
        category=CATEGORY_OF_FEATURE.get(top, "other"),
        severity=4 if score.score >= 85 else 3,
        jobs_affected=unit.employees,
        unit=unit,
        province=unit.province,
        at=at,
        is_sample=unit.is_sample,
    )
    return PreventiveCase.objects.create(
        unit=unit,
        month=score.month,
        score=score.score,
        obstacle=obstacle,
        opened_at=obstacle.registered_at,
    )
