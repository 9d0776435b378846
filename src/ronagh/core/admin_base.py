"""Admin pieces shared by the apps: every ModelAdmin of Ronagh derives from `ScopedAdmin`, so the
admin obeys the same scoping as the pages (`core.scoping`): a province's secretariat lists,
opens and changes only its own province's objects, and its choices of related objects are
limited the same way. A model whose admin names no `province_path` is for the superuser and the
national secretariat only."""

from __future__ import annotations

from django.contrib import admin

from .scoping import scoped


class ScopedAdmin(admin.ModelAdmin):
    # The lookup from the model to its province id (e.g. "plan__province_id"); None: not
    # provincial (national data, or not for a provincial secretariat).
    province_path: str | None = None

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, province=self.province_path)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin(ScopedAdmin):
    """For records written by the services alone and never changed afterwards (progress reports,
    transitions, revisions, evaluations, deliveries): the admin shows them and nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
