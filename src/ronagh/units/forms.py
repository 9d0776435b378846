"""Forms of the units pages. They only parse what people type (any digits, Jalali dates and
months); every rule is the services' (`units/services/`), whose ValidationError goes back onto
the form through `core.forms.add_service_errors`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ronagh.core.forms import JalaliDateField, PersianDecimalField, PersianIntegerField
from ronagh.core.models import Agency, County
from ronagh.lib import jalali

from .models import (
    Decision,
    Education,
    EventKind,
    Evidence,
    IndustrialPark,
    PermitKind,
    ProductionUnit,
    UnitStatus,
)
from .risk import Level

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}


class MonthField(forms.CharField):
    """A Jalali month typed as 1405/07 (any digits); cleans to the month's first day."""

    def __init__(self, **kw):
        kw.setdefault(
            "widget",
            forms.TextInput(attrs={**TEXT, "placeholder": "1405/07", "inputmode": "numeric"}),
        )
        super().__init__(**kw)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return jalali.parse_month(value)
        except jalali.JalaliDateError:
            raise forms.ValidationError(
                _("Write the month as a Jalali year and month, e.g. 1405/07.")
            ) from None


class FilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={**TEXT, "placeholder": _("name, national id, ISIC, manager …")}
        ),
    )
    park = forms.ModelChoiceField(
        IndustrialPark.objects.none(),
        required=False,
        label=_("Industrial park"),
        widget=forms.Select(attrs=SELECT),
    )
    county = forms.ModelChoiceField(
        County.objects.none(), required=False, label=_("County"), widget=forms.Select(attrs=SELECT)
    )
    sector = forms.ChoiceField(required=False, label=_("Sector"), widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(required=False, label=_("Status"), widget=forms.Select(attrs=SELECT))
    risk = forms.ChoiceField(required=False, label=_("Risk"), widget=forms.Select(attrs=SELECT))
    priority = forms.BooleanField(required=False, label=_("Priority sectors only"))

    def __init__(self, *args, parks, counties, sectors, **kw):
        super().__init__(*args, **kw)
        self.fields["park"].queryset = parks
        self.fields["county"].queryset = counties
        self.fields["sector"].choices = [("", _("All sectors"))] + [(s, s) for s in sectors]
        self.fields["status"].choices = [("", _("Any status"))] + list(UnitStatus.choices)
        self.fields["risk"].choices = [
            ("", _("Any risk")),
            (Level.HIGH.value, _("High risk")),
            (Level.MEDIUM.value, _("Medium risk")),
            (Level.LOW.value, _("Low risk")),
        ]


class IndicatorForm(forms.Form):
    """One unit-month's indicators; a value left blank keeps the stored one."""

    month = MonthField(label=_("Month"))
    employees = PersianIntegerField(required=False, label=_("Employees"))
    utilisation = PersianDecimalField(required=False, label=_("Capacity utilisation %"))
    sales = PersianDecimalField(required=False, label=_("Sales (million rial)"))
    energy = PersianDecimalField(required=False, label=_("Energy use"))
    tax_overdue = PersianIntegerField(required=False, label=_("Months of overdue tax"))
    insurance_overdue = PersianIntegerField(
        required=False, label=_("Months of overdue insurance premium")
    )
    bank_overdue = PersianIntegerField(
        required=False, label=_("Months of overdue bank instalments")
    )
    bounced_cheques = PersianIntegerField(required=False, label=_("Bounced cheques"))
    utility_cutoffs = PersianIntegerField(required=False, label=_("Utility cut-offs"))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for name, field in self.fields.items():
            if name != "month":
                field.widget.attrs.update(TEXT)


class UnitForm(forms.Form):
    """The secretariat's edit of a unit (the same write path as the workbook)."""

    name = forms.CharField(max_length=300, label=_("Name"), widget=forms.TextInput(attrs=TEXT))
    isic = forms.CharField(
        max_length=10, required=False, label=_("ISIC code"), widget=forms.TextInput(attrs=TEXT)
    )
    sector = forms.CharField(
        max_length=200, required=False, label=_("Sector"), widget=forms.TextInput(attrs=TEXT)
    )
    county = forms.ModelChoiceField(
        County.objects.none(), required=False, label=_("County"), widget=forms.Select(attrs=SELECT)
    )
    park = forms.CharField(
        max_length=200,
        required=False,
        label=_("Industrial park"),
        widget=forms.TextInput(attrs=TEXT),
    )
    status = forms.ChoiceField(
        choices=UnitStatus.choices, label=_("Status"), widget=forms.Select(attrs=SELECT)
    )
    employees = PersianIntegerField(required=False, label=_("Employees"))
    capacity = PersianDecimalField(required=False, label=_("Nominal capacity"))
    manager = forms.CharField(
        max_length=200,
        required=False,
        label=_("Managing director"),
        widget=forms.TextInput(attrs=TEXT),
    )
    licence_no = forms.CharField(
        max_length=60,
        required=False,
        label=_("Operating licence number"),
        widget=forms.TextInput(attrs=TEXT),
    )
    licence_date = JalaliDateField(required=False, label=_("Operating licence date"))
    responsible_agency = forms.ModelChoiceField(
        Agency.objects.none(),
        required=False,
        label=_("Responsible agency"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, province, **kw):
        super().__init__(*args, **kw)
        self.fields["county"].queryset = County.objects.filter(province=province)
        self.fields["responsible_agency"].queryset = Agency.objects.filter(province=province)
        for name in ("employees", "capacity"):
            self.fields[name].widget.attrs.update(TEXT)

    @staticmethod
    def initial_of(unit: ProductionUnit) -> dict:
        return {
            "name": unit.name,
            "isic": unit.isic,
            "sector": unit.sector,
            "county": unit.county_id,
            "park": unit.park.name if unit.park_id else "",
            "status": unit.status,
            "employees": unit.employees,
            "capacity": unit.capacity,
            "manager": unit.manager,
            "licence_no": unit.licence_no,
            "licence_date": unit.licence_date,
            "responsible_agency": unit.responsible_agency_id,
        }


class NewUnitForm(UnitForm):
    national_id = forms.CharField(
        max_length=30,
        label=_("National id"),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )

    field_order = ["national_id"]


class UploadForm(forms.Form):
    KINDS = (("units", _("Production units")), ("indicators", _("Monthly indicators")))
    kind = forms.ChoiceField(choices=KINDS, label=_("Workbook"), widget=forms.Select(attrs=SELECT))
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".xlsx"}
        ),
    )
    dry_run = forms.BooleanField(required=False, initial=True, label=_("Check only, save nothing"))


