"""Writes of the Facilitation HQ (SPEC 5): meetings with their agenda, numbered resolutions and
their clauses, the follow-up of a clause, the escalation ladder and the Article 62 case file,
systemic issues and their referral to the national HQ.

The UI, the API and the demo call these and nothing else. Each one validates (ValidationError
with a message per field), checks the actor (PermissionDenied), writes in one transaction and
records who did it; a change the object's state does not allow raises Conflict. `today` may be
given (the demo, tests); it defaults to the local date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.models import Agency, Province, User
from ronagh.lib.digits import parse_decimal
from ronagh.lib.jalali import format_date
from ronagh.lib.text import clean_name
from ronagh.obstacles.models import OPEN as OPEN_OBSTACLE
from ronagh.obstacles.models import RUNNING as RUNNING_OBSTACLE
from ronagh.obstacles.models import Obstacle
from ronagh.units.models import ProductionUnit

from . import ladder
from .models import (
    AgendaItem,
    Article62Case,
    Clause,
    ClauseUpdate,
    EscalationStep,
    Meeting,
    Resolution,
    SystemicIssue,
)

MAX_AMOUNT = 9_000_000_000_000_000_000


# --- who may write ------------------------------------------------------------------------------


def _require_secretariat(actor: User, province: Province | int | None = None) -> None:
    """The HQ's records are the secretariat's, and a provincial secretariat's own province's."""
    if not actor.is_secretariat:
        raise PermissionDenied(_("Only the secretariat may do this."))
    province_id = getattr(province, "pk", province)
    if (
        province_id is not None
        and actor.province_id
        and not actor.is_superuser
        and actor.province_id != province_id
    ):
        raise PermissionDenied(_("This belongs to another province."))


def may_mark(actor: User, clause: Clause) -> bool:
    """The secretariat of the province, or a user of the clause's own agency (manager or
    reporter). A firm's clause is followed up by the secretariat only."""
    if actor.is_secretariat:
        province_id = clause.resolution.meeting.province_id
        return actor.is_superuser or not actor.province_id or actor.province_id == province_id
    return (
        actor.is_agency_user
        and actor.agency_id is not None
        and clause.party_kind == Clause.Party.AGENCY
        and clause.agency_id == actor.agency_id
    )


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _jdate(day: dt.date) -> str:
    return format_date(day)


def _next_number(qs, field: str = "number") -> int:
    return (qs.aggregate(m=Max(field))["m"] or 0) + 1


def _text(value) -> str:
    return (value or "").strip()


def _whole_positive(value) -> int | None:
    number = parse_decimal(value) if value not in (None, "") else None
    if number is None or number != number.to_integral_value() or number < 1:
        return None
    return int(number)


# --- meetings -----------------------------------------------------------------------------------


def _check_agenda(
    province: Province, obstacles: Sequence[Obstacle], errors: dict, field: str = "obstacles"
) -> None:
    seen = set()
    for obstacle in obstacles:
        if obstacle.province_id != province.id:
            errors[field] = _("“%(t)s” is an obstacle of another province.") % {"t": obstacle}
        elif obstacle.status not in OPEN_OBSTACLE:
            errors[field] = _(
                "“%(t)s” is no longer open; only open obstacles go on the agenda."
            ) % {"t": obstacle}
        elif obstacle.pk in seen:
            errors[field] = _("“%(t)s” is on the agenda twice.") % {"t": obstacle}
        seen.add(obstacle.pk)


