from django.contrib import admin

from .models import Action, Axis, Milestone, Plan, ProgressReport


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "year", "status", "communicated_on"]
    list_filter = ["province", "year", "status"]
    readonly_fields = ["status", "communicated_on", "communicated_by"]
    inlines = [AxisInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "axis", "lead_agency", "weight", "start", "end"]
    list_filter = ["plan", "axis__number", "lead_agency"]
    search_fields = ["code", "title"]
    filter_horizontal = ["partners"]
    inlines = [MilestoneInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Read-only: reports are append-only and corrected only through the report screen."""

    list_display = ["action", "date", "percent", "agency", "entered_by", "late", "corrects"]
    list_filter = ["late", "entered_by_secretariat", "agency"]
    search_fields = ["action__code", "action__title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
