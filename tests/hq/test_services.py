"""Meetings, resolutions and clauses: what the secretariat records, how a clause is followed up,
the escalation ladder, systemic issues, and who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.core.errors import Conflict
from ronagh.hq import selectors, services
from ronagh.hq.models import Article62Case, Clause, ClauseUpdate, EscalationStep, Meeting
from ronagh.obstacles.models import Obstacle
from tests.factories import AgencyFactory, qom, reporter

from .conftest import MEETING_DAY, TODAY, D, make_obstacle, make_unit

# --- meetings -----------------------------------------------------------------------------------


def test_a_meeting_gets_the_next_number_and_its_agenda_in_order(world):
    m2 = services.create_meeting(
        actor=world.dabir,
        province=qom(),
        date=D(2026, 6, 5),
        obstacles=[world.other_obstacle, world.obstacle],
        topics=["گزارش دبیرخانه"],
    )
    assert (world.meeting.number, m2.number) == (1, 2)
    agenda = list(m2.agenda.order_by("number"))
    assert [a.title for a in agenda] == ["قطع برق", "تأخیر در پرداخت تسهیلات", "گزارش دبیرخانه"]
    assert agenda[0].obstacle == world.other_obstacle and agenda[2].obstacle is None
    assert world.meeting.attendee_lines() == ["استاندار قم", "رئیس سازمان صنعت، معدن و تجارت"]


def test_a_taken_meeting_number_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(actor=world.dabir, province=qom(), date=D(2026, 6, 5), number=1)
    assert "number" in exc.value.message_dict
    assert Meeting.objects.count() == 1


def test_only_open_obstacles_go_on_the_agenda(world):
    closed = make_obstacle(title="حل‌شده", agency=world.bank, status="resolved")
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(
            actor=world.dabir, province=qom(), date=D(2026, 6, 5), obstacles=[closed]
        )
    assert "obstacles" in exc.value.message_dict
    assert Meeting.objects.count() == 1


def test_a_meeting_without_a_date_is_refused_with_a_message(world):
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(actor=world.dabir, province=qom(), date=None)
    assert exc.value.message_dict["date"]


@pytest.mark.parametrize("who", ["governor", "auditor", "bank_manager"])
def test_only_the_secretariat_records_meetings(world, who):
    with pytest.raises(PermissionDenied):
        services.create_meeting(actor=getattr(world, who), province=qom(), date=D(2026, 6, 5))


# --- resolutions and clauses ----------------------------------------------------------------------


def test_resolutions_and_clauses_are_numbered_within_their_parent(world):
    r1 = world.resolution()
    r2 = world.resolution(
        text="سازمان صنعت پیگیری کند.",
        clauses=[
            {"obligation": "پیگیری", "due_date": D(2026, 6, 1), "agency": world.industry},
            {
                "obligation": "ارائه مدارک",
                "due_date": D(2026, 5, 20),
                "party_kind": "firm",
                "unit": world.unit,
            },
        ],
    )
    assert (r1.code, r2.code) == ("1/1", "1/2")
    assert [c.code for c in r2.clauses.order_by("number")] == ["1/2-1", "1/2-2"]
    firm_clause = r2.clauses.get(number=2)
    assert firm_clause.party == world.unit.name and firm_clause.agency is None
    assert list(r1.obstacles.all()) == [world.obstacle]


def test_a_resolution_of_a_meeting_not_yet_held_is_refused(world):
    with pytest.raises(Conflict):
        services.add_resolution(
            actor=world.dabir, meeting=world.meeting, text="…", today=MEETING_DAY - dt.timedelta(1)
        )


def test_a_clause_needs_its_party_and_a_due_date_after_the_meeting(world):
    resolution = world.resolution()
    with pytest.raises(ValidationError) as exc:
        services.add_clause(
            actor=world.dabir,
            resolution=resolution,
            obligation="",
            due_date=MEETING_DAY - dt.timedelta(days=1),
            party_kind="agency",
        )
    assert set(exc.value.message_dict) == {"obligation", "due_date", "agency"}
    with pytest.raises(ValidationError) as exc:
        services.add_clause(
            actor=world.dabir,
            resolution=resolution,
            obligation="تعهد",
            due_date=D(2026, 6, 1),
            party_kind="firm",
        )
    assert "firm" in exc.value.message_dict
    assert not Clause.objects.exists()


def test_a_firm_named_in_words_may_be_the_party(world):
    clause = world.clause(party_kind="firm", firm="شرکت  نمونه")
    assert clause.party == "شرکت نمونه"


# --- follow-up ------------------------------------------------------------------------------------


def test_the_agency_marks_its_clause_done_and_the_change_is_recorded(world):
    clause = world.clause(due=D(2026, 6, 1))
    services.mark_clause(
        actor=world.bank_reporter,
        clause=clause,
        status="done",
        on=D(2026, 5, 30),
        note="پرداخت شد",
        today=TODAY,
    )
    clause.refresh_from_db()
    assert (clause.status, clause.done_on) == ("done", D(2026, 5, 30))
    assert clause.done_on_time()
    update = ClauseUpdate.objects.get(clause=clause)
    assert (update.from_status, update.to_status, update.by, update.note) == (
        "open",
        "done",
        world.bank_reporter,
        "پرداخت شد",
    )


def test_not_done_needs_a_reason_and_can_later_be_done(world):
    clause = world.clause()
    with pytest.raises(ValidationError) as exc:
        services.mark_clause(
            actor=world.bank_manager, clause=clause, status="not_done", today=TODAY
        )
    assert "reason" in exc.value.message_dict
    clause.refresh_from_db()
    assert clause.status == "open"
    services.mark_clause(
        actor=world.bank_manager,
        clause=clause,
        status="not_done",
        reason="وثیقه کافی نیست",
        today=TODAY,
    )
    services.mark_clause(actor=world.bank_manager, clause=clause, status="done", today=TODAY)
    clause.refresh_from_db()
    assert (clause.status, clause.done_on, clause.reason) == ("done", TODAY, "")
    assert clause.updates.count() == 2


def test_marking_twice_or_a_step_not_allowed_is_a_conflict(world):
    clause = world.clause()
    services.mark_clause(actor=world.dabir, clause=clause, status="done", today=TODAY)
    with pytest.raises(Conflict):
        services.mark_clause(actor=world.dabir, clause=clause, status="done", today=TODAY)
    with pytest.raises(Conflict):
        services.mark_clause(
            actor=world.dabir, clause=clause, status="not_done", reason="x", today=TODAY
        )


def test_a_future_or_pre_meeting_date_is_refused(world):
    clause = world.clause()
    for on in (TODAY + dt.timedelta(days=1), MEETING_DAY - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.mark_clause(
                actor=world.dabir, clause=clause, status="done", on=on, today=TODAY
            )
        assert "on" in exc.value.message_dict
    clause.refresh_from_db()
    assert clause.status == "open"


def test_only_the_secretariat_reopens_with_a_reason(world):
    clause = world.clause()
    services.mark_clause(actor=world.bank_reporter, clause=clause, status="done", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.mark_clause(
            actor=world.bank_reporter, clause=clause, status="open", reason="x", today=TODAY
        )
    with pytest.raises(ValidationError):
        services.mark_clause(actor=world.dabir, clause=clause, status="open", today=TODAY)
    services.mark_clause(
        actor=world.dabir, clause=clause, status="open", reason="مستندات ناقص", today=TODAY
    )
    clause.refresh_from_db()
    assert (clause.status, clause.done_on) == ("open", None)


def test_an_agency_cannot_mark_another_agencys_clause(world):
    clause = world.clause(agency=world.bank)
    with pytest.raises(PermissionDenied):
        services.mark_clause(
            actor=world.industry_reporter, clause=clause, status="done", today=TODAY
        )
    clause.refresh_from_db()
    assert clause.status == "open" and not clause.updates.exists()


@pytest.mark.parametrize("who", ["governor", "auditor"])
def test_readers_cannot_mark_clauses(world, who):
    clause = world.clause()
    with pytest.raises(PermissionDenied):
        services.mark_clause(actor=getattr(world, who), clause=clause, status="done", today=TODAY)


def test_a_firms_commitment_is_followed_up_by_the_secretariat(world):
    clause = world.clause(party_kind="firm", unit=world.unit)
    with pytest.raises(PermissionDenied):
        services.mark_clause(actor=world.bank_reporter, clause=clause, status="done", today=TODAY)
    services.mark_clause(actor=world.dabir, clause=clause, status="done", today=TODAY)


# --- escalation ---------------------------------------------------------------------------------


def _escalate(world, clause, step, on, **kw):
    return services.escalate(actor=world.dabir, clause=clause, step=step, on=on, today=TODAY, **kw)


def test_an_overdue_bank_clause_climbs_the_ladder_step_by_step(world):
    clause = world.clause(due=D(2026, 5, 20))
    _escalate(world, clause, "reminder", D(2026, 5, 21))
    _escalate(world, clause, "reminder", D(2026, 5, 25))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "article_62", D(2026, 5, 28), facility_amount=1, bank_reasons="x")
    assert "step" in exc.value.message_dict
    _escalate(world, clause, "governor_letter", D(2026, 5, 28))
    step = _escalate(
        world,
        clause,
        "article_62",
        D(2026, 6, 10),
        facility_amount="۵۰۰۰۰۰۰۰۰۰",
        bank_reasons="نبود وثیقه",
    )
    assert step.article62.facility_amount == 5_000_000_000
    _escalate(world, clause, "central_bank_board", D(2026, 6, 20))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "national_hq", D(2026, 6, 25))
    assert "step" in exc.value.message_dict  # the top of the ladder
    assert [s.step for s in selectors.clause_escalations(clause)] == [
        "reminder",
        "reminder",
        "governor_letter",
        "article_62",
        "central_bank_board",
    ]


def test_the_bank_steps_are_refused_for_another_agency(world):
    clause = world.clause(agency=world.industry, due=D(2026, 5, 20))
    _escalate(world, clause, "reminder", D(2026, 5, 21))
    _escalate(world, clause, "governor_letter", D(2026, 5, 22))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "article_62", D(2026, 5, 23), facility_amount=1, bank_reasons="x")
    assert "bank" in str(exc.value.message_dict["step"]).lower() or exc.value.message_dict["step"]
    assert services.next_steps(clause) == ["judicial_committee"]


def test_a_clause_is_escalated_only_once_overdue_and_never_once_done(world):
    clause = world.clause(due=D(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "reminder", D(2026, 6, 1))
    assert "on" in exc.value.message_dict
    services.mark_clause(actor=world.dabir, clause=clause, status="done", today=TODAY)
    with pytest.raises(Conflict):
        _escalate(world, clause, "reminder", D(2026, 6, 10))
    assert not EscalationStep.objects.exists()


def test_a_step_cannot_be_dated_before_the_previous_one(world):
    clause = world.clause(due=D(2026, 5, 20))
    _escalate(world, clause, "reminder", D(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "governor_letter", D(2026, 5, 30))
    assert "on" in exc.value.message_dict


def test_the_article_62_case_needs_its_file_and_takes_the_opinion_once(world):
    clause = world.clause(due=D(2026, 5, 20))
    _escalate(world, clause, "reminder", D(2026, 5, 21))
    _escalate(world, clause, "governor_letter", D(2026, 5, 22))
    with pytest.raises(ValidationError) as exc:
        _escalate(world, clause, "article_62", D(2026, 5, 23))
    assert {"facility_amount", "bank_reasons"} <= set(exc.value.message_dict)
    step = _escalate(
        world, clause, "article_62", D(2026, 5, 23), facility_amount=10, bank_reasons="…"
    )
    case = step.article62
    services.record_board_opinion(
        actor=world.dabir,
        case=case,
        opinion="بانک مکلف به پرداخت است",
        on=D(2026, 6, 1),
        pay_by=D(2026, 6, 15),
        today=TODAY,
    )
    case.refresh_from_db()
    assert (case.pay_by, case.opinion_on) == (D(2026, 6, 15), D(2026, 6, 1))
    with pytest.raises(Conflict):
        services.record_board_opinion(actor=world.dabir, case=case, opinion="دیگر", today=TODAY)
    assert Article62Case.objects.get().board_opinion == "بانک مکلف به پرداخت است"


def test_escalation_steps_are_append_only(world):
    clause = world.clause(due=D(2026, 5, 20))
    step = _escalate(world, clause, "reminder", D(2026, 5, 21))
    step.note = "changed"
    with pytest.raises(ValueError):
        step.save()
    with pytest.raises(ValueError):
        step.delete()


def test_only_the_secretariat_escalates(world):
    clause = world.clause(due=D(2026, 5, 20))
    with pytest.raises(PermissionDenied):
        services.escalate(
            actor=world.governor, clause=clause, step="reminder", on=D(2026, 6, 1), today=TODAY
        )


# --- scoping and the execution rate -------------------------------------------------------------


def test_an_agency_sees_only_its_own_clauses_and_meetings(world):
    bank_clause = world.clause(agency=world.bank)
    world.clause(agency=world.industry)
    other = AgencyFactory(name="گمرک")
    outsider = reporter(other)
    assert list(selectors.visible_clauses(world.bank_reporter)) == [bank_clause]
    assert list(selectors.visible_meetings(world.bank_reporter)) == [world.meeting]
    assert not selectors.visible_meetings(outsider).exists()
    assert not selectors.visible_clauses(outsider).exists()
    assert selectors.visible_clauses(world.governor).count() == 2
    assert selectors.visible_clauses(world.auditor).count() == 2
    assert not selectors.visible_systemic_issues(world.bank_reporter).exists()


def test_execution_rate_per_meeting_agency_and_month(world):
    r = world.resolution()
    on_time = world.clause(r, agency=world.bank, due=D(2026, 6, 1))
    late = world.clause(r, agency=world.bank, due=D(2026, 6, 1))
    world.clause(r, agency=world.industry, due=D(2026, 6, 10))  # open, overdue
    world.clause(r, agency=world.industry, due=D(2026, 8, 1))  # not yet due
    services.mark_clause(
        actor=world.dabir, clause=on_time, status="done", on=D(2026, 5, 31), today=TODAY
    )
    services.mark_clause(
        actor=world.dabir, clause=late, status="done", on=D(2026, 6, 20), today=TODAY
    )
    whole = selectors.execution_rates(user=world.governor, as_of=TODAY)
    assert (whole.total.due, whole.total.on_time) == (3, 1)
    assert whole.meetings[0][0] == world.meeting and whole.meetings[0][1].rate == 1 / 3
    by_agency = {a: r for a, r in whole.agencies}
    assert by_agency[world.bank].rate == 0.5
    assert by_agency[world.industry].rate == 0.0
    assert [m for m, _r in whole.months] == [(1405, 3)]  # all due in Khordad
    bank_only = selectors.execution_rate(user=world.dabir, as_of=TODAY, agency=world.bank)
    assert bank_only.percent == 50.0
    # An agency sees its own figure only.
    mine = selectors.execution_rates(user=world.industry_reporter, as_of=TODAY)
    assert [a for a, _r in mine.agencies] == [world.industry]
    assert mine.total.rate == 0.0


# --- systemic issues ----------------------------------------------------------------------------


def test_obstacles_of_many_firms_are_grouped_and_referred(world):
    second_unit = make_unit(name="کارخانه دوم")
    o2 = make_obstacle(agency=world.bank, unit=second_unit, jobs=25, amount=4_000_000)
    o3 = make_obstacle(agency=world.bank, unit=second_unit, jobs=5, amount=0, status="registered")
    issue = services.group_systemic(
        actor=world.dabir,
        obstacles=[world.obstacle, o2, o3],
        title="سقف تسهیلات بانک ملی",
        cause="بخشنامه بانک مرکزی درباره سقف تسهیلات",
        cause_kind="bank_policy",
    )
    fig = selectors.systemic_figures(issue)
    assert (fig.obstacles, fig.firms, fig.jobs, fig.amount) == (3, 2, 40, 5_000_000)
    with pytest.raises(ValidationError):
        services.group_systemic(
            actor=world.dabir, obstacles=[o2, world.other_obstacle], title="x", cause="y"
        )
    services.refer_systemic(actor=world.dabir, issue=issue, reference="۱۲۳/ص", today=TODAY)
    issue.refresh_from_db()
    assert issue.is_referred and issue.national_reference == "۱۲۳/ص"
    statuses = dict(
        Obstacle.objects.filter(pk__in=[world.obstacle.pk, o3.pk]).values_list("pk", "status")
    )
    assert statuses == {world.obstacle.pk: "referred_national", o3.pk: "registered"}
    with pytest.raises(Conflict):
        services.refer_systemic(actor=world.dabir, issue=issue, today=TODAY)


def test_a_systemic_issue_needs_two_obstacles_and_a_cause(world):
    with pytest.raises(ValidationError) as exc:
        services.group_systemic(actor=world.dabir, obstacles=[world.obstacle], title="", cause="")
    assert {"obstacles", "title", "cause"} <= set(exc.value.message_dict)
