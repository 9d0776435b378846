"""Template helpers of the obstacle pages: status and severity colours, money in billions of
rial, and the escalation card other pages (the secretariat's dashboard) include."""

from django import template
from django.utils import timezone

from ronagh.core.i18n import is_persian, local_digits

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
def billions(rial) -> str:
    """Rial as billions of rial with one decimal ('۲٬۵۰۰٫۵'); '—' for nothing."""
    if rial in (None, ""):
        return "—"
    value = float(rial) / 1e9
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value else "0"
    return local_digits(text.replace(",", "٬") if is_persian() else text)


@register.filter
def days_overdue(obstacle, today=None) -> int:
    return obstacle.days_overdue(today or timezone.localdate())


@register.inclusion_tag("obstacles/_escalation_card.html", takes_context=True)
def obstacles_escalation_card(context, limit: int = 5):
    """Overdue, bounced and unassigned obstacles the user may see, for a dashboard."""
    user = context["request"].user
    today = timezone.localdate()
    visible = selectors.visible_obstacles(user)
    overdue = visible.overdue(today)
    return {
        "today": today,
        "overdue_count": overdue.count(),
        "oldest": list(overdue.order_by("due_date", "id")[:limit]),
        "bounced_count": visible.running().bounced().count(),
        "waiting_count": visible.filter(status=Status.REGISTERED).count(),
        "user": user,
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
