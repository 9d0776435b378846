"""`ronagh demo` (SPEC 8): the demo province is built once for this module, full size, as of a
fixed day, and every test reads it; tests that rebuild it run inside their own savepoint."""

import bisect
import datetime as dt
import io
from collections import defaultdict

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from ronagh.core.calendar import working_calendar
from ronagh.core.models import Agency, Holiday, User
from ronagh.demo import province as demo
from ronagh.lib.digits import to_latin
from ronagh.plans.figures import figures
from ronagh.plans.models import Action, Plan, ProgressReport, ReportState
from ronagh.plans.quality import blocking_gaps, plan_gaps

TODAY = dt.date(2026, 11, 6)  # 1405/08/15
SEED = 7


# A cheap hasher for the module: the demo's users are logged in one by one.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with FAST_HASHER, django_db_blocker.unblock(), transaction.atomic():
        summary = demo.build(seed=SEED, today=TODAY)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def plan(built, db):
    return built.plan


def fingerprint(plan: Plan, as_of: dt.date) -> tuple:
    """What a user of the demo sees: every action, every report and the plan's figures."""
    pf = figures(plan, as_of)
    actions = tuple(
        Action.objects.filter(plan=plan)
        .order_by("code")
        .values_list("code", "title", "lead_agency__name", "weight", "start", "end", "target")
    )
    reports = tuple(
        ProgressReport.objects.filter(action__plan=plan)
        .order_by("action__code", "date", "percent", "entered_by__username")
        .values_list(
            "action__code", "date", "percent", "late", "entered_by_secretariat",
            "entered_by__username", "corrects__percent", "note",
        )
    )  # fmt: skip
    total = pf.total
    return actions, reports, (round(total.planned, 6), round(total.actual, 6), total.status_counts)


def test_the_demo_has_27_axes_about_300_actions_and_30_agencies(built, plan):
    assert built.built
    assert plan.axes.count() == 27
    assert 280 <= Action.objects.filter(plan=plan).count() <= 320
    assert 28 <= Agency.objects.filter(province__code="qom").count() <= 35
    assert plan.is_sample
    assert plan.year == 1405 and "۱۴۰۵" in plan.title
    weights = set(plan.axes.values_list("weight", flat=True))
    assert min(weights) == 1 and max(weights) == 3
    assert Holiday.objects.filter(title__contains="نوروز").count() >= 4
    assert Holiday.objects.filter(lunar=True).exists()  # the lunar holidays too (SPEC 3)


def test_every_agency_leads_an_action(plan):
    leading = set(Action.objects.filter(plan=plan).values_list("lead_agency", flat=True))
    assert leading == set(Agency.objects.filter(province__code="qom").values_list("id", flat=True))


def test_the_plan_was_communicated_by_the_secretariat_with_warnings_only(plan):
    assert plan.status == Plan.Status.COMMUNICATED
    assert plan.communicated_by.username == "dabir"
    assert plan.communicated_on == dt.date(2026, 3, 30)  # 1405/01/10
    assert blocking_gaps(plan) == []
    warnings = {g.code for g in plan_gaps(plan)}
    assert {"no_milestones", "no_indicator"} <= warnings
    assert "idle_agency" not in warnings and "duplicate_title" not in warnings


def test_one_demo_user_per_role_and_each_can_log_in(built, client):
    assert {u.role for u in built.users} == set(User.Role.values)
    for user in built.users:
        assert client.login(username=user.username, password=demo.DEMO_PASSWORD), user.username
        client.logout()
    reporter = User.objects.get(username="rabet-sanat")
    assert reporter.agency.code == "sanat" and reporter.role == User.Role.AGENCY_REPORTER


def test_reports_stay_in_range_and_never_go_down_except_by_correction(plan):
    effective = defaultdict(list)
    rows = ProgressReport.objects.filter(action__plan=plan).order_by("action_id", "date", "id")
    for action_id, percent, state in rows.with_state().values_list("action_id", "percent", "state"):
        assert 0 <= percent <= 100 and percent == percent.quantize(percent.__class__("0.1"))
        if state == ReportState.EFFECTIVE:
            effective[action_id].append(percent)
    assert effective
    for values in effective.values():
        assert values == sorted(values)
        assert values.count(100) <= 1  # nothing is reported after 100 %
    corrections = rows.filter(corrects__isnull=False)
    assert corrections.exists()
    for c in corrections:
        assert c.reason and c.corrects.action_id == c.action_id and c.corrects.date == c.date


