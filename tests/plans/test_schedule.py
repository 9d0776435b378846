"""One validator for an action's schedule (plans.schedule), used by the action form, the API,
re-planning and the workbook alike; and the database's own guard of start ≤ end."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ronagh.plans.schedule import clean_schedule
from tests.factories import ActionFactory

D = dt.date
YEAR = (D(2026, 3, 21), D(2027, 3, 20))


def test_a_good_schedule_comes_back_in_storage_form():
    s = clean_schedule(
        start=D(2026, 4, 1), end=D(2026, 9, 30), weight="۲٫۵", target="1200",
        milestones=[(D(2026, 8, 1), "60"), (D(2026, 6, 1), "۲۵")], year=YEAR,
    )  # fmt: skip
    assert s.ok
    assert (s.weight, s.target) == (Decimal("2.500"), Decimal("1200.00"))
    assert s.milestones == [(D(2026, 6, 1), Decimal("25.0")), (D(2026, 8, 1), Decimal("60.0"))]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"start": D(2026, 9, 1), "end": D(2026, 4, 1)}, "end"),
        ({"weight": "0"}, "weight"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "0.0001"}, "weight"),
        ({"weight": "1000000"}, "weight"),
        ({"weight": "abc"}, "weight"),
        ({"target": "abc"}, "target"),
        ({"target": "1.005"}, "target"),
        ({"milestones": [(D(2026, 6, 1), "101")]}, "milestones"),
        ({"milestones": [(D(2026, 6, 1), "10.25")]}, "milestones"),
        ({"milestones": [(D(2026, 12, 1), "10")]}, "milestones"),  # after the end
        ({"milestones": [(D(2026, 6, 1), "10"), (D(2026, 6, 1), "20")]}, "milestones"),
        ({"milestones": [(D(2026, 6, 1), "50"), (D(2026, 7, 1), "20")]}, "milestones"),
        ({"start": D(2026, 1, 1)}, "start"),  # outside the plan year
    ],
)
def test_every_rule_names_its_field(kw, field):
    args = {"start": D(2026, 4, 1), "end": D(2026, 9, 30), "year": YEAR} | kw
    assert field in clean_schedule(**args).errors


def test_dates_may_be_required_and_may_be_missing_in_a_draft():
    assert clean_schedule(start=None, end=None).ok
    required = clean_schedule(start=None, end=None, dates_required=True)
    assert {"start", "end"} <= set(required.errors)


@pytest.mark.django_db
def test_the_database_refuses_an_action_that_ends_before_it_starts():
    action = ActionFactory()
    action.start, action.end = D(2026, 9, 1), D(2026, 4, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()
