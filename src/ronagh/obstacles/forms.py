"""Forms of the obstacle pages. They only collect input; services.py decides (its
ValidationError goes back onto the form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronagh.core.forms import JalaliDateField, PersianIntegerField
from ronagh.core.models import Agency, County, Province
from ronagh.core.templatetags.ronagh import localize_digits
from ronagh.plans.models import Action

from .models import Category, FacingKind, Obstacle, Severity, Status

# The units app sits above this one (its early warning opens obstacles): its models are reached
# through the relations this app declares, never imported.
ProductionUnit = Obstacle._meta.get_field("unit").related_model
IndustrialPark = Obstacle._meta.get_field("park").related_model


def _select(field: forms.Field, small: bool = False) -> None:
    field.widget.attrs["class"] = "form-select" + (" form-select-sm" if small else "")


class ObstacleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[(s.value, s.label) for s in reversed(Severity)],
        coerce=int,
        initial=2,
        help_text=_("4 is the gravest; it sets the deadline."),
    )
    jobs_affected = PersianIntegerField(label=_("Jobs affected"), min_value=0)
    amount = PersianIntegerField(label=_("Amount involved (rial)"), min_value=0, required=False)
    facing_kind = forms.ChoiceField(
        label=_("Who faces it"),
        choices=[(k.value, k.label) for k in FacingKind if k.value],
        widget=forms.RadioSelect,
        initial=FacingKind.UNIT,
    )
    unit = forms.ModelChoiceField(
        label=_("Production unit"), queryset=ProductionUnit.objects.none(), required=False
    )
    park = forms.ModelChoiceField(
        label=_("Industrial park"), queryset=IndustrialPark.objects.none(), required=False
    )
    sector = forms.CharField(label=_("Sector"), max_length=200, required=False)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        help_text=_("Taken from the unit or park when left empty."),
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— by the routing table —"),
        help_text=_("Leave empty to route it by its category."),
    )
    action = forms.ModelChoiceField(
        label=_("Plan action it blocks"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args, province: Province | None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = {"province": province} if province else {}
        self.fields["unit"].queryset = ProductionUnit.objects.filter(**scope).order_by("name")
        self.fields["park"].queryset = IndustrialPark.objects.filter(**scope).order_by("name")
        self.fields["county"].queryset = County.objects.filter(**scope).order_by("name")
        self.fields["responsible_agency"].queryset = Agency.objects.filter(**scope).order_by("name")
        plan_scope = {"plan__province": province} if province else {}
        self.fields["action"].queryset = (
            Action.objects.filter(**plan_scope)
            .exclude(plan__status="closed")
            .select_related("plan")
            .order_by("-plan__year", "code")
        )
        self.fields["action"].label_from_instance = lambda a: f"{a.code} — {a.title[:70]}"
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.national_id})"
        for name in ("title", "sector", "jobs_affected", "amount"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["description"].widget.attrs["class"] = "form-control"
        self.fields["facing_kind"].widget.attrs["class"] = "form-check-input"
        self.fields["severity"].choices = [
            (s.value, f"{localize_digits(s.value)} — {s.label}") for s in reversed(Severity)
        ]
        for name in ("category", "severity", "unit", "park", "county", "responsible_agency",
                     "action"):  # fmt: skip
            _select(self.fields[name])

    def clean_amount(self):
        return self.cleaned_data.get("amount") or 0


class ReportObstacleForm(forms.Form):
    """An obstacle met on an action, from the daily report (SPEC 4.2): the few things a focal
    point knows on the spot. The action is the page's; routing is the service's."""

    title = forms.CharField(label=_("What is in the way?"), max_length=300)
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, widget=forms.RadioSelect
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[(s.value, s.label) for s in reversed(Severity)],
        coerce=int,
        initial=2,
        widget=forms.RadioSelect,
    )
    jobs_affected = PersianIntegerField(
        label=_("Jobs affected"), min_value=0, required=False, initial=0
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "jobs_affected", "description"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["title"].widget.attrs["class"] += " form-control-lg"
        self.fields["jobs_affected"].widget.attrs["class"] += " num"
        self.fields["severity"].choices = [
            (s.value, f"{localize_digits(s.value)} — {s.label}") for s in reversed(Severity)
        ]

    def clean_jobs_affected(self):
        return self.cleaned_data.get("jobs_affected") or 0


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, province: Province | None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = {"province": province} if province else {}
        self.fields["agency"].queryset = Agency.objects.filter(**scope).order_by("name")
        _select(self.fields["agency"])


class FilterForm(forms.Form):
    """The registry's filters (GET). Invalid values are ignored, not fatal."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("All")), *[(str(s.value), s.label) for s in reversed(Severity)]],
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All")
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.none(), required=False, empty_label=_("All")
    )
    park = forms.ModelChoiceField(
        label=_("Industrial park"),
        queryset=IndustrialPark.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    since = JalaliDateField(label=_("Registered from"), required=False)
    until = JalaliDateField(label=_("Registered to"), required=False)

    def __init__(self, *args, province: Province | None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = {"province": province} if province else {}
        self.fields["agency"].queryset = (
            agencies if agencies is not None else Agency.objects.filter(**scope)
        ).order_by("name")
        self.fields["county"].queryset = County.objects.filter(**scope).order_by("name")
        self.fields["park"].queryset = IndustrialPark.objects.filter(**scope).order_by("name")
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Select):
                _select(field, small=True)
            elif name != "overdue":
                field.widget.attrs["class"] = "form-control form-control-sm"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"
