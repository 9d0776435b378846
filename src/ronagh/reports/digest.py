"""The reports app's step of the daily job (`ronagh remind`): ``digest`` — each secretariat user
(of a province, or of all when the user has none) gets the headline planned / actual / gap of
every plan taking reports, the count of actions in each status, the unreported actions, the
agencies with the most critical actions and the overdue obstacles. In the app and by email (a
digest is too long for an SMS)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_digits
from ronagh.core.models import Agency, User
from ronagh.notifications.daily import Context, Message, StepResult, join, listed, pct
from ronagh.notifications.models import Notification
from ronagh.notifications.selectors import secretariat_people
from ronagh.obstacles.escalations import obstacle_line, overdue
from ronagh.plans.charts import status_labels
from ronagh.plans.figures import PlanFigures
from ronagh.plans.reminders import plan_figures
from ronagh.plans.rollup import STATUSES, Status

TOP_AGENCIES = 5


def _plan_lines(pf: PlanFigures) -> list[str]:
    labels = status_labels()
    total = pf.total
    words = {
        "plan": pf.plan.title,
        "date": local_date(pf.as_of),
        "planned": pct(total.planned),
        "actual": pct(total.actual),
        "gap": pct(total.gap),
        "coverage": pct(total.coverage) if total.coverage is not None else "—",
        "days": local_digits(settings.RONAGH["UNREPORTED_WORKING_DAYS"]),
        "unreported": local_digits(sum(1 for f in pf.actions.values() if f.unreported)),
    }
    counts = total.status_counts
    inputs = pf.data.inputs
    critical = Counter(
        inputs[i].lead_agency_id
        for i, f in pf.actions.items()
        if f.status == Status.CRITICAL and inputs[i].lead_agency_id
    )
    names = {a.id: a.name for a in Agency.objects.filter(pk__in=list(critical))}
    worst = sorted(critical.items(), key=lambda kv: (-kv[1], names[kv[0]]))[:TOP_AGENCIES]
    lines = [
        _("%(plan)s, as of %(date)s") % words,
        _(
            "Planned progress %(planned)s%%, actual progress %(actual)s%%, gap %(gap)s points "
            "(coverage %(coverage)s%%)."
        )
        % words,
        _("Actions by status: %(counts)s.")
        % {"counts": join(f"{labels[s]} {local_digits(counts.get(s, 0))}" for s in STATUSES)},
        _("Unreported actions (no report for %(days)s working days or more): %(unreported)s.")
        % words,
    ]
    if worst:
        lines.append(
            _("Agencies with the most critical actions: %(agencies)s.")
            % {"agencies": join(f"{names[g]} ({local_digits(n)})" for g, n in worst)}
        )
    else:
        lines.append(_("No action is critical."))
    return lines


def digest(ctx: Context, result: StepResult) -> None:
    groups: dict[int | None, list[User]] = defaultdict(list)
    for user in secretariat_people():
        groups[user.province_id].append(user)
    late = overdue(ctx)
    every_plan = plan_figures(ctx)
    for province_id, users in groups.items():
        plans = [pf for pf in every_plan if province_id in (None, pf.plan.province_id)]
        obstacles = [o for o in late if province_id is None or o.province_id == province_id]
        if not plans and not obstacles:
            continue
        lines = []
        for pf in plans:
            lines += [*_plan_lines(pf), ""]
        lines.append(_("Overdue obstacles: %(count)s.") % {"count": local_digits(len(obstacles))})
        lines += listed([obstacle_line(o, ctx.today, with_agency=True) for o in obstacles])
        result.messages.append(
            Message(
                recipients=users,
                kind=Notification.Kind.DIGEST,
                title=_("Daily digest of %(date)s") % {"date": local_date(ctx.today)},
                body="\n".join(lines).strip(),
                key=ctx.key("digest", province_id or "all"),
                link=reverse("plans:plan_dashboard", args=[plans[0].plan.pk]) if plans else "",
                channels=("in_app", "email", "bale"),
            )
        )
