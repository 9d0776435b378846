"""Benchmark data: a province (27 axes, 500 actions, a year of daily reports), the country (31
such provinces, ~5.5 M reports) or a stress size, written fast into the database that
DATABASE_URL names — PostgreSQL by COPY, SQLite by executemany — on the real schema (migrated
first). Deterministic: the same size and seed give the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ronagh_bench .venv/bin/python bench/generate.py country
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/generate.py province

Sizes: smoke (2 provinces × 40 actions × 60 days: for `make test`), province (1 × 500 × 365),
country (31 × 500 × 365), stress (31 × 1,000 × 365). The year is 1405 (2026-03-21 …), the as-of
date the benchmarks use is 1405/12/20 (2027-03-11), near the year's end, so the whole year of
history lies behind it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronagh.settings")
os.environ.setdefault("RONAGH_TESTING", "1")

YEAR = 1405
YEAR_START = dt.date(2026, 3, 21)
AS_OF = dt.date(2027, 3, 11)
SIZES = {
    "smoke": (2, 40, 60),
    "province": (1, 500, 365),
    "country": (31, 500, 365),
    "stress": (31, 1000, 365),
}
AGENCIES_PER_PROVINCE = 30
AXES = 27


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _connection():
    from django.db import connection

    return connection


def generate(size: str, seed: int = 1405, progress=print) -> dict:
    """Write the data; returns counts. Refuses a database that already has plans."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ronagh.core.models import Agency, Province, User
    from ronagh.core.services import ensure_provinces
    from ronagh.plans.models import Action, Axis, Plan

    provinces_n, actions_n, days_n = SIZES[size]
    rnd = random.Random(f"{seed}:{size}")
    ensure_provinces()
    if Plan.objects.exists():
        raise SystemExit("The benchmark database already has plans: drop it first.")
    provinces = list(Province.objects.order_by("code"))[:provinces_n]
    password = make_password("bench-1405")
    history_start = AS_OF - dt.timedelta(days=days_n)
    counts = {"provinces": len(provinces), "actions": 0, "reports": 0}
    started = time.monotonic()
    for p_index, province in enumerate(provinces):
        with transaction.atomic():
            agencies = Agency.objects.bulk_create(
                Agency(province=province, name=f"دستگاه {k + 1} {province.name}",
                       name_key=f"دستگاه {k + 1} {province.name}", code=f"a{k + 1}")
                for k in range(AGENCIES_PER_PROVINCE)
            )  # fmt: skip
            users = User.objects.bulk_create(
                User(username=f"{province.code}-rabet-{k + 1}", role=User.Role.AGENCY_REPORTER,
                     agency=a, province=province, password=password)
                for k, a in enumerate(agencies)
            )  # fmt: skip
            secretariat = User.objects.create(
                username=f"{province.code}-dabir", role=User.Role.SECRETARIAT, province=province,
                password=password, is_staff=True,
            )  # fmt: skip
            plan = Plan.objects.create(
                province=province, year=YEAR, title=f"برنامه رونق تولید {province.name}",
                status=Plan.Status.COMMUNICATED, communicated_on=YEAR_START + dt.timedelta(days=5),
                communicated_by=secretariat, baseline={"axes": {}, "actions": {}},
            )  # fmt: skip
            axes = Axis.objects.bulk_create(
                Axis(plan=plan, number=n + 1, title=f"محور {n + 1}", weight=rnd.choice([1, 2, 3]))
                for n in range(AXES)
            )
            specs = []
            for k in range(actions_n):
                start = YEAR_START + dt.timedelta(days=rnd.randint(0, 20))
                end = min(
                    start + dt.timedelta(days=rnd.randint(120, 360)),
                    YEAR_START + dt.timedelta(days=364),
                )
                specs.append((k, start, end, rnd.randrange(len(agencies))))
            actions = Action.objects.bulk_create(
                Action(plan=plan, axis=axes[k % AXES], code=f"{k % AXES + 1}-{k + 1}",
                       title=f"اقدام {k + 1}", lead_agency=agencies[g], weight=rnd.choice([1, 2]),
                       start=s, end=e, indicator="درصد", target=100, unit="درصد")
                for k, s, e, g in specs
            )  # fmt: skip
            rows = []
            for action, (_k, start, _end, g) in zip(actions, specs, strict=True):
                pace = rnd.choice([0.0, 0.1, 0.2, 0.3, 0.45, 0.6])  # about pace/2 points a day
                value = 0
                day = max(start, history_start)
                while day <= AS_OF:
                    if day.weekday() != 4 and rnd.random() < 0.99:
                        value = min(1000, value + int(rnd.random() * pace * 10))
                        rows.append((action.pk, agencies[g].pk, day, value, users[g].pk))
                        if value >= 1000:
                            break
                    day += dt.timedelta(days=1)
            counts["actions"] += len(actions)
            counts["reports"] += _write_reports(rows)
        progress(
            f"  {province.code}: {len(actions)} actions, {len(rows)} reports "
            f"({time.monotonic() - started:.0f} s)"
        )
        del p_index
    _analyze()
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


COLUMNS = ("action_id", "agency_id", "date", "percent", "note", "evidence", "unchanged",
           "reason", "late", "entered_by_secretariat", "entered_by_id", "entered_at")  # fmt: skip


def _write_reports(rows) -> int:
    """(action, agency, date, tenths, user) rows into plans_progressreport, by COPY or
    executemany."""
    connection = _connection()
    entered = "2027-03-11 08:00:00+03:30"
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for action, agency, day, tenths, user in rows:
            buffer.write(
                f"{action}\t{agency}\t{day.isoformat()}\t{tenths / 10:.1f}\t\t\tf\t\tf\tf\t{user}\t{entered}\n"
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY plans_progressreport ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
    else:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO plans_progressreport ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                [
                    (
                        a,
                        g,
                        d.isoformat(),
                        f"{t / 10:.1f}",
                        "",
                        "",
                        False,
                        "",
                        False,
                        False,
                        u,
                        entered,
                    )
                    for a, g, d, t, u in rows
                ],
            )
    return len(rows)


def _analyze():
    connection = _connection()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1405)
    args = parser.parse_args(argv)
    setup()
    counts = generate(args.size, args.seed)
    print(counts)


if __name__ == "__main__":
    main()
