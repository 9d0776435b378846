"""The site's front door: where each role lands after signing in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

# role → the page it lands on (a URL name); the rest land on the plan dashboard.
LANDING = {
    "agency_reporter": "plans:daily_report",  # the focal point's day starts on the report
}
DEFAULT_LANDING = "plans:dashboard_current"


@require_safe
@login_required
def home(request):
    return redirect(LANDING.get(request.user.role, DEFAULT_LANDING))
