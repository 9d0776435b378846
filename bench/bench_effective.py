"""What the one definition of "the report that counts" costs (plans/models.py:
`ProgressReportQuerySet.effective`): a demo-sized plan of 300 actions with 200 reports each
(60,000 reports), 2 % of them corrected — by reporters (pending, approved or rejected) and by
managers (at once). Prints the time of the reads that use the definition and, on PostgreSQL, the
plan of "the latest effective report on or before a date" of one action. Asserts nothing.

    .venv/bin/python bench/bench_effective.py                      # a scratch SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ronagh_bench .venv/bin/python bench/bench_effective.py

The database named by DATABASE_URL is emptied and rebuilt: never point it at real data.
"""

import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RONAGH_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronagh.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402

from ronagh.core.models import Agency, Province, User  # noqa: E402
from ronagh.plans import engine  # noqa: E402
from ronagh.plans.figures import figures  # noqa: E402
from ronagh.plans.models import (  # noqa: E402
    Action,
    Axis,
    CorrectionDecision,
    Plan,
    ProgressReport,
)
from ronagh.plans.selectors import latest_effective_by_action  # noqa: E402

ACTIONS, REPORTS = 300, 200


def build():
    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    from ronagh.core.services import ensure_provinces

    ensure_provinces()
    rnd = random.Random(7)
    province = Province.objects.get(code="qom")
    agency = Agency.objects.create(province=province, name="دستگاه", kind=Agency.Kind.OTHER)
    user = User.objects.create(username="u", role=User.Role.AGENCY_REPORTER, agency=agency)
    boss = User.objects.create(username="m", role=User.Role.AGENCY_MANAGER, agency=agency)
    plan = Plan.objects.create(
        province=province,
        year=1405,
        title="b",
        status="communicated",
        communicated_on=dt.date(2026, 3, 21),
    )
    axes = [Axis.objects.create(plan=plan, number=i + 1, title=f"{i}") for i in range(27)]
    actions = Action.objects.bulk_create(
        Action(
            plan=plan, axis=axes[i % 27], code=f"A{i:03d}", title=f"{i}", lead_agency=agency,
            start=dt.date(2026, 3, 25), end=dt.date(2027, 3, 1),
        )
        for i in range(ACTIONS)
    )  # fmt: skip
    rows = []
    for a in actions:
        value = 0
        for k in range(REPORTS):
            value = min(1000, value + rnd.choice([0, 0, 5, 10]))
            rows.append(
                ProgressReport(
                    action=a, agency=agency, date=dt.date(2026, 4, 1) + dt.timedelta(days=k),
                    percent=Decimal(value).scaleb(-1), entered_by=user,
                )
            )  # fmt: skip
    ProgressReport.objects.bulk_create(rows, batch_size=5000)
    originals = list(ProgressReport.objects.order_by("?")[: len(rows) // 50])
    corrections = []
    for r in originals:
        by_reporter = rnd.random() < 0.75
        corrections.append(
            ProgressReport(
                action_id=r.action_id, agency=agency, date=r.date, percent=r.percent,
                corrects=r, reason="اصلاح", needs_approval=by_reporter,
                entered_by=user if by_reporter else boss,
            )
        )  # fmt: skip
    ProgressReport.objects.bulk_create(corrections, batch_size=5000)
    decided = [c for c in ProgressReport.objects.filter(needs_approval=True) if rnd.random() < 0.6]
    CorrectionDecision.objects.bulk_create(
        CorrectionDecision(correction=c, approved=rnd.random() < 0.5, comment="ok", decided_by=boss)
        for c in decided
    )
    return plan, actions


def timed(label, fn, repeat=3):
    best = float("inf")
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<58} {best * 1000:8.1f} ms")
    return result


def main():
    plan, actions = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    total = ProgressReport.objects.count()
    print(f"{connection.vendor}: {ACTIONS} actions, {total} reports, "
          f"{ProgressReport.objects.filter(corrects__isnull=False).count()} corrections, "
          f"{ProgressReport.objects.pending().count()} pending")  # fmt: skip
    ids = [a.pk for a in actions]
    day = dt.date(2026, 9, 1)
    timed("effective().count() over the plan", lambda: ProgressReport.objects.effective().count())
    timed(
        "latest effective ≤ d for 300 actions (selectors)",
        lambda: latest_effective_by_action(ids, day),
    )
    timed("engine.latest_effective: 300 probes", lambda: engine.latest_effective(ids, day))
    timed("figures(plan, d).total (the figure engine)", lambda: figures(plan, day).total)
    timed(
        "with_state() of one action's reports",
        lambda: list(ProgressReport.objects.filter(action_id=ids[0]).with_state()),
    )
    if connection.vendor == "postgresql":
        latest = (
            ProgressReport.objects.effective()
            .filter(action=OuterRef("pk"), date__lte=day)
            .order_by("-date", "-id")
            .values("percent")[:1]
        )
        qs = Action.objects.filter(pk=ids[0]).annotate(actual=Subquery(latest))
        print("\nEXPLAIN ANALYZE of the latest effective report of one action:")
        print(qs.explain(analyze=True))


if __name__ == "__main__":
    main()
