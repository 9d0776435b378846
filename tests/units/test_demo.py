"""The demo's production units (SPEC 8): about 600 units in Qom's industrial parks with 18
months of indicators, some drifting into distress and closing, permits, targets with a ledger,
investment events — and the honest backtest on it meets its targets and beats the rule."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from ronagh.demo import province as demo
from ronagh.lib import jalali, national_id
from ronagh.units.models import (
    EmploymentTarget,
    IndustrialPark,
    InvestmentEvent,
    JobsEntry,
    PermitApplication,
    PreventiveCase,
    ProductionUnit,
    RiskScore,
    UnitIndicator,
)

TODAY = dt.date(2026, 11, 6)  # 1405/08/15

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with FAST_HASHER, django_db_blocker.unblock(), transaction.atomic():
        summary = demo.build(seed=demo.DEFAULT_SEED, today=TODAY)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def units(built, db):
    return ProductionUnit.objects.filter(province__code="qom", is_sample=True)


def test_about_600_valid_units_in_qoms_real_parks(units):
    assert 550 <= units.count() <= 650
    assert all(national_id.is_valid(n) for n in units.values_list("national_id", flat=True))
    parks = set(IndustrialPark.objects.values_list("name", flat=True))
    assert {"شهرک صنعتی شکوهیه", "شهرک صنعتی محمودآباد", "شهرک صنعتی سلفچگان"} <= parks
    assert units.filter(priority=True).exists()


def test_18_months_of_indicators_up_to_last_month(units):
    months = sorted(
        set(UnitIndicator.objects.filter(unit__in=units).values_list("month", flat=True))
    )
    assert len(months) == 18
    assert months[-1] == jalali.add_months(TODAY, -1)


def test_some_units_drift_into_distress_and_go_idle_or_close(units):
    statuses = dict(units.values_list("status").annotate(n=Count("id")))
    assert (
        statuses["active"] > 450 and statuses.get("idle", 0) > 10 and statuses.get("closed", 0) > 5
    )
    assert PreventiveCase.objects.filter(unit__in=units).count() > 20
    assert RiskScore.objects.filter(unit__in=units, level="high").exists()


def test_permits_targets_ledger_and_events_are_there(built, units):
    assert PermitApplication.objects.filter(is_sample=True).count() >= 30
    assert PermitApplication.objects.filter(is_sample=True, obstacle__isnull=False).exists()
    assert EmploymentTarget.objects.filter(is_sample=True).exists()
    assert JobsEntry.objects.filter(unit__in=units, evidence="declared").exists()
    assert JobsEntry.objects.filter(unit__in=units, evidence="insurance").exists()
    assert InvestmentEvent.objects.filter(is_sample=True).count() >= 20


def test_the_backtest_on_the_demo_meets_its_targets_and_beats_the_rule(built):
    out = io.StringIO()
    call_command("backtest", "--json", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert set(result) == {"units", "months", "horizon_months", "model", "rule"}
    assert result["months"] == 18 and result["horizon_months"] == 6
    model, rule = result["model"], result["rule"]
    assert model["auc"] >= 0.80 and model["recall_lead_6"] >= 0.5
    assert model["auc"] > rule["auc"] and model["recall"] > rule["recall"]
    assert model["precision"] > rule["precision"]
    assert model["false_alarms_per_month"] < rule["false_alarms_per_month"]
    assert model["alerts_per_month"] == rule["alerts_per_month"]
