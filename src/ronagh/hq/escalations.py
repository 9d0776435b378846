"""The HQ's step of the daily job (`ronagh remind`): ``overdue_clauses`` — each agency's managers
hear of its clauses of HQ resolutions past their due date (the first rung of the escalation
ladder; the secretariat records the further steps)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import User
from ronagh.notifications.daily import Context, Message, StepResult, listed
from ronagh.notifications.selectors import agency_people

from .models import Clause
from .selectors import overdue_clauses as overdue_query

KIND = "clause_overdue"


def overdue_clauses(ctx: Context, result: StepResult) -> None:
    by_agency: dict[int, list[Clause]] = defaultdict(list)
    for clause in overdue_query(as_of=ctx.today).filter(agency__isnull=False):
        by_agency[clause.agency_id].append(clause)
    people = agency_people(by_agency.keys(), [User.Role.AGENCY_MANAGER])
    link = reverse("hq:clauses")
    for agency_id, items in sorted(by_agency.items(), key=lambda kv: kv[1][0].agency.name):
        if agency_id not in people:
            continue
        words = {"agency": items[0].agency.name, "count": local_digits(len(items))}
        lines = [
            _("%(count)s clauses of HQ resolutions for %(agency)s are past their due date.")
            % words,
            "",
            *listed(
                [
                    _("• %(code)s — %(obligation)s — due %(due)s")
                    % {
                        "code": local_digits(c.code),
                        "obligation": c.obligation[:120],
                        "due": local_date(c.due_date),
                    }
                    for c in items
                ]
            ),
        ]
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind=KIND,
                title=_("%(agency)s: overdue HQ resolutions") % words,
                body="\n".join(lines),
                key=ctx.key("overdue-clauses", agency_id),
                link=link,
                sms_text=_("%(count)s clauses of HQ resolutions for your agency are overdue.")
                % words,
            )
        )
