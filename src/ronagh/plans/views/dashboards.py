# placeholder: being written
from django.http import Http404


def plan_list(request, *args, **kwargs):
    raise Http404


def dashboard_current(request, *args, **kwargs):
    raise Http404


def plan_dashboard(request, *args, **kwargs):
    raise Http404


def axis_dashboard(request, *args, **kwargs):
    raise Http404


def agency_dashboard(request, *args, **kwargs):
    raise Http404


def action_dashboard(request, *args, **kwargs):
    raise Http404
