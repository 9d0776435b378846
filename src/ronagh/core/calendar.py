"""The working calendar of SPEC 3, built from settings and the holidays table."""

from django.conf import settings

from ronagh.lib.workdays import Calendar

from .models import Holiday


def working_calendar() -> Calendar:
    """The calendar every reporting window, unreported flag and compliance figure uses."""
    return Calendar(
        holidays=Holiday.objects.values_list("date", flat=True),
        thursday_weekend=settings.RONAGH["THURSDAY_IS_WEEKEND"],
    )