def test_replayed_in_entry_order_no_report_breaks_a_rule_of_report_progress(plan):
    # The history is bulk-written; entered in the order of entered_at, each report must have
    # been accepted by report_progress: no silent decrease, nothing above a later report, a
    # correction of a report that is still in force.
    rows = ProgressReport.objects.filter(action__plan=plan).order_by("entered_at", "id")
    effective: dict[int, list] = defaultdict(list)  # action → sorted [(date, id, percent)]
    corrected = set()
    for rid, action_id, date, percent, corrects_id in rows.values_list(
        "id", "action_id", "date", "percent", "corrects_id"
    ):
        reports = effective[action_id]
        if corrects_id is not None:
            assert corrects_id not in corrected
            corrected.add(corrects_id)
            reports[:] = [r for r in reports if r[1] != corrects_id]
        else:
            i = bisect.bisect_right(reports, (date, float("inf")))
            if i:
                assert reports[i - 1][2] <= percent
            if i < len(reports):
                assert percent <= reports[i][2]
        bisect.insort(reports, (date, rid, percent))


def test_reports_keep_the_reporting_window_and_the_lead_agency(plan):
    cal = working_calendar()
    window = settings.RONAGH["REPORTING_WINDOW_WORKING_DAYS"]
    rows = ProgressReport.objects.filter(action__plan=plan).values_list(
        "date", "entered_at", "late", "entered_by_secretariat", "entered_by__role",
        "entered_by__agency", "agency", "action__lead_agency",
    )  # fmt: skip
    by_secretariat = 0
    for date, entered_at, late, secretariat, role, user_agency, agency, lead in rows:
        assert plan.communicated_on < date <= TODAY
        assert agency == lead
        if secretariat:
            by_secretariat += 1
            assert late and role == User.Role.SECRETARIAT
            continue
        entered = timezone.localtime(entered_at).date()
        if entered > TODAY:
            continue  # sent through report_progress, which stamps the real time
        assert not late and user_agency == agency
        assert date <= entered <= cal.add_working_days(date, window)
    assert by_secretariat >= 2


def test_the_dashboards_show_stalled_critical_on_track_and_done_actions(built):
    counts = built.figures.total.status_counts
    for status in ("stalled", "critical", "on_track", "done", "behind", "not_due"):
        assert counts[status] > 0, status
    assert 0 < built.figures.total.actual < built.figures.total.planned < 100
    unreported = [f for f in built.figures.actions.values() if f.unreported]
    assert unreported  # late agencies leave gaps


def test_some_of_todays_reports_went_through_the_service(plan):
    # report_progress stamps the real time; the generated history stamps its own moments.
    recent = ProgressReport.objects.filter(
        action__plan=plan, entered_at__date__gt=TODAY
    ).select_related("entered_by")
    assert 1 <= recent.filter(corrects__isnull=True).count() <= 5
    assert all(r.entered_by.role == User.Role.AGENCY_REPORTER for r in recent)


def test_two_of_todays_corrections_wait_for_the_managers_approval(plan):
    waiting = ProgressReport.objects.filter(action__plan=plan).pending()
    assert waiting.count() == 2
    assert all(r.agency.users.filter(role=User.Role.AGENCY_MANAGER).exists() for r in waiting)
    # The reporters' earlier corrections were approved, each with a comment.
    decided = ProgressReport.objects.filter(action__plan=plan, needs_approval=True).exclude(
        pk__in=waiting.values("pk")
    )
    assert decided.exists() and all(r.decision.approved and r.decision.comment for r in decided)


def test_the_demo_of_the_same_year_is_kept_unless_reset(built, plan):
    kept = demo.build(seed=SEED, today=TODAY)
    assert not kept.built and kept.plan == plan
    assert kept.counts == built.counts


def test_another_year_replaces_the_demo_and_the_same_seed_gives_the_same_one(plan):
    # --year 1398, the seed's own year: reports run to that year's last day.
    first = demo.build(seed=SEED, today=TODAY, year=1398, scale=0.2)
    assert first.built and first.plan.year == 1398
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert first.as_of == dt.date(2020, 3, 19)  # 1398/12/29
    assert first.plan.axes.count() == 27 and 55 <= first.counts["actions"] <= 65
    assert first.figures.total.status_counts["done"] > 0
    before = fingerprint(first.plan, first.as_of)
    assert max(r[1] for r in before[1]) <= first.as_of

    again = demo.build(seed=SEED, today=TODAY, year=1398, scale=0.2, reset=True)
    assert again.built and again.plan.pk != first.plan.pk
    assert Plan.objects.filter(is_sample=True).count() == 1
    assert fingerprint(again.plan, again.as_of) == before

    other_seed = demo.build(seed=SEED + 1, today=TODAY, year=1398, scale=0.2, reset=True)
    assert fingerprint(other_seed.plan, other_seed.as_of) != before


def test_the_command_prints_the_demo_users_without_serving(plan):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--no-serve", "--year", "1405", stdout=out, stderr=err)
    text = out.getvalue()
    for username in ("dabir", "ostandar", "bazras", "modir-sanat", "rabet-sanat", "rabet-maliat"):
        assert username in text
    assert demo.DEMO_PASSWORD in text
    assert to_latin(plan.title) in text  # the console writes Latin digits
    assert Plan.objects.get(is_sample=True) == plan