class PriorityForm(forms.Form):
    entries = forms.CharField(
        required=False,
        label=_("Priority sectors"),
        help_text=_(
            "One a line: title | ISIC prefix | sector (either the prefix or the sector may be blank)."
        ),
        widget=forms.Textarea(attrs={**TEXT, "rows": 10, "dir": "auto"}),
    )

    def rows(self) -> list[tuple[str, str, str]]:
        out = []
        for line in (self.cleaned_data.get("entries") or "").splitlines():
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if not any(parts):
                continue
            parts += [""] * (3 - len(parts))
            out.append((parts[0], parts[1], parts[2]))
        return out


class PermitForm(forms.Form):
    kind = forms.ChoiceField(
        choices=PermitKind.choices, label=_("Kind"), widget=forms.Select(attrs=SELECT)
    )
    applicant = forms.CharField(
        max_length=200, label=_("Applicant"), widget=forms.TextInput(attrs=TEXT)
    )
    unit = forms.ModelChoiceField(
        ProductionUnit.objects.none(),
        required=False,
        label=_("Existing unit"),
        widget=forms.Select(attrs=SELECT),
    )
    planned_unit = forms.CharField(
        max_length=300, required=False, label=_("Planned unit"), widget=forms.TextInput(attrs=TEXT)
    )
    sector = forms.CharField(
        max_length=200, required=False, label=_("Sector"), widget=forms.TextInput(attrs=TEXT)
    )
    manager = forms.CharField(
        max_length=200, label=_("Managing director"), widget=forms.TextInput(attrs=TEXT)
    )
    education = forms.ChoiceField(
        choices=Education.choices, label=_("Education"), widget=forms.Select(attrs=SELECT)
    )
    experience_years = PersianIntegerField(label=_("Years of relevant experience"))
    failed_units = PersianIntegerField(required=False, initial=0, label=_("Earlier failed units"))
    own_capital = PersianDecimalField(label=_("Own capital (million rial)"))
    project_cost = PersianDecimalField(label=_("Project cost (million rial)"))
    business_plan = forms.BooleanField(required=False, label=_("Business plan present"))
    issuing_agency = forms.ModelChoiceField(
        Agency.objects.none(), label=_("Issuing agency"), widget=forms.Select(attrs=SELECT)
    )
    filed_on = JalaliDateField(label=_("Filed on"))
    legal_deadline = JalaliDateField(required=False, label=_("Legal deadline"))

    def __init__(self, *args, province, units, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units
        self.fields["issuing_agency"].queryset = Agency.objects.filter(province=province)
        for name in ("experience_years", "failed_units", "own_capital", "project_cost"):
            self.fields[name].widget.attrs.update(TEXT)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(Decision.APPROVED, _("Approve")), (Decision.REFUSED, _("Refuse"))],
        label=_("Decision"),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class TargetForm(forms.Form):
    year = PersianIntegerField(label=_("Year"))
    sector = forms.CharField(max_length=200, label=_("Sector"), widget=forms.TextInput(attrs=TEXT))
    county = forms.ModelChoiceField(
        County.objects.none(), required=False, label=_("County"), widget=forms.Select(attrs=SELECT)
    )
    jobs = PersianIntegerField(label=_("Target jobs"))

    def __init__(self, *args, province, **kw):
        super().__init__(*args, **kw)
        self.fields["county"].queryset = County.objects.filter(province=province)
        for name in ("year", "jobs"):
            self.fields[name].widget.attrs.update(TEXT)


class JobsForm(forms.Form):
    month = MonthField(label=_("Month"))
    created = PersianIntegerField(initial=0, label=_("Jobs created"))
    kept = PersianIntegerField(initial=0, label=_("Jobs kept"))
    lost = PersianIntegerField(initial=0, label=_("Jobs lost"))
    evidence = forms.ChoiceField(
        choices=Evidence.choices, label=_("How it is known"), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for name in ("created", "kept", "lost"):
            self.fields[name].widget.attrs.update(TEXT)


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        choices=EventKind.choices, label=_("Kind"), widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(max_length=300, label=_("Title"), widget=forms.TextInput(attrs=TEXT))
    country = forms.CharField(
        max_length=100, label=_("Country"), widget=forms.TextInput(attrs=TEXT)
    )
    date = JalaliDateField(label=_("Date"))
    leads = PersianIntegerField(required=False, initial=0, label=_("Business leads"))
    memoranda = PersianIntegerField(required=False, initial=0, label=_("Memoranda signed"))
    amount = PersianDecimalField(required=False, initial=0, label=_("Amount (million US dollars)"))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for name in ("leads", "memoranda", "amount"):
            self.fields[name].widget.attrs.update(TEXT)
