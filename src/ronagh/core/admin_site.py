"""The Django admin is the superuser's alone (the server's administrator, made with `ronagh
manage createsuperuser`): officials keep their tables on the app's Jalali pages (holidays,
counties, users and roles, the routing table), which check their permissions in the services."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class RonaghAdminSite(admin.AdminSite):
    site_header = _("Ronagh: server administration")
    site_title = _("Ronagh")

    def has_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)


class RonaghAdminConfig(AdminConfig):
    default_site = "ronagh.core.admin_site.RonaghAdminSite"
