"""The demo's HQ: monthly meetings with resolutions answering demo obstacles, clauses of agencies
and firms with every outcome, the escalation ladder with an Article 62 case, two systemic issues;
the same every time for the same seed and day."""

import datetime as dt
import random

import pytest

from ronagh.demo.hq import build_hq, drop_hq
from ronagh.demo.obstacles import build_obstacles
from ronagh.demo.organisation import ensure_organisation
from ronagh.hq import selectors
from ronagh.hq.models import Article62Case, Clause, EscalationStep, Meeting, SystemicIssue

TODAY = dt.date(2026, 11, 6)  # 1405/08/15


def _build(org, seed=5):
    build_obstacles(
        province=org.province,
        plan=None,
        rnd=random.Random(f"{seed}:obstacles"),
        today=TODAY,
        secretariat=org.secretariat,
        agencies=org.agencies,
        reporters=org.reporters,
        count=90,
        units=30,
    )
    return build_hq(
        province=org.province,
        rnd=random.Random(f"{seed}:hq"),
        today=TODAY,
        secretariat=org.secretariat,
        agencies=org.agencies,
        reporters=org.reporters,
    )


@pytest.fixture
def org(db):
    return ensure_organisation(1405)


def _fingerprint():
    return (
        list(Meeting.objects.order_by("number").values_list("number", "date")),
        list(
            Clause.objects.order_by(
                "resolution__meeting__number", "resolution__number", "number"
            ).values_list("obligation", "due_date", "status", "done_on")
        ),
        list(EscalationStep.objects.order_by("clause_id", "date").values_list("step", "date")),
    )


def test_the_demo_hq_has_a_year_of_meetings_with_every_outcome(org):
    summary = _build(org)
    meetings = Meeting.objects.filter(province=org.province)
    assert 7 <= meetings.count() <= 9  # about one a month from Farvardin to Aban
    assert all(m.is_sample for m in meetings)
    assert summary.resolutions >= 3 * (meetings.count() - 1)
    clauses = Clause.objects.all()
    assert (
        clauses.filter(party_kind="firm").exists() and clauses.filter(party_kind="agency").exists()
    )
    assert clauses.filter(status="done").exists() and clauses.filter(status="not_done").exists()
    assert selectors.overdue_clauses(as_of=TODAY).exists()
    late = [c for c in clauses.filter(status="done") if c.done_on > c.due_date]
    assert late
    case = Article62Case.objects.get()
    assert case.board_opinion and case.pay_by
    assert EscalationStep.objects.filter(step="governor_letter").exists()
    assert SystemicIssue.objects.count() == 2
    assert SystemicIssue.objects.filter(referred_on__isnull=False).count() == 1
    rate = selectors.execution_rate(user=org.secretariat, as_of=TODAY)
    assert 0.3 <= rate.rate <= 0.85  # published provincial rates run from about 40 % to 80 %


def test_the_demo_hq_is_deterministic_and_can_be_dropped(org):
    _build(org)
    first = _fingerprint()
    drop_hq(org.province)
    assert not Meeting.objects.exists() and not SystemicIssue.objects.exists()
    _build(org)
    assert _fingerprint() == first
