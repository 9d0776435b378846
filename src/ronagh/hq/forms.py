"""Forms of the HQ pages. They only read what people typed (any digits, Jalali dates); the rules
live in services.py, whose errors the views put back on these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronagh.core.forms import JalaliDateField, PersianDecimalField, PersianIntegerField
from ronagh.core.models import Agency
from ronagh.obstacles.models import Obstacle

from .models import Clause, EscalationStep, SystemicIssue

# The units app sits above this one: its model is reached through Clause's own relation.
ProductionUnit = Clause._meta.get_field("unit").related_model


def _text(label, *, required=True, max_length=300, **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


def _area(label, *, required=True, rows=3, max_length=5000, **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs}),
    )


class ObstacleChoiceField(forms.ModelMultipleChoiceField):
    """Obstacles as checkboxes; templates draw them as a table from `.queryset`."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.title


class MeetingForm(forms.Form):
    number = PersianIntegerField(
        label=_("Meeting number"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"class": "form-control num"}),
    )
    date = JalaliDateField(label=_("Date"))
    place = _text(_("Place"), required=False)
    chair = _text(_("Chair"), required=False, max_length=200)
    secretary = _text(_("Secretary"), required=False, max_length=200)
    attendees = _area(_("Attendees"), required=False, rows=6, placeholder=_("One attendee a line"))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Attending agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    obstacles = ObstacleChoiceField(
        label=_("Obstacles on the agenda"), queryset=Obstacle.objects.none(), required=False
    )
    topics = _area(
        _("Other agenda topics"), required=False, rows=3, placeholder=_("One topic a line")
    )
    notes = _area(_("Notes"), required=False, rows=2)

    def __init__(self, *args, agencies, obstacles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["obstacles"].queryset = obstacles

    def clean_topics(self):
        return [line.strip() for line in self.cleaned_data["topics"].splitlines() if line.strip()]


class ClauseFields(forms.Form):
    """The fields of one clause (also the first clause of a new resolution)."""

    party_kind = forms.ChoiceField(
        label=_("Party"),
        choices=Clause.Party.choices,
        initial=Clause.Party.AGENCY,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose an agency…"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Production unit"),
        queryset=ProductionUnit.objects.none(),
        required=False,
        empty_label=_("Choose a production unit…"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    firm = _text(_("Firm (if not in the list)"), required=False)
    obligation = _area(_("Obligation"), rows=2, max_length=3000)
    due_date = JalaliDateField(label=_("Due date"))

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].queryset = units

    def clause_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "party_kind": data["party_kind"],
            "agency": data.get("agency"),
            "unit": data.get("unit"),
            "firm": data.get("firm", ""),
            "obligation": data["obligation"],
            "due_date": data.get("due_date"),
        }


class ResolutionForm(ClauseFields):
    text = _area(_("Text of the resolution"), rows=3, max_length=5000)
    obstacles = ObstacleChoiceField(
        label=_("Obstacles it answers"), queryset=Obstacle.objects.none(), required=False
    )

    field_order = ["text", "obstacles"]

    def __init__(self, *args, obstacles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = obstacles


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=Clause.Status.choices, widget=forms.HiddenInput)
    on = JalaliDateField(label=_("Date"), required=False)
    reason = _area(_("Reason"), required=False, rows=2, max_length=3000)
    note = _area(_("Note"), required=False, rows=2, max_length=3000)


class EscalateForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=EscalationStep.Step.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on = JalaliDateField(label=_("Date"), required=False)
    note = _area(_("Note"), required=False, rows=2, max_length=3000)
    facility_amount = PersianDecimalField(
        label=_("Facility asked (rial)"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control num"}),
    )
    bank_reasons = _area(_("Bank's written reasons"), required=False, rows=2, max_length=3000)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [
            (s, EscalationStep.Step(s).label) for s in steps
        ] or EscalationStep.Step.choices


class OpinionForm(forms.Form):
    opinion = _area(_("Board's opinion"), rows=3, max_length=5000)
    on = JalaliDateField(label=_("Opinion given on"), required=False)
    pay_by = JalaliDateField(label=_("Pay by"), required=False)


class SystemicForm(forms.Form):
    title = _text(_("Title"))
    cause_kind = forms.ChoiceField(
        label=_("Kind of cause"),
        choices=SystemicIssue.Cause.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    cause = _area(_("Common cause"), rows=3)
    # Not required here: the service says how many it takes.
    obstacles = ObstacleChoiceField(
        label=_("Obstacles"), queryset=Obstacle.objects.none(), required=False
    )

    def __init__(self, *args, obstacles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = obstacles


class ReferForm(forms.Form):
    on = JalaliDateField(label=_("Referred on"), required=False)
    reference = _text(_("National HQ reference"), required=False, max_length=100)
