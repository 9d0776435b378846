"""Writes: evaluations kept with the agency, suspicious patterns detected once and cleared with
a note by the secretariat."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.core.errors import Conflict
from ronagh.core.models import Province, User
from ronagh.scorecards.models import Evaluation, SuspiciousFlag
from ronagh.scorecards.services import add_evaluation, clear_flag, detect_flags
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    manager,
    secretariat,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def plan():
    return communicated(PlanFactory())


def evaluate(actor, agency, plan, **kw):
    args = {
        "period_start": D(2026, 4, 21),
        "period_end": D(2026, 5, 21),
        "period_label": "اردیبهشت",
        "text": "گزارش‌دهی منظم؛ اقدام ۳ عقب است.",
        "grade": "b",
    }
    args.update(kw)
    return add_evaluation(actor=actor, agency=agency, plan=plan, **args)


def test_the_secretariat_keeps_an_evaluation(plan):
    g, author = AgencyFactory(), secretariat()
    e = evaluate(author, g, plan)
    assert (e.agency, e.plan, e.author, e.grade, e.period_label) == (
        g,
        plan,
        author,
        "B",
        "اردیبهشت",
    )
    evaluate(author, g, plan, text="ارزیابی دوم")
    assert Evaluation.objects.filter(agency=g).count() == 2  # a second one is added, not a rewrite


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"period_start": None}, "period_start"),
        ({"period_end": D(2026, 4, 1)}, "period_end"),
        ({"period_end": D(2027, 4, 1)}, "period_end"),
        ({"grade": "E"}, "grade"),
    ],
)
def test_a_bad_evaluation_is_refused_and_nothing_saved(plan, changes, field):
    with pytest.raises(ValidationError) as exc:
        evaluate(secretariat(), AgencyFactory(), plan, **changes)
    assert field in exc.value.message_dict
    assert not Evaluation.objects.exists()


def test_only_the_secretariat_of_the_province_evaluates(plan):
    g = AgencyFactory()
    with pytest.raises(PermissionDenied):
        evaluate(manager(g), g, plan)
    tehran = UserFactory(role=User.Role.SECRETARIAT, province=Province.objects.get(code="tehran"))
    with pytest.raises(PermissionDenied):
        evaluate(tehran, g, plan)
    assert not Evaluation.objects.exists()


@pytest.fixture
def jumpy(plan):
    a = ActionFactory(axis=AxisFactory(plan=plan))
    add_report(a, D(2026, 5, 2), 10)
    jump = add_report(a, D(2026, 5, 3), 45)
    return a, jump


def test_detection_is_idempotent(plan, jumpy):
    action, jump = jumpy
    found = detect_flags(plan=plan, as_of=D(2026, 6, 1))
    assert [(f.action_id, f.report_id, f.kind) for f in found] == [(action.id, jump.id, "jump")]
    assert detect_flags(plan=plan, as_of=D(2026, 6, 1)) == []
    assert SuspiciousFlag.objects.count() == 1


def test_a_cleared_flag_stays_cleared(plan, jumpy):
    detect_flags(plan=plan, as_of=D(2026, 6, 1))
    flag = SuspiciousFlag.objects.get()
    clear_flag(actor=secretariat(), flag=flag, note="با دستگاه تماس گرفته شد؛ درست است.")
    assert detect_flags(plan=plan, as_of=D(2026, 6, 1)) == []
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.note.startswith("با دستگاه")


def test_a_burst_before_an_evaluated_period_ends(plan):
    g = AgencyFactory()
    a = ActionFactory(axis=AxisFactory(plan=plan), lead_agency=g)
    add_report(a, D(2026, 5, 10), 20)
    last = add_report(a, D(2026, 5, 19), 48)
    assert detect_flags(plan=plan, as_of=D(2026, 6, 1)) == []  # 28 points, but no deadline
    evaluate(secretariat(), g, plan, period_end=D(2026, 5, 21))
    found = detect_flags(plan=plan, as_of=D(2026, 6, 1))
    assert [(f.report_id, f.kind) for f in found] == [(last.id, "burst")]


def test_clearing_needs_a_note_and_the_secretariat(plan, jumpy):
    detect_flags(plan=plan, as_of=D(2026, 6, 1))
    flag = SuspiciousFlag.objects.get()
    with pytest.raises(ValidationError) as exc:
        clear_flag(actor=secretariat(), flag=flag, note="  ")
    assert "note" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        clear_flag(actor=UserFactory(role=User.Role.GOVERNOR), flag=flag, note="دیدم")
    flag.refresh_from_db()
    assert flag.cleared_at is None and flag.cleared_by is None
    clear_flag(actor=secretariat(), flag=flag, note="بررسی شد")
    with pytest.raises(Conflict):
        clear_flag(actor=secretariat(), flag=flag, note="دوباره")
