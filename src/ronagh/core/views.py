"""The site's front door: where each role lands after signing in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from .permissions import is_national

# role → the page it lands on (a URL name); the rest land on the plan dashboard.
LANDING = {}
DEFAULT_LANDING = "plans:dashboard_current"
# A national viewer (no province) first sees the provinces side by side.
NATIONAL_LANDING = "national:national"


@require_safe
@login_required
def home(request):
    if is_national(request.user):
        return redirect(NATIONAL_LANDING)
    return redirect(LANDING.get(request.user.role, DEFAULT_LANDING))
