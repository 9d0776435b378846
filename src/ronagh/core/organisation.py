"""The secretariat's own tables on Jalali pages of the app (SPEC 3; never the Django admin,
which is the superuser's alone): the official holidays of each year, the province's counties,
and its users with their roles. Thin views: every change is a `services` call that checks the
actor's permission itself; these pages ask the same `permissions` only to show or hide."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from ronagh.lib import jalali
from ronagh.lib.digits import to_latin

from . import pages, permissions, services
from .forms import JalaliDateField, add_service_errors
from .i18n import local_digits
from .models import Agency, Holiday, User
from .selectors import visible_agencies, visible_counties, visible_users


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise PermissionDenied(message)


def _bootstrap(form: forms.Form) -> forms.Form:
    """Bootstrap's classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


# --- holidays ----------------------------------------------------------------------------------


class HolidayForm(forms.Form):
    date = JalaliDateField(label=_lazy("Date"))
    title = forms.CharField(label=_lazy("Name"), max_length=200)


def _year(request) -> int:
    raw = to_latin(request.GET.get("year", "")).strip()
    if raw.isdigit() and jalali.FIRST_YEAR <= int(raw) <= jalali.LAST_YEAR:
        return int(raw)
    return jalali.current_year(timezone.localdate())


@require_http_methods(["GET", "POST"])
@login_required
def holidays(request):
    """The year's holidays (Jalali), the estimated lunar ones marked; add one, correct one,
    remove one, or seed an empty year from the calendar library."""
    user = request.user
    _require(permissions.may_keep_holidays(user), _("Only the secretariat keeps the holidays."))
    year = _year(request)
    here = pages.link(reverse("core:holidays"), year=year)
    form = _bootstrap(HolidayForm())
    if request.method == "POST":
        form = _bootstrap(HolidayForm(request.POST))
        if form.is_valid():
            try:
                services.add_holiday(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The holiday was added."))
                return redirect(here)
    first, last = jalali.year_bounds(year)
    rows = list(Holiday.objects.filter(date__gte=first, date__lte=last).order_by("date"))
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": rows,
        "form": form,
        "estimated": sum(1 for h in rows if h.estimated),
        "edit_forms": {
            h.pk: _bootstrap(
                HolidayForm(initial={"date": h.date, "title": h.title}, prefix=f"h{h.pk}")
            )
            for h in rows
        },
    }
    return pages.page(request, "core/holidays.html", context)


@require_POST
@login_required
def holiday_change(request, pk: int):
    user = request.user
    holiday = get_object_or_404(Holiday, pk=pk)
    year = jalali.to_jalali(holiday.date).year
    back = pages.link(reverse("core:holidays"), year=year)
    if request.POST.get("remove"):
        services.remove_holiday(actor=user, holiday=holiday)
        messages.success(request, _("The holiday was removed."))
        return redirect(back)
    form = HolidayForm(request.POST, prefix=f"h{pk}")
    if form.is_valid():
        try:
            services.change_holiday(actor=user, holiday=holiday, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The holiday was corrected."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(back)


@require_POST
@login_required
def holidays_seed(request):
    user = request.user
    year = _year(request)
    added = services.seed_holidays(year=year, actor=user)
    if added:
        messages.success(
            request,
            _("%(n)s official holidays of %(year)s were added from the calendar library.")
            % {"n": local_digits(added), "year": local_digits(year)},
        )
    else:
        messages.info(request, _("This year has holidays already; correct them one by one."))
    return redirect(pages.link(reverse("core:holidays"), year=year))


# --- counties ----------------------------------------------------------------------------------


class CountyForm(forms.Form):
    name = forms.CharField(label=_lazy("County"), max_length=100)


def _province_of(user):
    """The province whose tables the user keeps (None for a national secretariat without a
    chosen province: it chooses one)."""
    return user.province if user.province_id else None


@require_http_methods(["GET", "POST"])
@login_required
def counties(request):
    user = request.user
    province = _province_of(user)
    _require(
        province is not None and permissions.may_keep_counties(user, province.pk),
        permissions.secretariat_refusal(user)
        if not user.is_secretariat
        else _("A national secretariat keeps counties from a province's account."),
    )
    form = _bootstrap(CountyForm())
    if request.method == "POST":
        county = None
        if request.POST.get("county"):
            county = get_object_or_404(visible_counties(user), pk=request.POST["county"])
        form = _bootstrap(CountyForm(request.POST))
        if form.is_valid():
            try:
                if county is None:
                    services.add_county(actor=user, province=province, **form.cleaned_data)
                    messages.success(request, _("The county was added."))
                else:
                    services.rename_county(actor=user, county=county, **form.cleaned_data)
                    messages.success(request, _("The county was renamed."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("core:counties")
    rows = visible_counties(user).filter(province=province).order_by("name")
    return pages.page(
        request, "core/counties.html", {"rows": rows, "form": form, "province": province}
    )


# --- people and roles --------------------------------------------------------------------------


class PersonForm(forms.Form):
    username = forms.CharField(label=_lazy("Username"), max_length=150)
    first_name = forms.CharField(label=_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_lazy("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_lazy("Role"), choices=User.Role.choices)
    agency = forms.ModelChoiceField(
        label=_lazy("Agency"), queryset=Agency.objects.none(), required=False
    )
    email = forms.EmailField(label=_lazy("Email"), required=False)
    phone = forms.CharField(label=_lazy("Mobile phone"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_lazy("May sign in"), required=False, initial=True)
    password = forms.CharField(
        label=_lazy("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_lazy("At least 8 characters; leave empty to keep the current one."),
    )

    def __init__(self, *args, user: User, person: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("name")
        if person is not None:
            self.fields["username"].disabled = True


# What the new-user and the change forms hand their services alike.
PERSON_FIELDS = ("role", "agency", "password", "first_name", "last_name", "email", "phone")


@require_http_methods(["GET"])
@login_required
def people(request):
    user = request.user
    _require(
        permissions.may_manage_people(user, permissions.home_province_id(user)),
        permissions.secretariat_refusal(user),
    )
    rows = (
        visible_users(user)
        .filter(is_superuser=False)
        .order_by("role", "agency__name", "username")
        .select_related("agency")
    )
    return pages.page(request, "core/people.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def person(request, pk: int | None = None):
    user = request.user
    target = None
    if pk is not None:
        target = get_object_or_404(visible_users(user).filter(is_superuser=False), pk=pk)
    province = target.province if target else _province_of(user)
    _require(
        permissions.may_manage_people(user, province.pk if province else None),
        permissions.secretariat_refusal(user),
    )
    initial = {"role": User.Role.AGENCY_REPORTER, "is_active": True}
    if target is not None:
        initial = {
            f: getattr(target, f)
            for f in ("username", "first_name", "last_name", "role", "email", "phone", "is_active")
        } | {"agency": target.agency}
    elif request.GET.get("agency", "").isdigit():
        initial["agency"] = visible_agencies(user).filter(pk=request.GET["agency"]).first()
    form = _bootstrap(PersonForm(request.POST or None, user=user, person=target, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {k: data[k] for k in PERSON_FIELDS}
        try:
            if target is None:
                services.create_person(
                    actor=user, username=data["username"], province=province, **common
                )
                messages.success(request, _("The user was created."))
            else:
                services.change_person(
                    actor=user, person=target, is_active=data["is_active"], **common
                )
                messages.success(request, _("The user was changed."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("core:people")
    context = {"form": form, "person": target}
    return pages.page(request, "core/person_form.html", context)
