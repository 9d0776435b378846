"""The site's front door — where each role lands after signing in — and the error pages: 403,
404 and 500 in the reader's language inside the site's layout, with a way back."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .permissions import is_national

# role → the page it lands on (a URL name); the rest land on the plan dashboard.
LANDING = {
    "governor": "reports:governor",
    "secretariat": "reports:governor",
    "agency_reporter": "plans:daily_report",  # the focal point's day starts on the report
}
DEFAULT_LANDING = "plans:dashboard_current"
# A national viewer (no province) first sees the provinces side by side.
NATIONAL_LANDING = "national:national"


@require_safe
@login_required
def home(request):
    if is_national(request.user):
        return redirect(NATIONAL_LANDING)
    return redirect(LANDING.get(request.user.role, DEFAULT_LANDING))


@require_safe
@login_required
def search(request):
    """The quick search's results, grouped by kind (core.search)."""
    from . import pages
    from .search import MIN_LENGTH
    from .search import search as run

    query = request.GET.get("q", "")[:100]
    groups = run(request.user, query)
    return pages.page(
        request,
        "core/search.html",
        {"query": query, "groups": groups, "min_length": MIN_LENGTH},
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon."""
    return redirect(static("ronagh/favicon.svg"), permanent=True)


def _error(request, code: int, heading: str, explanation: str, message: str = ""):
    context = {"code": code, "heading": heading, "explanation": explanation, "message": message}
    response = render(request, f"{code}.html", context, status=code)
    response.ronagh_page = True  # core.middleware.FriendlyNotFoundMiddleware leaves it be
    return response


def forbidden(request, exception=None):
    """403: what the service said (a Persian sentence about why), and a way back."""
    message = str(exception) if exception is not None and str(exception) else ""
    return _error(
        request,
        403,
        _("You may not open this page"),
        _("Your role does not allow this. If you think it should, ask the secretariat."),
        message,
    )


def not_found(request, exception=None):
    """404: guessing an address reveals nothing (SPEC 10), so nothing is said about why."""
    return _error(
        request,
        404,
        _("This page was not found"),
        _("The address may be mistyped, or what it pointed to is not yours to see."),
    )


def server_error(request):
    """500: rendered without the request's context processors, so that it needs neither the
    database (which may be what failed) nor the signed-in user."""
    template = loader.get_template("500.html")
    context = {
        "is_demo": settings.DEBUG,
        "code": 500,
        "heading": _("Something went wrong on our side"),
        "explanation": _(
            "The error has been recorded. Try again in a few minutes; if it happens again, tell "
            "the secretariat what you were doing."
        ),
    }
    return HttpResponseServerError(template.render(context))
