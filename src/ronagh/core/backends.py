"""Permissions from roles: the secretariat keeps Ronagh's own tables in the admin without
per-model grants (SPEC 1); the admin's own rules still refuse what is append-only or frozen."""

from django.contrib.auth.backends import BaseBackend

RONAGH_APPS = {"core", "plans", "scorecards", "obstacles", "units", "hq", "notifications"}


class RoleBackend(BaseBackend):
    def _secretariat(self, user) -> bool:
        return bool(user and user.is_active and getattr(user, "role", None) == "secretariat")

    def has_perm(self, user_obj, perm, obj=None):
        return self._secretariat(user_obj) and perm.split(".", 1)[0] in RONAGH_APPS

    def has_module_perms(self, user_obj, app_label):
        return self._secretariat(user_obj) and app_label in RONAGH_APPS