@transaction.atomic
def create_meeting(
    *,
    actor: User,
    province: Province,
    date: dt.date | None,
    number=None,
    place: str = "",
    chair: str = "",
    secretary: str = "",
    attendees: str = "",
    agencies: Iterable[Agency] = (),
    obstacles: Sequence[Obstacle] = (),
    topics: Iterable[str] = (),
    notes: str = "",
    is_sample: bool = False,
) -> Meeting:
    """A meeting of the HQ with its agenda: the open obstacles brought to it (in the order given)
    and any further topics. The number is the next of the province unless given; a given number
    must be free. A meeting may be recorded ahead of its date (the agenda is drawn up before)."""
    _require_secretariat(actor, province)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Give the date of the meeting.")
    existing = Meeting.objects.filter(province=province)
    if number in (None, ""):
        number = _next_number(existing)
    else:
        given = _whole_positive(number)
        if given is None:
            errors["number"] = _("The meeting number is a whole number from 1.")
        elif existing.filter(number=given).exists():
            errors["number"] = _("Meeting %(n)s has already been recorded.") % {"n": given}
        number = given
    agencies = list(agencies)
    if any(a.province_id != province.id for a in agencies):
        errors["agencies"] = _("An attending agency belongs to another province.")
    obstacles = list(obstacles)
    _check_agenda(province, obstacles, errors)
    topics = [clean_name(t) for t in topics if clean_name(t)]
    if any(len(t) > 300 for t in topics):
        errors["topics"] = _("An agenda topic is at most 300 characters.")
    if errors:
        raise ValidationError(errors)

    meeting = Meeting.objects.create(
        province=province,
        number=number,
        date=date,
        place=clean_name(place),
        chair=clean_name(chair),
        secretary=clean_name(secretary),
        attendees="\n".join(
            clean_name(line) for line in (attendees or "").splitlines() if clean_name(line)
        ),
        notes=_text(notes),
        is_sample=is_sample,
        created_by=actor,
    )
    meeting.agencies.set(agencies)
    items = [AgendaItem(meeting=meeting, obstacle=o, title=o.title[:300]) for o in obstacles]
    items += [AgendaItem(meeting=meeting, title=t) for t in topics]
    for n, item in enumerate(items, start=1):
        item.number = n
    AgendaItem.objects.bulk_create(items)
    return meeting


# --- resolutions and clauses ----------------------------------------------------------------------


@transaction.atomic
def add_resolution(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    obstacles: Iterable[Obstacle] = (),
    clauses: Sequence[dict] = (),
    today: dt.date | None = None,
) -> Resolution:
    """The next numbered resolution of a meeting that has been held, linked to the obstacles it
    answers (any obstacle of the province), with its clauses (keyword arguments of add_clause)
    added in the same transaction."""
    _require_secretariat(actor, meeting.province_id)
    today = _today(today)
    errors: dict[str, str] = {}
    text = _text(text)
    if not text:
        errors["text"] = _("Write the text of the resolution.")
    if meeting.date > today:
        raise Conflict(
            _("The meeting is on %(date)s; its resolutions are recorded once it is held.")
            % {"date": _jdate(meeting.date)}
        )
    obstacles = list(obstacles)
    if any(o.province_id != meeting.province_id for o in obstacles):
        errors["obstacles"] = _("An obstacle belongs to another province.")
    if errors:
        raise ValidationError(errors)
    # Two clerks numbering at once: the meeting row is the lock.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=_next_number(meeting.resolutions.all()),
        text=text,
        created_by=actor,
    )
    resolution.obstacles.set(obstacles)
    for kwargs in clauses:
        add_clause(actor=actor, resolution=resolution, **kwargs)
    return resolution


@transaction.atomic
def add_clause(
    *,
    actor: User,
    resolution: Resolution,
    obligation: str,
    due_date: dt.date | None,
    party_kind: str = Clause.Party.AGENCY,
    agency: Agency | None = None,
    unit: ProductionUnit | None = None,
    firm: str = "",
) -> Clause:
    """The next clause of a resolution: an obligation with its party (an agency, or the firm
    itself: a production unit or a firm named in the text) and its due date, open."""
    meeting = resolution.meeting
    _require_secretariat(actor, meeting.province_id)
    errors: dict[str, str] = {}
    obligation = _text(obligation)
    if not obligation:
        errors["obligation"] = _("Write what must be done.")
    if due_date is None:
        errors["due_date"] = _("Give the due date of the clause.")
    elif due_date < meeting.date:
        errors["due_date"] = _("The due date cannot be before the meeting (%(date)s).") % {
            "date": _jdate(meeting.date)
        }
    firm = clean_name(firm)
    if party_kind == Clause.Party.AGENCY:
        unit, firm = None, ""
        if agency is None:
            errors["agency"] = _("Choose the agency that must carry it out.")
        elif agency.province_id != meeting.province_id:
            errors["agency"] = _("The agency belongs to another province.")
    elif party_kind == Clause.Party.FIRM:
        agency = None
        if unit is None and not firm:
            errors["firm"] = _("Choose the production unit or write the firm's name.")
        elif unit is not None and unit.province_id != meeting.province_id:
            errors["unit"] = _("The production unit is in another province.")
        if len(firm) > 300:
            errors["firm"] = _("The firm's name is at most 300 characters.")
    else:
        errors["party_kind"] = _("The party is an agency or the firm itself.")
    if errors:
        raise ValidationError(errors)
    Resolution.objects.select_for_update().filter(pk=resolution.pk).first()
    return Clause.objects.create(
        resolution=resolution,
        number=_next_number(resolution.clauses.all()),
        party_kind=party_kind,
        agency=agency,
        unit=unit,
        firm=firm,
        obligation=obligation,
        due_date=due_date,
        created_by=actor,
    )


