"""Admin: obstacles and their history are read here; every change of status goes through the
pages and the API (services.transition), so the admin does not offer it."""

from django.contrib import admin

from ronagh.core.admin_base import ReadOnlyAdmin, ScopedAdmin

from .models import Obstacle, RoutingRule, Transition


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "from_agency", "to_agency", "by", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Obstacle)
class ObstacleAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["id", "title", "category", "severity", "responsible_agency", "status",
                    "due_date", "bounces"]  # fmt: skip
    list_filter = ["status", "category", "severity", "province"]
    search_fields = ["title", "description", "unit__name", "unit__national_id"]
    raw_id_fields = ["unit", "park", "action", "responsible_agency", "registered_by"]
    readonly_fields = ["status", "responsible_agency", "assigned_on", "due_date", "resolved_on",
                       "bounces", "registered_by", "registered_by_agency", "registered_at",
                       "registered_on"]  # fmt: skip
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    province_path = "obstacle__province_id"
    list_display = ["obstacle", "from_status", "to_status", "to_agency", "by", "at"]
    list_filter = ["to_status", "is_bounce"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["province", "category", "agency", "updated_by", "updated_at"]
    list_filter = ["province"]

    # The secretariat edits the table on its own page (services.set_routing_rule records who).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
