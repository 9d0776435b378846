"""The organisation in the admin, scoped like every admin page (`admin_base.ScopedAdmin`). The
permission fields of a user — superuser, staff, groups, permissions — are never granted from
the web: superusers are made with `ronagh manage createsuperuser`, roles with `ronagh adduser`
or the user form below (SPEC 10)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_base import ScopedAdmin
from .models import Agency, County, Holiday, Province, User

PERMISSION_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(Province)
class ProvinceAdmin(ScopedAdmin):
    province_path = "pk"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):  # the 31 provinces come with the data migration
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["name", "kind", "province", "code"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "name_key", "code"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    """Official holidays are the country's: kept by the national secretariat (and the
    superuser)."""

    list_display = ["date", "title"]


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    province_path = "province_id"
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "agency",
        "province",
        "is_active",
    ]
    list_filter = ["role", "province", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role in Ronagh"), {"fields": ("role", "agency", "province", "phone", "is_active")}),
        (_("Permissions"), {"fields": PERMISSION_FIELDS}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role in Ronagh"), {"fields": ("role", "agency", "province")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Superuser status and Django's permission machinery are never granted from the web.
        return (*super().get_readonly_fields(request, obj), *PERMISSION_FIELDS, "last_login",
                "date_joined")  # fmt: skip

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A provincial secretariat never sees (and so never changes) a superuser.
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def save_model(self, request, obj, form, change):
        # The province follows the agency; a provincial secretariat adds people to its own
        # province only; staff status (the admin's door) follows the secretariat role.
        if obj.agency_id:
            obj.province_id = obj.agency.province_id
        if not request.user.is_superuser and request.user.province_id:
            obj.province_id = request.user.province_id
        if not change:
            obj.is_staff = obj.role == User.Role.SECRETARIAT
        super().save_model(request, obj, form, change)
