# placeholder: being written
from django.http import Http404


def daily_report(request, *args, **kwargs):
    raise Http404


def correct_report(request, *args, **kwargs):
    raise Http404
