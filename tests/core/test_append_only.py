"""Append-only records (SPEC 10): a stored report, transition, clause update, escalation step,
revision, acknowledgement or evaluation cannot be changed or removed — not by save(), not by
QuerySet.update() or delete(), and on PostgreSQL not even by raw SQL of the app's own role."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from ronagh.core.append_only import AppendOnlyError
from ronagh.hq.models import Clause, ClauseUpdate, EscalationStep, Meeting, Resolution
from ronagh.obstacles.models import Obstacle, Transition
from ronagh.plans.models import Acknowledgement, ProgressReport
from ronagh.scorecards.models import Evaluation
from tests.factories import ActionFactory, AgencyFactory, PlanFactory, add_report, qom, secretariat

pytestmark = pytest.mark.django_db(transaction=False)

D = dt.date(2026, 5, 5)


def records() -> dict[str, object]:
    """One stored record of each append-only model (written straight to the tables)."""
    user = secretariat()
    action = ActionFactory()
    agency = action.lead_agency
    report = add_report(action, D, 10, user=user)
    obstacle = Obstacle.objects.create(
        province=qom(), category="tax", title="مانع", severity=2, registered_by=user,
        registered_on=D,
    )  # fmt: skip
    transition = Transition.objects.create(
        obstacle=obstacle, from_status="registered", to_status="rejected", comment="x", by=user
    )
    meeting = Meeting.objects.create(province=qom(), number=1, date=D, created_by=user)
    resolution = Resolution.objects.create(meeting=meeting, number=1, text="x", created_by=user)
    clause = Clause.objects.create(
        resolution=resolution, number=1, agency=agency, obligation="x", due_date=D,
        created_by=user,
    )  # fmt: skip
    update = ClauseUpdate.objects.create(
        clause=clause, from_status="open", to_status="open", on=D, by=user
    )
    step = EscalationStep.objects.create(clause=clause, step="reminder", level=1, date=D, by=user)
    ack = Acknowledgement.objects.create(plan=action.plan, agency=agency, acknowledged_by=user)
    evaluation = Evaluation.objects.create(
        agency=agency, plan=action.plan, period_start=D, period_end=D, text="x", author=user
    )
    return {
        "report": report,
        "transition": transition,
        "clause update": update,
        "escalation step": step,
        "acknowledgement": ack,
        "evaluation": evaluation,
    }


FIELD = {  # a text field of each, to try to change
    "report": "note",
    "transition": "comment",
    "clause update": "note",
    "escalation step": "note",
    "acknowledgement": None,
    "evaluation": "text",
}


def test_save_of_a_stored_record_is_refused():
    for name, record in records().items():
        if FIELD[name]:
            setattr(record, FIELD[name], "changed")
        with pytest.raises(AppendOnlyError):
            record.save()
        with pytest.raises(AppendOnlyError):
            record.delete()


def test_queryset_update_delete_and_bulk_update_are_refused():
    for name, record in records().items():
        qs = type(record).objects.filter(pk=record.pk)
        with pytest.raises(AppendOnlyError):
            qs.update(**({FIELD[name]: "changed"} if FIELD[name] else {"pk": record.pk}))
        with pytest.raises(AppendOnlyError):
            qs.delete()
        with pytest.raises(AppendOnlyError):
            type(record).objects.bulk_update([record], [FIELD[name] or "id"])
        assert qs.exists()
    assert ProgressReport.objects.get().note == ""


def test_only_sample_data_can_be_purged():
    record = records()["report"]
    with pytest.raises(AppendOnlyError):
        ProgressReport.objects.filter(pk=record.pk).purge_sample()
    sample = ActionFactory(axis__plan=PlanFactory(year=1404, is_sample=True))
    add_report(sample, D, 5)
    assert ProgressReport.objects.filter(action__plan__is_sample=True).purge_sample() == 1
    assert ProgressReport.objects.filter(pk=record.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("plans_progressreport", "UPDATE plans_progressreport SET percent = 99"),
        ("plans_progressreport", "DELETE FROM plans_progressreport"),
        ("obstacles_transition", "UPDATE obstacles_transition SET to_status = 'resolved'"),
        ("obstacles_transition", "DELETE FROM obstacles_transition"),
        ("hq_clauseupdate", "UPDATE hq_clauseupdate SET note = 'forged'"),
        ("hq_escalationstep", "DELETE FROM hq_escalationstep"),
        ("plans_acknowledgement", "DELETE FROM plans_acknowledgement"),
        ("scorecards_evaluation", "UPDATE scorecards_evaluation SET text = 'forged'"),
    ],
)
def test_raw_sql_cannot_change_history_on_postgresql(table, sql):
    records()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a fixed table name)
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_raw_sql_may_delete_sample_reports_only_on_postgresql():
    real = records()["report"]
    sample = ActionFactory(
        axis__plan=PlanFactory(year=1404, is_sample=True), lead_agency=AgencyFactory()
    )
    add_report(sample, D, 5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_progressreport WHERE action_id = %s", [sample.pk])
    assert ProgressReport.objects.filter(pk=real.pk).exists()
    assert not ProgressReport.objects.filter(action=sample).exists()
