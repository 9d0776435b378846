"""The demo's obstacles: a year of cases in every state, moved through the services."""

import datetime as dt
import random

from ronagh.demo.obstacles import build_obstacles, legal_national_id
from ronagh.demo.organisation import ensure_organisation
from ronagh.obstacles.models import Obstacle, Transition
from ronagh.units.models import IndustrialPark, ProductionUnit

TODAY = dt.date(2026, 11, 22)  # 1405/09/01


def _build(org, seed=7, count=80):
    return build_obstacles(
        province=org.province,
        plan=None,
        rnd=random.Random(seed),
        today=TODAY,
        secretariat=org.secretariat,
        agencies=org.agencies,
        reporters=org.reporters,
        count=count,
        units=30,
    )


def test_the_demo_builds_obstacles_in_every_state(db):
    org = ensure_organisation(1405)
    summary = _build(org)
    obstacles = Obstacle.objects.filter(province=org.province)
    assert obstacles.count() == 80 == summary.obstacles
    assert IndustrialPark.objects.count() == 10 and ProductionUnit.objects.count() == 30
    assert len(set(obstacles.values_list("category", flat=True))) >= 8
    assert summary.counts["resolved"] > 10
    assert summary.counts["overdue"] > 0 and summary.counts["bounced"] > 0
    assert obstacles.filter(is_sample=True).count() == 80
    assert all(t.at.date() <= TODAY for t in Transition.objects.all())
    late = [o for o in obstacles.filter(status="resolved") if o.resolved_on > o.due_date]
    assert late


def test_the_demo_is_deterministic_and_rebuilds_in_place(db):
    org = ensure_organisation(1405)
    _build(org, seed=3, count=30)
    first = list(Obstacle.objects.order_by("registered_at", "id").values_list("title", "status"))
    _build(org, seed=3, count=30)
    again = list(Obstacle.objects.order_by("registered_at", "id").values_list("title", "status"))
    assert first == again and Obstacle.objects.count() == 30


def test_sample_national_ids_have_a_valid_check_digit():
    assert legal_national_id(1) != legal_national_id(2)
    assert all(len(legal_national_id(i)) == 11 for i in range(1, 100))