# --- follow-up ----------------------------------------------------------------------------------

# (from, to) of a clause's status; anything else is refused. Reopening is the secretariat's.
CLAUSE_STEPS = {
    (Clause.Status.OPEN, Clause.Status.DONE),
    (Clause.Status.OPEN, Clause.Status.NOT_DONE),
    (Clause.Status.NOT_DONE, Clause.Status.DONE),
    (Clause.Status.DONE, Clause.Status.OPEN),
    (Clause.Status.NOT_DONE, Clause.Status.OPEN),
}


def allowed_marks(*, user: User, clause: Clause) -> list[str]:
    """The statuses this user may give the clause now (the buttons a page offers)."""
    if not may_mark(user, clause):
        return []
    return [
        to
        for to in Clause.Status.values
        if (clause.status, to) in CLAUSE_STEPS and (to != Clause.Status.OPEN or user.is_secretariat)
    ]


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
    today = _today(today)
    clause = (
        Clause.objects.select_for_update(of=("self",))
        .select_related("resolution__meeting", "agency")
        .get(pk=clause.pk)
    )
    if status not in Clause.Status.values:
        raise ValidationError({"status": _("The status is open, done or not done.")})
    if not may_mark(actor, clause):
        if actor.is_agency_user and clause.party_kind == Clause.Party.FIRM:
            raise PermissionDenied(_("A firm's commitment is followed up by the secretariat."))
        if actor.is_agency_user:
            raise PermissionDenied(_("This clause belongs to another agency."))
        raise PermissionDenied(_("Your role may not follow up clauses."))
    frm = clause.status
    if frm == status:
        raise Conflict(_("The clause is already “%(s)s”.") % {"s": Clause.Status(status).label})
    if (frm, status) not in CLAUSE_STEPS:
        raise Conflict(
            _("A clause that is “%(f)s” cannot become “%(t)s”.")
            % {"f": Clause.Status(frm).label, "t": Clause.Status(status).label}
        )
    if status == Clause.Status.OPEN and not actor.is_secretariat:
        raise PermissionDenied(_("Only the secretariat may reopen a clause."))

    on = on or today
    errors: dict[str, str] = {}
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < clause.resolution.meeting.date:
        errors["on"] = _("The date cannot be before the meeting (%(date)s).") % {
            "date": _jdate(clause.resolution.meeting.date)
        }
    reason, note = _text(reason), _text(note)
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
    today = _today(today)
    clause = (
        Clause.objects.select_for_update(of=("self",))
        .select_related("resolution__meeting", "agency")
        .get(pk=clause.pk)
    )
    _require_secretariat(actor, clause.resolution.meeting.province_id)
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
            "date": _jdate(taken[-1].date)
        }
    elif clause.status == Clause.Status.OPEN and on <= clause.due_date:
        errors["on"] = _("The clause is due on %(date)s; it is escalated only once overdue.") % {
            "date": _jdate(clause.due_date)
        }
    amount = None
    if step == ladder.ARTICLE_62:
        amount = _whole_positive(facility_amount)
        if amount is None or amount > MAX_AMOUNT:
            errors["facility_amount"] = _("Give the facility asked, in rial.")
        bank_reasons = _text(bank_reasons)
        if not bank_reasons:
            errors["bank_reasons"] = _("Give the bank's written reasons for refusing.")
    if errors:
        raise ValidationError(errors)

    record = EscalationStep.objects.create(
        clause=clause,
        step=step,
        level=ladder.LEVELS[step],
        date=on,
        note=_text(note),
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
    today = _today(today)
    case = (
        Article62Case.objects.select_for_update(of=("self",))
        .select_related("step__clause__resolution__meeting")
        .get(pk=case.pk)
    )
    _require_secretariat(actor, case.step.clause.resolution.meeting.province_id)
    if case.board_opinion:
        raise Conflict(_("The board's opinion is already on file."))
    errors: dict[str, str] = {}
    opinion = _text(opinion)
    on = on or today
    if not opinion:
        errors["opinion"] = _("Write the board's opinion.")
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < case.step.date:
        errors["on"] = _("The board cannot give its opinion before the referral (%(date)s).") % {
            "date": _jdate(case.step.date)
        }
    if pay_by is not None and pay_by < on:
        errors["pay_by"] = _("The pay-by date cannot be before the opinion.")
    if errors:
        raise ValidationError(errors)
    case.board_opinion, case.opinion_on, case.pay_by, case.opinion_by = opinion, on, pay_by, actor
    case.save()
    return case


# --- systemic issues ----------------------------------------------------------------------------


@transaction.atomic
def group_systemic(
    *,
    actor: User,
    obstacles: Sequence[Obstacle],
    title: str,
    cause: str,
    cause_kind: str = SystemicIssue.Cause.OTHER,
    province: Province | None = None,
    is_sample: bool = False,
) -> SystemicIssue:
    """Group the obstacles of many firms with one cause into a systemic issue. At least two
    obstacles, all of one province and of no other systemic issue."""
    obstacles = list(obstacles)
    province = province or (actor.province if actor.province_id else None)
    if province is None and obstacles:
        province = obstacles[0].province
    _require_secretariat(actor, province)
    errors: dict[str, str] = {}
    title, cause = clean_name(title), _text(cause)
    if not title:
        errors["title"] = _("Give the systemic issue a title.")
    elif len(title) > 300:
        errors["title"] = _("The title is at most 300 characters.")
    if not cause:
        errors["cause"] = _("Describe the common cause.")
    if cause_kind not in SystemicIssue.Cause.values:
        errors["cause_kind"] = _("Choose the kind of cause.")
    if len({o.pk for o in obstacles}) < 2:
        errors["obstacles"] = _("A systemic issue groups at least two obstacles.")
    elif province is not None and any(o.province_id != province.id for o in obstacles):
        errors["obstacles"] = _("An obstacle belongs to another province.")
    else:
        taken = (
            SystemicIssue.objects.filter(obstacles__in=obstacles)
            .values_list("title", flat=True)
            .first()
        )
        if taken:
            errors["obstacles"] = _(
                "An obstacle is already part of the systemic issue “%(t)s”."
            ) % {"t": taken}
    if errors:
        raise ValidationError(errors)
    issue = SystemicIssue.objects.create(
        province=province,
        title=title,
        cause=cause,
        cause_kind=cause_kind,
        is_sample=is_sample,
        created_by=actor,
    )
    issue.obstacles.set(obstacles)
    return issue


@transaction.atomic
def refer_systemic(
    *,
    actor: User,
    issue: SystemicIssue,
    on: dt.date | None = None,
    reference: str = "",
    refer_obstacles: bool = True,
    today: dt.date | None = None,
) -> SystemicIssue:
    """Refer a systemic issue to the national HQ on a date, with the national HQ's reference when
    known. Its obstacles that are assigned or in progress are referred too, each through the
    obstacles' own transition (so each keeps its history). Conflict when already referred."""
    from ronagh.obstacles.services import transition

    today = _today(today)
    issue = SystemicIssue.objects.select_for_update().get(pk=issue.pk)
    _require_secretariat(actor, issue.province_id)
    if issue.referred_on is not None:
        raise Conflict(
            _("The issue was referred to the national HQ on %(date)s.")
            % {"date": _jdate(issue.referred_on)}
        )
    on = on or today
    reference = clean_name(reference)
    errors: dict[str, str] = {}
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    if len(reference) > 100:
        errors["reference"] = _("The reference is at most 100 characters.")
    if errors:
        raise ValidationError(errors)
    issue.referred_on, issue.national_reference, issue.referred_by = on, reference, actor
    issue.save(update_fields=["referred_on", "national_reference", "referred_by"])
    if refer_obstacles:
        comment = _("Referred with the systemic issue “%(t)s”.") % {"t": issue.title}
        at = None
        if on != timezone.localdate():
            at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        for obstacle in issue.obstacles.filter(status__in=RUNNING_OBSTACLE):
            transition(
                actor=actor, obstacle=obstacle, to="referred_national", comment=comment, at=at
            )
    return issue
