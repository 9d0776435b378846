"""Every service that changes something checks the actor itself (SPEC 10): called directly —
not through a page or the API — with the secretariat of another province, a user of another
agency, the governor or the auditor, it raises PermissionDenied and changes nothing."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from ronagh.core.models import Agency, Province, User
from ronagh.hq import services as hq
from ronagh.hq.models import Clause, EscalationStep, Meeting, Resolution
from ronagh.obstacles import routing
from ronagh.obstacles import services as obstacles
from ronagh.obstacles.models import Obstacle
from ronagh.plans import services as plans
from ronagh.plans.models import Action, Plan, ProgressReport, ReplanRequest
from ronagh.plans.workbook import import_plan, read_workbook
from ronagh.scorecards import services as scorecards
from ronagh.scorecards.models import Evaluation, SuspiciousFlag
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    communicated,
    manager,
    qom,
    reporter,
    secretariat,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 3)  # 1405/03/13, Wednesday
YESTERDAY = dt.date(2026, 6, 2)


@pytest.fixture
def world():
    """Qom with a lead agency and a partner agency of one communicated action, a draft plan of
    the next year, an obstacle and a clause of the lead agency; Tehran's secretariat; and one of
    each kind of outsider."""
    tehran = Province.objects.get(code="tehran")
    lead, partner = AgencyFactory(name="سازمان صنعت"), AgencyFactory(name="بانک ملی")
    bystander = AgencyFactory(name="اداره ثبت")
    dabir = secretariat()
    plan = communicated(PlanFactory())
    action = ActionFactory(axis=AxisFactory(plan=plan), lead_agency=lead)
    action.partners.add(partner)
    draft = PlanFactory(year=1406)
    draft_axis = AxisFactory(plan=draft)
    lead_report = add_report(action, YESTERDAY, 40, user=reporter(lead))
    obstacle = Obstacle.objects.create(
        province=qom(), category="tax", title="مانع", severity=2, responsible_agency=lead,
        status="assigned", assigned_on=YESTERDAY, due_date=TODAY, registered_by=dabir,
        registered_on=YESTERDAY,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        province=qom(), number=1, date=dt.date(2026, 5, 5), created_by=dabir
    )
    resolution = Resolution.objects.create(
        meeting=meeting, number=1, text="مصوبه", created_by=dabir
    )
    clause = Clause.objects.create(
        resolution=resolution, number=1, agency=lead, obligation="پرداخت", due_date=TODAY,
        created_by=dabir,
    )  # fmt: skip
    return SimpleNamespace(
        plan=plan, draft=draft, draft_axis=draft_axis, action=action, lead=lead, partner=partner,
        lead_report=lead_report, obstacle=obstacle, meeting=meeting, resolution=resolution,
        clause=clause, dabir=dabir, lead_reporter=reporter(lead), tehran=tehran,
        outsiders={
            "tehran secretariat": secretariat(province=tehran),
            "another agency's reporter": reporter(bystander),
            "another agency's manager": manager(bystander),
            "governor": UserFactory(role=User.Role.GOVERNOR),
            "auditor": UserFactory(role=User.Role.AUDITOR),
        },
    )  # fmt: skip


def calls(w):
    """(name, the service called as `actor`) for every service that changes something."""
    late = TODAY - dt.timedelta(days=20)
    return [
        ("create_plan", lambda a: plans.create_plan(actor=a, province=qom(), year=1407, title="x")),
        ("save_axis", lambda a: plans.save_axis(actor=a, plan=w.draft, number=9, title="x")),
        ("save_action", lambda a: plans.save_action(
            actor=a, plan=w.draft, axis=w.draft_axis, code="Z-1", title="x")),
        ("communicate_plan", lambda a: plans.communicate_plan(actor=a, plan=w.draft)),
        ("import_plan", lambda a: import_plan(
            parsed=read_workbook(b""), province=qom(), year=1408, actor=a)),
        ("report_progress", lambda a: plans.report_progress(
            actor=a, action=w.action, date=TODAY, percent=50, today=TODAY)),
        ("report_progress late", lambda a: plans.report_progress(
            actor=a, action=w.action, date=late, percent=10, agency=w.lead, today=TODAY)),
        ("correct", lambda a: plans.report_progress(
            actor=a, action=w.action, date=YESTERDAY, percent=30, corrects=w.lead_report,
            reason="x", today=TODAY)),
        ("acknowledge_plan", lambda a: plans.acknowledge_plan(actor=a, plan=w.plan)),
        ("request_replan", lambda a: plans.request_replan(
            actor=a, action=w.action, start=w.action.start, end=dt.date(2027, 1, 31), reason="x")),
        ("register_obstacle", lambda a: obstacles.register_obstacle(
            actor=a, province=qom(), title="x", category="tax", severity=2)),
        ("transition", lambda a: obstacles.transition(
            actor=a, obstacle=w.obstacle, to="in_progress")),
        ("set_routing_rule", lambda a: routing.set_routing_rule(
            actor=a, province=qom(), category="tax", agency=w.lead)),
        ("create_meeting", lambda a: hq.create_meeting(
            actor=a, province=qom(), date=TODAY)),
        ("add_resolution", lambda a: hq.add_resolution(
            actor=a, meeting=w.meeting, text="x", today=TODAY)),
        ("add_clause", lambda a: hq.add_clause(
            actor=a, resolution=w.resolution, obligation="x", due_date=TODAY, agency=w.lead)),
        ("mark_clause", lambda a: hq.mark_clause(
            actor=a, clause=w.clause, status="done", on=TODAY, today=TODAY)),
        ("escalate", lambda a: hq.escalate(
            actor=a, clause=w.clause, step="reminder", on=TODAY + dt.timedelta(1),
            today=TODAY + dt.timedelta(1))),
        ("group_systemic", lambda a: hq.group_systemic(
            actor=a, province=qom(), obstacles=[w.obstacle], title="x", cause="x")),
        ("add_evaluation", lambda a: scorecards.add_evaluation(
            actor=a, agency=w.lead, plan=w.plan, period_start=dt.date(2026, 5, 1),
            period_end=dt.date(2026, 5, 31), text="x")),
        ("detect_flags", lambda a: scorecards.detect_flags(plan=w.plan, as_of=TODAY, actor=a)),
    ]  # fmt: skip


# Who may make each call after all (everyone else is an outsider to it).
ALLOWED = {
    "report_progress": set(),
    "register_obstacle": {"another agency's reporter", "another agency's manager"},
}


def snapshot():
    return tuple(
        m.objects.count()
        for m in (Plan, Action, ProgressReport, ReplanRequest, Obstacle, Meeting, Resolution,
                  Clause, EscalationStep, Evaluation, SuspiciousFlag, Agency)
    )  # fmt: skip


@pytest.mark.parametrize("who", [
    "tehran secretariat", "another agency's reporter", "another agency's manager", "governor",
    "auditor",
])  # fmt: skip
def test_every_service_refuses_an_outsider(world, who):
    actor = world.outsiders[who]
    before = snapshot()
    allowed_anyway = []
    for name, call in calls(world):
        if who in ALLOWED.get(name, set()):
            allowed_anyway.append(name)
            continue
        with pytest.raises(PermissionDenied):
            call(actor)
    assert snapshot() == before
    # An agency user may register an obstacle of its own province: that is not an outsider's act.
    assert set(allowed_anyway) <= {"register_obstacle"}


def test_a_partner_agency_never_corrects_the_lead_agencys_report(world):
    partner_reporter = reporter(world.partner)
    with pytest.raises(PermissionDenied):
        plans.report_progress(
            actor=partner_reporter, action=world.action, date=YESTERDAY, percent=10,
            corrects=world.lead_report, reason="کم‌تر بود", today=TODAY,
        )  # fmt: skip
    # ...nor the lead the partner's report.
    partner_report = plans.report_progress(
        actor=partner_reporter, action=world.action, date=TODAY, percent=45, today=TODAY
    )
    with pytest.raises(PermissionDenied):
        plans.report_progress(
            actor=world.lead_reporter, action=world.action, date=TODAY, percent=41,
            corrects=partner_report, reason="اشتباه", today=TODAY,
        )  # fmt: skip
    # The lead corrects its own, and the secretariat any.
    own = plans.report_progress(
        actor=world.lead_reporter, action=world.action, date=YESTERDAY, percent=35,
        corrects=world.lead_report, reason="اشتباه", today=TODAY,
    )  # fmt: skip
    assert own.agency == world.lead
    by_secretariat = plans.report_progress(
        actor=world.dabir, action=world.action, date=TODAY, percent=44,
        corrects=partner_report, reason="نامه دستگاه", today=TODAY,
    )  # fmt: skip
    assert by_secretariat.agency == world.partner and by_secretariat.entered_by_secretariat


def test_the_secretariat_of_another_province_builds_nothing_here(world):
    tehran_sec = world.outsiders["tehran secretariat"]
    with pytest.raises(PermissionDenied):
        plans.decide_replan(
            actor=tehran_sec,
            request=plans.request_replan(
                actor=world.lead_reporter, action=world.action, start=world.action.start,
                end=dt.date(2027, 1, 31), reason="تأخیر اعتبار",
            ),
            approve=True, reason="x",
        )  # fmt: skip
    # In its own province it may.
    assert plans.create_plan(actor=tehran_sec, province=world.tehran, year=1405, title="تهران")
