"""Forms of the daily report and of plan building. They only read what people typed (any digits,
Jalali dates); the rules live in services.py, whose errors the views put back on these forms."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ronagh.core import uploads
from ronagh.core.forms import JalaliDateField, PersianDecimalField, PersianIntegerField
from ronagh.core.models import Agency, Province
from ronagh.core.permissions import home_province_id
from ronagh.core.selectors import visible_provinces
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal, to_latin

from .models import Axis

# --- daily report ------------------------------------------------------------------------------


def milestones_field() -> forms.CharField:
    """The milestones box of the action and re-planning forms: one `date percent` a line."""
    return forms.CharField(
        label=_("Milestones"),
        required=False,
        help_text=_(
            "One per line: a Jalali date and the planned cumulative percent, e.g. 1405/03/01 25."
        ),
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "form-control num",
                "dir": "ltr",
                "placeholder": "1405/03/01 25",
            }
        ),
    )


class ReportPickForm(forms.Form):
    """Which day is being reported and, for the secretariat, for which agency (a GET form)."""

    date = JalaliDateField(label=_("Report date"), required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose an agency…"),
    )

    def __init__(self, *args, agencies=None, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].widget.attrs.update(
                {"class": "form-select", "data-autosubmit": ""}
            )
        # No date after today can be picked (the server refuses one too, in clean_date).
        self.fields["date"].widget.attrs.update(
            {"data-autosubmit": "", "data-jdp-max-date": jalali.format_date(today)}
        )

    def clean_date(self):
        day = self.cleaned_data.get("date") or self.today
        if day > self.today:
            raise forms.ValidationError(_("A report cannot be dated in the future."))
        return day


def _evidence(upload):
    if upload:
        uploads.check_evidence(upload)


class ReportRowForm(forms.Form):
    """One action's row on the daily report screen (prefixed with the action's id)."""

    percent = PersianDecimalField(label=_("Progress %"), required=False)
    unchanged = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "data-reason": ""}),
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[_evidence],
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx",
            }
        ),
    )

    def __init__(self, *args, last: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.last = last
        self.fields["percent"].widget.attrs.update(
            {
                "class": "form-control form-control-lg text-center num",
                "data-percent": "",
                "data-last": _local_number(last if last is not None else Decimal(0)),
                "placeholder": _local_number(last if last is not None else Decimal(0)),
                "aria-label": _("Cumulative progress %"),
            }
        )
        self.fields["unchanged"].widget.attrs["data-unchanged-flag"] = ""

    @property
    def confirmed_unchanged(self) -> bool:
        value = self["unchanged"].value()
        return str(value or "") == "1"

    def mark_unchanged(self) -> None:
        """Confirm the last value (the "all unchanged" button without JavaScript): the row is
        shown again ready to send, nothing is saved yet."""
        self.data = self.data.copy()
        self.data[self.add_prefix("unchanged")] = "1"
        self.data[self.add_prefix("percent")] = _local_number(
            self.last if self.last is not None else Decimal(0)
        )

    @property
    def decreased(self) -> bool:
        """The typed value is below the last report: it can go only as a correction."""
        if not self.is_bound or self.last is None:
            return False
        value = parse_decimal(self["percent"].value())
        return value is not None and value < self.last

    def entry(self) -> dict | None:
        """The keyword arguments of services.report_progress for this row, or None when the row
        was left untouched: no new value, not confirmed unchanged, no note and no file. A value
        below the last report with a reason is a correction of that report (the view adds
        which report)."""
        data = self.cleaned_data
        percent, note, evidence = (
            data.get("percent"),
            data.get("note", "").strip(),
            data.get("evidence"),
        )
        unchanged = self.confirmed_unchanged
        if unchanged and percent is None:
            percent = self.last if self.last is not None else Decimal(0)
        new_value = percent is not None and percent != self.last
        if not (unchanged or new_value or note or evidence):
            return None
        if percent is None:
            # A note or a file with the value left empty: the value stays what it was.
            percent = self.last if self.last is not None else Decimal(0)
        entry = {
            "percent": percent,
            "note": note,
            "evidence": evidence,
            "unchanged": self.last is not None and percent == self.last,
        }
        reason = data.get("reason", "").strip()
        if self.last is not None and percent < self.last and reason:
            entry["reason"] = reason
        return entry


class CorrectionForm(forms.Form):
    percent = PersianDecimalField(
        label=_("Corrected cumulative progress %"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg num"}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


def _local_number(value: Decimal) -> str:
    from ronagh.core.templatetags.ronagh import pct

    return pct(value)


# --- building a plan ---------------------------------------------------------------------------


def province_field() -> forms.ModelChoiceField:
    """The province of a plan (the form narrows the choices to the user's own)."""
    return forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def year_field() -> PersianIntegerField:
    """The Jalali year of a plan, in any digits, within the years a plan may have."""
    return PersianIntegerField(
        label=_("Jalali year"),
        min_value=jalali.FIRST_YEAR,
        max_value=jalali.LAST_YEAR,
        widget=forms.TextInput(attrs={"class": "form-control num"}),
    )


def place_plan(form: forms.Form, user) -> None:
    """A plan's province among those the user works in (a provincial secretariat: its own), and
    this Jalali year, for a form with province_field() and year_field()."""
    form.fields["province"].queryset = visible_provinces(user)
    form.fields["province"].initial = home_province_id(user)
    form.fields["year"].initial = jalali.current_year(timezone.localdate())


class PlanForm(forms.Form):
    province = province_field()
    year = year_field()
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        place_plan(self, user)


class AxisForm(forms.Form):
    number = PersianIntegerField(
        label=_("Number"), min_value=1, widget=forms.TextInput(attrs={"class": "form-control num"})
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    weight = PersianDecimalField(
        label=_("Weight"), initial=1, widget=forms.TextInput(attrs={"class": "form-control num"})
    )


_MILESTONE_LINE = re.compile(r"^\s*([^\s,;،؛]+)[\s,;،؛]+([^\s%]+)\s*%?\s*$")


def parse_milestones(text: str) -> list[tuple[dt.date, Decimal]]:
    """Lines of 'Jalali date, planned cumulative %' in any digits ('1405/03/01 25',
    '۱۴۰۵/۰۶/۰۱ ۵۰٪'); blank lines are skipped. Raises forms.ValidationError naming the line."""
    out, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        latin = to_latin(line).replace("٪", "%").strip()
        if not latin:
            continue
        match = _MILESTONE_LINE.match(latin)
        try:
            if not match:
                raise ValueError
            day = jalali.parse(match.group(1))
            percent = parse_decimal(match.group(2))
            if percent is None:
                raise ValueError
        except (ValueError, jalali.JalaliDateError):
            errors.append(
                forms.ValidationError(
                    _("Line %(n)s: write a Jalali date and a percent, e.g. 1405/03/01 25."),
                    params={"n": number},
                )
            )
            continue
        out.append((day, percent))
    if errors:
        raise forms.ValidationError(errors)
    return sorted(out)  # whether they are right is the schedule validator's (plans.schedule)


def plain_decimal(value: Decimal | None) -> str:
    """'1', '2.5', '1200' for a stored Decimal ('1.000', '2.500', '1200.00'), never '1.2E+3'."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def format_milestones(milestones) -> str:
    """The textarea text for existing milestones."""
    from ronagh.core.templatetags.ronagh import pct

    return "\n".join(f"{jalali.format_date(m.date)} {pct(m.percent)}" for m in milestones)


class ActionForm(forms.Form):
    axis = forms.ModelChoiceField(
        label=_("Axis"),
        queryset=Axis.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    code = forms.CharField(
        label=_("Code"), max_length=40, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    title = forms.CharField(
        label=_("Title"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    weight = PersianDecimalField(
        label=_("Weight"), initial=1, widget=forms.TextInput(attrs={"class": "form-control num"})
    )
    start = JalaliDateField(label=_("Start"), required=False)
    end = JalaliDateField(label=_("End"), required=False)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    target = PersianDecimalField(
        label=_("Target"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control num"}),
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    milestones = milestones_field()

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.axes.order_by("number")
        agencies = Agency.objects.filter(province=plan.province).order_by("name")
        self.fields["lead_agency"].queryset = agencies
        self.fields["partners"].queryset = agencies

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data.get("milestones", ""))


# --- the plan's lifecycle: workbook import, re-planning ----------------------------------------


def _workbook(upload):
    if upload:
        uploads.check_workbook(upload)


class PlanImportForm(forms.Form):
    """The upload step of the secretariat's plan import (SPEC 7 workbook)."""

    file = forms.FileField(
        label=_("Plan workbook (.xlsx)"),
        validators=[_workbook],
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    province = province_field()
    year = year_field()
    create_agencies = forms.BooleanField(
        label=_("Create the agencies the province does not have yet"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        place_plan(self, user)


class ReplanRequestForm(forms.Form):
    """A re-planning request: the whole new schedule of the action and the reason."""

    start = JalaliDateField(label=_("New start"))
    end = JalaliDateField(label=_("New end"))
    weight = PersianDecimalField(
        label=_("Weight"), widget=forms.TextInput(attrs={"class": "form-control num"})
    )
    target = PersianDecimalField(
        label=_("Target"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control num"}),
    )
    milestones = milestones_field()
    reason = forms.CharField(
        label=_("Reason for re-planning"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class ReplanDecisionForm(forms.Form):
    """The secretariat's decision on a re-planning request; the reason is required either way."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
