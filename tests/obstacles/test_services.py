"""Registration, routing, deadlines and SPEC 5's transition table, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ronagh.obstacles import permissions, routing, services
from ronagh.obstacles.models import Obstacle, RoutingRule, Transition

from .conftest import DAY, at

STATUSES = ["registered", "assigned", "in_progress", "resolved", "referred_national", "rejected"]
ALLOWED = {
    ("registered", "assigned"): "secretariat",
    ("assigned", "assigned"): "secretariat",
    ("assigned", "in_progress"): "responsible",
    ("assigned", "resolved"): "both",
    ("in_progress", "resolved"): "both",
    ("assigned", "referred_national"): "secretariat",
    ("in_progress", "referred_national"): "secretariat",
    ("registered", "rejected"): "secretariat",
    ("assigned", "rejected"): "secretariat",
    ("in_progress", "rejected"): "secretariat",
    ("resolved", "in_progress"): "secretariat",
}
FORBIDDEN = [(a, b) for a in STATUSES for b in STATUSES if (a, b) not in ALLOWED]


def in_state(org, register, status):
    """An obstacle of the bank (or nobody's, when registered) in the given status."""
    if status in ("registered",):
        return register()
    if status == "rejected":
        return services.transition(
            actor=org.dabir, obstacle=register(), to="rejected", comment="تکراری"
        )
    obstacle = register(responsible_agency=org.bank)
    if status == "in_progress":
        return services.transition(actor=org.bank_reporter, obstacle=obstacle, to="in_progress")
    if status == "resolved":
        return services.transition(
            actor=org.bank_reporter, obstacle=obstacle, to="resolved", comment="پرداخت شد"
        )
    if status == "referred_national":
        return services.transition(actor=org.dabir, obstacle=obstacle, to="referred_national")
    return obstacle


# --- routing and deadlines ------------------------------------------------------------------------


def test_a_responsible_agency_given_at_registration_is_kept(org, register):
    RoutingRule.objects.create(province=org.province, category="banking", agency=org.tax)
    obstacle = register(responsible_agency=org.bank)
    assert obstacle.status == "assigned"
    assert obstacle.responsible_agency == org.bank
    assert obstacle.assigned_on == DAY
    step = obstacle.transitions.get()
    assert (step.from_status, step.to_status, step.by) == ("registered", "assigned", org.dabir)


def test_without_an_agency_the_routing_table_decides(org, register):
    routing.set_routing_rule(
        actor=org.dabir, province=org.province, category="energy", agency=org.power
    )
    obstacle = register(category="energy", title="قطعی مکرر برق شهرک")
    assert obstacle.status == "assigned"
    assert obstacle.responsible_agency == org.power


def test_with_neither_it_stays_registered_for_the_secretariat(org, register):
    obstacle = register(category="customs")
    assert obstacle.status == "registered"
    assert obstacle.responsible_agency is None and obstacle.due_date is None
    assert obstacle.transitions.count() == 0


@pytest.mark.parametrize("severity,days", [(4, 7), (3, 14), (2, 30), (1, 60)])
def test_due_date_is_the_assignment_day_plus_the_sla_of_the_severity(org, register, severity, days):
    obstacle = register(responsible_agency=org.bank, severity=severity)
    assert obstacle.due_date == DAY + dt.timedelta(days=days)


def test_the_sla_comes_from_settings(org, register, settings):
    settings.RONAGH_OBSTACLE_SLA_DAYS = {4: 3, 3: 10, 2: 20, 1: 40}
    assert register(responsible_agency=org.bank, severity=4).due_date == DAY + dt.timedelta(3)


def test_assigning_later_starts_the_clock_on_that_day(org, register):
    obstacle = register(severity=2)
    later = DAY + dt.timedelta(days=5)
    obstacle = services.transition(
        actor=org.dabir, obstacle=obstacle, to="assigned", agency=org.tax, at=at(later)
    )
    assert obstacle.assigned_on == later
    assert obstacle.due_date == later + dt.timedelta(days=30)
    assert obstacle.bounces == 0


def test_rerouting_restarts_the_clock_and_counts_a_bounce(org, register):
    obstacle = register(responsible_agency=org.bank, severity=4)
    later = DAY + dt.timedelta(days=3)
    obstacle = services.transition(
        actor=org.dabir,
        obstacle=obstacle,
        to="assigned",
        agency=org.tax,
        comment="موضوع مالیاتی است",
        at=at(later),
    )
    assert obstacle.responsible_agency == org.tax
    assert obstacle.due_date == later + dt.timedelta(days=7)
    assert obstacle.bounces == 1
    step = obstacle.transitions.last()
    assert step.is_bounce and step.from_agency == org.bank and step.to_agency == org.tax
    assert step.comment == "موضوع مالیاتی است"


def test_rerouting_needs_a_reason_and_another_agency(org, register):
    obstacle = register(responsible_agency=org.bank)
    with pytest.raises(ValidationError) as exc:
        services.transition(actor=org.dabir, obstacle=obstacle, to="assigned", agency=org.tax)
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.transition(
            actor=org.dabir, obstacle=obstacle, to="assigned", agency=org.bank, comment="x"
        )
    assert "agency" in exc.value.message_dict
    obstacle.refresh_from_db()
    assert obstacle.responsible_agency == org.bank and obstacle.bounces == 0


def test_assigning_needs_an_agency(org, register):
    with pytest.raises(ValidationError) as exc:
        services.transition(actor=org.dabir, obstacle=register(), to="assigned")
    assert "agency" in exc.value.message_dict


def test_an_agency_user_registers_and_the_same_routing_applies(org, register):
    RoutingRule.objects.create(province=org.province, category="tax", agency=org.tax)
    obstacle = register(actor=org.bank_reporter, category="tax")
    assert obstacle.responsible_agency == org.tax
    assert obstacle.registered_by_agency == org.bank
    assert obstacle.transitions.get().by == org.bank_reporter


@pytest.mark.parametrize("who", ["governor", "auditor"])
def test_readers_may_not_register(org, register, who):
    with pytest.raises(PermissionDenied):
        register(actor=getattr(org, who))
    assert Obstacle.objects.count() == 0


def test_bad_registration_names_every_bad_field_and_saves_nothing(org, register):
    with pytest.raises(ValidationError) as exc:
        register(title=" ", category="weather", severity=5, jobs_affected=-3, amount="abc")
    errors = exc.value.message_dict
    assert set(errors) >= {"title", "category", "severity", "jobs_affected", "amount"}
    assert Obstacle.objects.count() == 0


def test_numbers_may_be_typed_in_persian_digits(org, register):
    obstacle = register(jobs_affected="۱۲۰", amount="۵۰۰٬۰۰۰٬۰۰۰", severity="۴")
    assert (obstacle.jobs_affected, obstacle.amount, obstacle.severity) == (120, 500_000_000, 4)


def test_who_faces_it_is_checked(org, register):
    with pytest.raises(ValidationError) as exc:
        register(unit=None, facing_kind="park")
    assert "park" in exc.value.message_dict
    sector = register(unit=None, sector="صنایع نساجی", county=org.other_county)
    assert sector.facing_kind == "sector" and sector.county == org.other_county
    park = register(unit=None, park=org.park)
    assert park.facing_kind == "park" and park.county == org.county
    assert register().county == org.county  # from the unit


# --- the transition table -------------------------------------------------------------------------


@pytest.mark.parametrize("frm,to", sorted(ALLOWED))
def test_every_allowed_transition_is_made_and_recorded(org, register, frm, to):
    obstacle = in_state(org, register, frm)
    before = obstacle.transitions.count()
    actor = org.bank_reporter if ALLOWED[(frm, to)] == "responsible" else org.dabir
    moved = services.transition(
        actor=actor,
        obstacle=obstacle,
        to=to,
        comment="توضیح",
        agency=org.tax,
        at=at(DAY + dt.timedelta(days=2)),
    )
    assert moved.status == to
    step = moved.transitions.order_by("id").last()
    assert moved.transitions.count() == before + 1
    assert (step.from_status, step.to_status, step.by, step.comment) == (frm, to, actor, "توضیح")
    assert step.at == at(DAY + dt.timedelta(days=2))


@pytest.mark.parametrize("frm,to", FORBIDDEN)
def test_every_other_transition_is_refused_and_changes_nothing(org, register, frm, to):
    obstacle = in_state(org, register, frm)
    before = obstacle.transitions.count()
    for actor in (org.dabir, org.bank_reporter):
        with pytest.raises(ValidationError) as exc:
            services.transition(actor=actor, obstacle=obstacle, to=to, comment="x", agency=org.tax)
        assert "to" in exc.value.message_dict
    obstacle.refresh_from_db()
    assert obstacle.status == frm
    assert obstacle.transitions.count() == before


def _not_allowed(org, who):
    if who == "secretariat":
        return [org.bank_reporter, org.bank_manager, org.tax_reporter, org.governor, org.auditor]
    if who == "responsible":
        return [org.dabir, org.tax_reporter, org.governor, org.auditor]
    return [org.tax_reporter, org.governor, org.auditor]


@pytest.mark.parametrize("frm,to", sorted(ALLOWED))
def test_users_outside_the_table_may_not_make_an_allowed_transition(org, register, frm, to):
    obstacle = in_state(org, register, frm)
    for actor in _not_allowed(org, ALLOWED[(frm, to)]):
        with pytest.raises(PermissionDenied):
            services.transition(actor=actor, obstacle=obstacle, to=to, comment="x", agency=org.tax)
    obstacle.refresh_from_db()
    assert obstacle.status == frm


@pytest.mark.parametrize(
    "frm,to",
    [
        ("assigned", "resolved"),
        ("in_progress", "resolved"),
        ("registered", "rejected"),
        ("assigned", "rejected"),
        ("in_progress", "rejected"),
        ("resolved", "in_progress"),
        ("assigned", "assigned"),
    ],
)
def test_these_transitions_need_a_comment(org, register, frm, to):
    obstacle = in_state(org, register, frm)
    actor = org.dabir
    with pytest.raises(ValidationError) as exc:
        services.transition(actor=actor, obstacle=obstacle, to=to, comment="  ", agency=org.tax)
    assert "comment" in exc.value.message_dict
    obstacle.refresh_from_db()
    assert obstacle.status == frm


def test_the_agency_manager_also_answers_for_its_agency(org, register):
    obstacle = register(responsible_agency=org.bank)
    obstacle = services.transition(actor=org.bank_manager, obstacle=obstacle, to="in_progress")
    assert obstacle.status == "in_progress"


def test_resolving_records_the_day_and_reopening_clears_it(org, register):
    obstacle = in_state(org, register, "in_progress")
    later = DAY + dt.timedelta(days=9)
    obstacle = services.transition(
        actor=org.bank_reporter, obstacle=obstacle, to="resolved", comment="حل شد", at=at(later)
    )
    assert obstacle.resolved_on == later
    obstacle = services.transition(
        actor=org.dabir, obstacle=obstacle, to="in_progress", comment="واحد اعتراض دارد"
    )
    assert obstacle.resolved_on is None and obstacle.status == "in_progress"


def test_an_unknown_status_is_refused(org, register):
    with pytest.raises(ValidationError) as exc:
        services.transition(actor=org.dabir, obstacle=register(), to="closed", comment="x")
    assert "to" in exc.value.message_dict


def test_transitions_are_never_edited_or_deleted(org, register):
    step = register(responsible_agency=org.bank).transitions.get()
    step.comment = "changed"
    with pytest.raises(ValueError):
        step.save()
    with pytest.raises(ValueError):
        step.delete()
    assert Transition.objects.get().comment != "changed"


def test_allowed_transitions_lists_the_buttons_of_each_user(org, register):
    obstacle = register(responsible_agency=org.bank)
    assert permissions.allowed_transitions(org.bank_reporter, obstacle) == [
        "in_progress",
        "resolved",
    ]
    assert permissions.allowed_transitions(org.dabir, obstacle) == [
        "assigned",
        "resolved",
        "referred_national",
        "rejected",
    ]
    assert permissions.allowed_transitions(org.tax_reporter, obstacle) == []
    assert permissions.allowed_transitions(org.governor, obstacle) == []


def test_only_the_secretariat_edits_the_routing_table(org):
    with pytest.raises(PermissionDenied):
        routing.set_routing_rule(
            actor=org.bank_manager, province=org.province, category="banking", agency=org.bank
        )
    rule = routing.set_routing_rule(
        actor=org.dabir, province=org.province, category="banking", agency=org.bank
    )
    assert rule.agency == org.bank and rule.updated_by == org.dabir
    routing.set_routing_rule(
        actor=org.dabir, province=org.province, category="banking", agency=org.tax
    )
    assert RoutingRule.objects.get(category="banking").agency == org.tax
    routing.set_routing_rule(
        actor=org.dabir, province=org.province, category="banking", agency=None
    )
    assert not RoutingRule.objects.exists()
