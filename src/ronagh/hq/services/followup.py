"""The follow-up of a clause (done, not done, reopened), the escalation ladder of an overdue one
(ladder.py) with the Article 62 case file, and the board's opinion (SPEC 5). Clause updates and
escalation steps are append-only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.models import User
from ronagh.core.permissions import require

from .. import ladder, permissions
from ..models import Article62Case, Clause, ClauseUpdate, EscalationStep
from .common import MAX_AMOUNT, jdate, require_manager, stripped, today_or, whole_positive

# --- follow-up ----------------------------------------------------------------------------------


@transaction.atomic
def mark_clause(
    *,
    actor: User,
    clause: Clause,
    status: str,
    on: dt.date | None = None,
    reason: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Clause:
    """Follow-up of a clause: done (on the day it was done), not done (with the reason), or
    reopened by the secretariat (with the reason). A clause declared not done may still be done
    later. The change is kept as a ClauseUpdate with who, when and why.

    PermissionDenied unless the actor is the secretariat of the province or a user of the clause's
    agency; Conflict when the clause is already in that status or the step is not allowed;
    ValidationError for a date in the future or before the meeting, or a missing reason."""
    today = today_or(today)
    clause = (
        Clause.objects.select_for_update(of=("self",))
        .select_related("resolution__meeting", "agency")
        .get(pk=clause.pk)
    )
    if status not in Clause.Status.values:
        raise ValidationError({"status": _("The status is open, done or not done.")})
    if not permissions.may_mark(actor, clause):
        if actor.is_agency_user and clause.party_kind == Clause.Party.FIRM:
            require(False, _("A firm's commitment is followed up by the secretariat."))
        if actor.is_agency_user:
            require(False, _("This clause belongs to another agency."))
        require(False, _("Your role may not follow up clauses."))
    frm = clause.status
    if frm == status:
        raise Conflict(_("The clause is already “%(s)s”.") % {"s": Clause.Status(status).label})
    if (frm, status) not in permissions.CLAUSE_STEPS:
        raise Conflict(
            _("A clause that is “%(f)s” cannot become “%(t)s”.")
            % {"f": Clause.Status(frm).label, "t": Clause.Status(status).label}
        )
    require(
        status != Clause.Status.OPEN or status in permissions.allowed_marks(actor, clause),
        _("Only the secretariat may reopen a clause."),
    )

    on = on or today
    errors: dict[str, str] = {}
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < clause.resolution.meeting.date:
        errors["on"] = _("The date cannot be before the meeting (%(date)s).") % {
            "date": jdate(clause.resolution.meeting.date)
        }
    reason, note = stripped(reason), stripped(note)
    if status == Clause.Status.NOT_DONE and not reason:
        errors["reason"] = _("Say why the clause was not carried out.")
    if status == Clause.Status.OPEN and not (reason or note):
        errors["reason"] = _("Say why the clause is reopened.")
    if errors:
        raise ValidationError(errors)

    if status == Clause.Status.DONE:
        # Why it had been declared not done stays in the clause's updates.
        clause.done_on, clause.not_done_on, clause.reason = on, None, ""
    elif status == Clause.Status.NOT_DONE:
        clause.done_on, clause.not_done_on, clause.reason = None, on, reason
    else:
        clause.done_on = clause.not_done_on = None
        clause.reason = ""
    clause.status = status
    clause.save(update_fields=["status", "done_on", "not_done_on", "reason"])
    ClauseUpdate.objects.create(
        clause=clause,
        from_status=frm,
        to_status=status,
        on=on,
        note=note if status == Clause.Status.DONE else (reason or note),
        by=actor,
    )
    return clause


# --- escalation -----------------------------------------------------------------------------------


def taken_steps(clause: Clause) -> list[str]:
    return list(clause.escalations.order_by("date", "at", "id").values_list("step", flat=True))


def next_steps(clause: Clause) -> list[str]:
    """The rungs the clause may climb next (none for a clause that is done)."""
    if clause.status == Clause.Status.DONE:
        return []
    return ladder.next_steps(taken_steps(clause), bank=clause.party_is_bank)


@transaction.atomic
def escalate(
    *,
    actor: User,
    clause: Clause,
    step: str,
    on: dt.date | None = None,
    note: str = "",
    facility_amount=None,
    bank_reasons: str = "",
    today: dt.date | None = None,
) -> EscalationStep:
    """Record the next rung of the escalation ladder of an overdue (or not done) clause, in the
    ladder's order (ladder.py); the Article 62 board step opens its case file (facility asked,
    the bank's written reasons). Append-only.

    Conflict for a clause that is done; ValidationError for a step out of order, a clause not yet
    overdue on that date, a date in the future or before the previous step, or a missing case
    file field; PermissionDenied for anyone but the secretariat."""
    today = today_or(today)
    clause = (
        Clause.objects.select_for_update(of=("self",))
        .select_related("resolution__meeting", "agency")
        .get(pk=clause.pk)
    )
    require_manager(actor, clause.resolution.meeting.province_id)
    if clause.status == Clause.Status.DONE:
        raise Conflict(_("The clause has been carried out; there is nothing to escalate."))
    errors: dict[str, str] = {}
    on = on or today
    taken = list(clause.escalations.order_by("date", "at", "id"))
    if step not in ladder.STEPS:
        errors["step"] = _("Choose a step of the escalation ladder.")
    elif not ladder.may_take(step, [s.step for s in taken], bank=clause.party_is_bank):
        allowed = ladder.next_steps([s.step for s in taken], bank=clause.party_is_bank)
        if step in ladder.BANK_ONLY and not clause.party_is_bank:
            errors["step"] = _("This step is only for a bank.")
        elif allowed:
            errors["step"] = _(
                "The ladder is climbed one step at a time; next may come: %(s)s."
            ) % {"s": "، ".join(str(EscalationStep.Step(s).label) for s in allowed)}
        else:
            errors["step"] = _("The clause is already at the top of the escalation ladder.")
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif taken and on < taken[-1].date:
        errors["on"] = _("The date cannot be before the previous step (%(date)s).") % {
            "date": jdate(taken[-1].date)
        }
    elif clause.status == Clause.Status.OPEN and on <= clause.due_date:
        errors["on"] = _("The clause is due on %(date)s; it is escalated only once overdue.") % {
            "date": jdate(clause.due_date)
        }
    amount = None
    if step == ladder.ARTICLE_62:
        amount = whole_positive(facility_amount)
        if amount is None or amount > MAX_AMOUNT:
            errors["facility_amount"] = _("Give the facility asked, in rial.")
        bank_reasons = stripped(bank_reasons)
        if not bank_reasons:
            errors["bank_reasons"] = _("Give the bank's written reasons for refusing.")
    if errors:
        raise ValidationError(errors)

    record = EscalationStep.objects.create(
        clause=clause,
        step=step,
        level=ladder.LEVELS[step],
        date=on,
        note=stripped(note),
        by=actor,
    )
    if step == ladder.ARTICLE_62:
        Article62Case.objects.create(step=record, facility_amount=amount, bank_reasons=bank_reasons)
    return record


@transaction.atomic
def record_board_opinion(
    *,
    actor: User,
    case: Article62Case,
    opinion: str,
    on: dt.date | None = None,
    pay_by: dt.date | None = None,
    today: dt.date | None = None,
) -> Article62Case:
    """The Article 62 board's opinion on a case, and the date by which the bank must pay;
    written once (Conflict when the opinion is already on file)."""
    today = today_or(today)
    case = (
        Article62Case.objects.select_for_update(of=("self",))
        .select_related("step__clause__resolution__meeting")
        .get(pk=case.pk)
    )
    require_manager(actor, case.step.clause.resolution.meeting.province_id)
    if case.board_opinion:
        raise Conflict(_("The board's opinion is already on file."))
    errors: dict[str, str] = {}
    opinion = stripped(opinion)
    on = on or today
    if not opinion:
        errors["opinion"] = _("Write the board's opinion.")
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < case.step.date:
        errors["on"] = _("The board cannot give its opinion before the referral (%(date)s).") % {
            "date": jdate(case.step.date)
        }
    if pay_by is not None and pay_by < on:
        errors["pay_by"] = _("The pay-by date cannot be before the opinion.")
    if errors:
        raise ValidationError(errors)
    case.board_opinion, case.opinion_on, case.pay_by, case.opinion_by = opinion, on, pay_by, actor
    case.save()
    return case
