"""`ronagh check-plan --province CODE --year YYYY`: the plan quality check on the command line
(SPEC 4.1). Exit 1 while blocking gaps remain, 0 otherwise, 2 when there is nothing to check."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ronagh.cli import COMMANDS
from ronagh.lib.digits import to_latin
from tests.factories import ActionFactory, AgencyFactory, AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made in every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# A month long: no "long action without milestones" warning.
MONTH = {"start": dt.date(2026, 4, 1), "end": dt.date(2026, 5, 1)}


def check_plan(*args):
    """(stdout, stderr, exit code) as the console script would give them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_plan", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_console_script_knows_the_command():
    assert COMMANDS["check-plan"] == "check_plan"


def test_blocking_gaps_are_listed_by_kind_and_exit_1():
    plan = PlanFactory()
    axis = AxisFactory(plan=plan, number=1)
    ActionFactory(axis=axis, code="A-1", lead_agency=None, **MONTH)
    ActionFactory(axis=axis, code="A-2", start=None, end=None)
    ActionFactory(axis=axis, code="A-3", indicator="", **MONTH)
    AxisFactory(plan=plan, number=9)
    out, err, code = check_plan("--province", "qom", "--year", "۱۴۰۵")
    assert code == 1
    assert to_latin(plan.title) in out  # the console writes Latin digits
    assert "Actions without a lead agency (blocking): 1" in out
    assert "Action A-1 has no lead agency." in out
    assert "Action A-2 has no start or end date." in out
    assert "Axis 9 has no actions." in out
    assert "Actions without an indicator or target (warning): 1" in out
    assert out.index("A-1 has no lead") < out.index("A-3 has no indicator")
    assert "3 blocking gaps, 1 warning." in out
    assert "cannot be communicated" in err


def test_warnings_alone_exit_0():
    agency = AgencyFactory()
    ActionFactory(code="B-1", lead_agency=agency, indicator="", **MONTH)
    out, err, code = check_plan("--province", "qom", "--year", "1405")
    assert code == 0, err
    assert "Action B-1 has no indicator or target." in out
    assert "0 blocking gaps, 1 warning. Nothing blocks communication." in out


def test_a_clean_plan_says_so():
    ActionFactory(lead_agency=AgencyFactory(), **MONTH)
    out, _err, code = check_plan("--province", "qom", "--year", "1405")
    assert code == 0 and "No gaps found." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--province", "qum", "--year", "1405"), "Unknown province code"),
        (("--province", "qom", "--year", "1399"), "has no plan for 1399"),
        (("--province", "qom", "--year", "next"), "is not a Jalali year"),
    ],
)
def test_nothing_to_check_exits_2(args, message):
    ActionFactory()
    _out, err, code = check_plan(*args)
    assert code == 2 and message in err
