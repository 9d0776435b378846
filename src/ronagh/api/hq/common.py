"""What the HQ's endpoints share: the execution rate's shape and lookups by id."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from ..fields import PercentField

# --- the execution rate ---------------------------------------------------------------------------


class RateSerializer(serializers.Serializer):
    """An execution rate with the counts behind it (rates.Rate)."""

    due = serializers.IntegerField(help_text="Clauses whose due date has come")
    on_time = serializers.IntegerField(help_text="… done on or before their due date")
    late = serializers.IntegerField(help_text="… done after their due date")
    not_done = serializers.IntegerField(help_text="… declared not done")
    overdue = serializers.IntegerField(help_text="… still open past their due date")
    not_yet_due = serializers.IntegerField()
    rate = PercentField(
        source="percent",
        allow_null=True,
        help_text="Percent of the clauses due that were done on time; null when none is due",
    )


def today():
    return timezone.localdate()


def visible_or_400(qs, pk, field: str):
    """An object the user may see, by id from the request body; 400 naming the field if not."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [_("There is no such record, or you may not see it.")]})
    return obj
