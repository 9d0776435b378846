"""Forms of the scorecard pages: they read what was typed (Jalali dates, any digits); the rules
are services.py's, whose errors the views put back on them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronagh.core.forms import JalaliDateField

from .models import Evaluation


class EvaluationForm(forms.Form):
    period_label = forms.CharField(
        label=_("Period"),
        max_length=100,
        required=False,
        help_text=_("For example: first quarter, or the month of Tir."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    period_start = JalaliDateField(label=_("From"), required=False)
    period_end = JalaliDateField(label=_("To"), required=False)
    grade = forms.ChoiceField(
        label=_("Suggested grade"),
        required=False,
        choices=[("", _("None")), *Evaluation.Grade.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("Evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )


class ClearFlagForm(forms.Form):
    note = forms.CharField(
        label=_("What was found"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
