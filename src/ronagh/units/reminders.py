"""The units app's steps of the daily job (`ronagh remind`):

- ``early_warning`` — once a month's indicators are due (the due day of the next month), every
  unit that is not closed and sent nothing is scored with its missing report, new episodes of
  high risk open their preventive cases, and the secretariat of each province hears of them;
- ``overdue_permits`` — the managers of each issuing agency hear of the permit applications
  past their legal deadline.

Both are idempotent: scoring a month twice scores nothing twice, and the messages' keys are the
day's (`notifications.daily`)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import User
from ronagh.lib import jalali
from ronagh.notifications.daily import Context, Message, StepResult, listed
from ronagh.notifications.selectors import agency_people, secretariat_people

from .models import PermitApplication
from .services.warning import score_due_month


def early_warning(ctx: Context, result: StepResult) -> None:
    month, rescored = score_due_month(today=ctx.today)
    result.note = _("%(month)s: %(scores)s units scored, %(cases)s preventive cases opened.") % {
        "month": local_digits(jalali.format_month(month)),
        "scores": local_digits(rescored.scores),
        "cases": local_digits(len(rescored.cases)),
    }
    by_province = defaultdict(list)
    for case in rescored.cases:
        by_province[case.unit.province_id].append(case)
    if not by_province:
        return
    people = defaultdict(list)
    for user in secretariat_people():
        if user.province_id in by_province:
            people[user.province_id].append(user)
    for province_id, cases in by_province.items():
        if not people[province_id]:
            continue
        lines = [
            _("• %(unit)s — score %(score)s")
            % {"unit": c.unit.name, "score": local_digits(c.score)}
            for c in cases
        ]
        result.messages.append(
            Message(
                recipients=people[province_id],
                kind="early_warning",
                title=_("%(count)s units entered high risk") % {"count": local_digits(len(cases))},
                body="\n".join(
                    [_("Preventive cases were opened and routed for these units:"), *listed(lines)]
                ),
                key=ctx.key("early_warning", f"province-{province_id}"),
                link=reverse("units:governor"),
            )
        )


def overdue_permits(ctx: Context, result: StepResult) -> None:
    by_agency: dict[int, list[PermitApplication]] = defaultdict(list)
    for application in (
        PermitApplication.objects.overdue(ctx.today)
        .select_related("issuing_agency", "unit")
        .order_by("legal_deadline", "id")
    ):
        by_agency[application.issuing_agency_id].append(application)
    people = agency_people(by_agency.keys(), [User.Role.AGENCY_MANAGER])
    for agency_id, items in by_agency.items():
        if agency_id not in people:
            continue
        lines = [
            _("• %(applicant)s — deadline %(deadline)s (%(days)s days late)")
            % {
                "applicant": a.applicant,
                "deadline": local_date(a.legal_deadline),
                "days": local_digits(a.days_late(ctx.today)),
            }
            for a in items
        ]
        result.messages.append(
            Message(
                recipients=people[agency_id],
                kind="permit_overdue",
                title=_("%(count)s permit applications are past their legal deadline")
                % {"count": local_digits(len(items))},
                body="\n".join(listed(lines)),
                key=ctx.key("overdue_permits", f"agency-{agency_id}"),
                link=reverse("units:permits"),
            )
        )
