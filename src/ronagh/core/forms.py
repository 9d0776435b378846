"""Form fields for Persian screens: Jalali dates and numbers typed in any digits (SPEC 3), and
the bridge that turns a service's ValidationError into form errors."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ronagh.lib import jalali
from ronagh.lib.digits import to_latin

from .i18n import local_date


class JalaliDateInput(forms.TextInput):
    """A text input the Jalali date picker attaches to (app.js watches `data-jdp`). The value is
    written in the reader's digits (Persian on a Persian page); app.js hands the picker Latin
    digits while it is open. People may type any digits."""

    def __init__(self, attrs=None):
        base = {
            "data-jdp": "",
            "autocomplete": "off",
            "inputmode": "numeric",
            "placeholder": _("yyyy/mm/dd"),
            "class": "form-control",
        }
        base.update(attrs or {})
        super().__init__(base)

    def format_value(self, value):
        if isinstance(value, dt.date):
            return local_date(value)
        return super().format_value(value)


class JalaliDateField(forms.Field):
    """A date typed as Jalali YYYY/MM/DD ('1405/9/4', '۱۴۰۵/۰۹/۰۴', '1405-09-04'); cleans to a
    Gregorian `datetime.date`."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a Jalali date such as 1405/03/01."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return jalali.parse(str(value))
        except jalali.JalaliDateError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


class _DigitsMixin:
    """Persian and Arabic-Indic digits, the Arabic decimal mark, thousands separators and ZWNJ
    are turned into what Python reads before the usual cleaning."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin(value).strip().replace(",", "").replace("\u200c", "").replace(" ", "")
        return super().to_python(value)


class PersianDecimalField(_DigitsMixin, forms.DecimalField):
    """A decimal typed in any digits ('۴۲٫۵', '42.5'). A text input with a decimal keypad: a
    browser's number input refuses Persian digits."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        attrs.setdefault("autocomplete", "off")
        return attrs


class PersianIntegerField(_DigitsMixin, forms.IntegerField):
    """A whole number typed in any digits."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "numeric")
        attrs.setdefault("autocomplete", "off")
        return attrs


def add_service_errors(form: forms.BaseForm, exc: ValidationError, aliases=None) -> None:
    """Put a service's ValidationError on the form: messages keyed by one of the form's fields
    go to that field (or to `aliases[key]`), the rest to the form as a whole."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        field = aliases.get(key, key)
        form.add_error(field if field in form.fields else None, messages)
