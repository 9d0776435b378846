"""Template helpers of the obstacle pages: status and severity colours, and the escalation card
other pages (the plan dashboard) include. Money is written by the `rial` filter (core.i18n)."""

from django import template
from django.utils import timezone

from ronagh.core.templatetags import ronagh as ronagh_tags

from .. import selectors
from ..models import Status

register = template.Library()

STATUS_CLASSES = {
    Status.REGISTERED: "text-bg-secondary",
    Status.ASSIGNED: "text-bg-primary",
    Status.IN_PROGRESS: "text-bg-info",
    Status.RESOLVED: "text-bg-success",
    Status.REFERRED_NATIONAL: "text-bg-dark",
    Status.REJECTED: "text-bg-light border",
}
SEVERITY_CLASSES = {
    4: "text-bg-danger",
    3: "text-bg-warning",
    2: "text-bg-info",
    1: "text-bg-light border",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def severity_class(severity) -> str:
    return SEVERITY_CLASSES.get(int(severity or 0), "text-bg-light border")


@register.filter
def days_overdue(obstacle, today=None) -> int:
    return obstacle.days_overdue(today or timezone.localdate())


@register.inclusion_tag("obstacles/_escalation_card.html", takes_context=True)
def obstacles_escalation_card(context, as_of=None, province_id=None, limit: int = 5):
    """Overdue, bounced and unassigned obstacles the user may see, for a dashboard: as of the
    page's date (today when none is given), those registered by then, of one province when the
    page is about one (a national reader's plan dashboard)."""
    user = context["request"].user
    day = as_of or timezone.localdate()
    visible = selectors.visible_obstacles(user).filter(registered_on__lte=day)
    if province_id is not None:
        visible = visible.filter(province_id=province_id)
    overdue = visible.overdue(day)
    return {
        "today": day,
        "as_of": day,
        "overdue_count": overdue.count(),
        "oldest": list(overdue.order_by("due_date", "id")[:limit]),
        "bounced_count": visible.bounced().count(),
        "waiting_count": visible.filter(status=Status.REGISTERED).count(),
        "user": user,
    }


# Kept under this library's name for the templates that load only it.
register.filter("get_item", ronagh_tags.get_item)
