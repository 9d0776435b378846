# placeholder: being written
from django.http import Http404


def plan_create(request, *args, **kwargs):
    raise Http404


def plan_edit(request, *args, **kwargs):
    raise Http404


def axis_form(request, *args, **kwargs):
    raise Http404


def action_form(request, *args, **kwargs):
    raise Http404


def communicate(request, *args, **kwargs):
    raise Http404
