"""Meetings of the HQ with their agenda of open obstacles, their numbered resolutions and the
clauses of each (SPEC 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.models import Agency, Province, User
from ronagh.lib.text import clean_name
from ronagh.obstacles.models import OPEN as OPEN_OBSTACLE
from ronagh.obstacles.models import Obstacle

from ..models import AgendaItem, Clause, Meeting, Resolution
from .common import jdate, next_number, require_manager, stripped, today_or, whole_positive

if TYPE_CHECKING:  # the units app sits above this one
    from ronagh.units.models import ProductionUnit


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
    require_manager(actor, province)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Give the date of the meeting.")
    existing = Meeting.objects.filter(province=province)
    if number in (None, ""):
        number = next_number(existing)
    else:
        given = whole_positive(number)
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
        notes=stripped(notes),
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
    require_manager(actor, meeting.province_id)
    today = today_or(today)
    errors: dict[str, str] = {}
    text = stripped(text)
    if not text:
        errors["text"] = _("Write the text of the resolution.")
    if meeting.date > today:
        raise Conflict(
            _("The meeting is on %(date)s; its resolutions are recorded once it is held.")
            % {"date": jdate(meeting.date)}
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
        number=next_number(meeting.resolutions.all()),
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
    require_manager(actor, meeting.province_id)
    errors: dict[str, str] = {}
    obligation = stripped(obligation)
    if not obligation:
        errors["obligation"] = _("Write what must be done.")
    if due_date is None:
        errors["due_date"] = _("Give the due date of the clause.")
    elif due_date < meeting.date:
        errors["due_date"] = _("The due date cannot be before the meeting (%(date)s).") % {
            "date": jdate(meeting.date)
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
        number=next_number(resolution.clauses.all()),
        party_kind=party_kind,
        agency=agency,
        unit=unit,
        firm=firm,
        obligation=obligation,
        due_date=due_date,
        created_by=actor,
    )
