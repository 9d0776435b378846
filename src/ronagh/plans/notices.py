"""What the plans app tells people through the notifications channel: the notice each agency
gets when its plan is communicated."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, User
from ronagh.notifications.models import Notification
from ronagh.notifications.selectors import agency_people
from ronagh.notifications.services import Outcome, notify

from .models import Action, Plan
from .selectors import notice_key


def plan_communicated(*, plan: Plan) -> Outcome:
    """Tell the managers and reporters of every agency with actions in a communicated plan how
    many it leads and partners in, with a link to the acknowledgement page; once per agency (key
    `plan-communicated:{plan}:{agency}`), so calling it again sends nothing new. Called from
    `transaction.on_commit` by communicate_plan. Conflict if the plan is not communicated."""
    if not plan.is_communicated:
        raise Conflict(_("Only a communicated plan is announced to the agencies."))
    lead = dict(
        Action.objects.filter(plan=plan, lead_agency__isnull=False)
        .order_by()
        .values_list("lead_agency_id")
        .annotate(n=Count("id"))
    )
    partner = dict(
        Action.partners.through.objects.filter(action__plan=plan)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("id"))
    )
    people = agency_people(
        set(lead) | set(partner), (User.Role.AGENCY_MANAGER, User.Role.AGENCY_REPORTER)
    )
    outcome = Outcome()
    with translation.override(settings.LANGUAGE_CODE):
        link = reverse("plans:acknowledge", args=[plan.id])
        since = plan.communicated_on or timezone.localdate()
        for agency in Agency.objects.filter(id__in=people.keys()).order_by("name"):
            counts = {
                "plan": plan.title,
                "agency": agency.name,
                "lead": local_digits(lead.get(agency.id, 0)),
                "partner": local_digits(partner.get(agency.id, 0)),
                "date": local_date(since),
            }
            body = "\n".join(
                [
                    _("The plan “%(plan)s” was communicated on %(date)s.") % counts,
                    _("Actions %(agency)s leads: %(lead)s. Actions it partners in: %(partner)s.")
                    % counts,
                    _(
                        "Report the physical progress of each active action on the daily report "
                        "page every working day."
                    ),
                ]
            )
            outcome.add(
                notify(
                    recipients=people[agency.id],
                    kind=Notification.Kind.PLAN_COMMUNICATED,
                    title=_("The plan “%(plan)s” was communicated") % counts,
                    body=body,
                    link=link,
                    key=notice_key(plan, agency.id),
                    sms_text=_(
                        "the plan was communicated: your agency leads %(lead)s actions and "
                        "partners in %(partner)s; report progress daily."
                    )
                    % counts,
                )
            )
    return outcome
