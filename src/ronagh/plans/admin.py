from django.contrib import admin

from ronagh.core.admin_base import ReadOnlyAdmin, ScopedAdmin

from .models import (
    Acknowledgement,
    Action,
    Axis,
    CorrectionDecision,
    Milestone,
    Plan,
    ProgressReport,
    ReplanRequest,
    Revision,
)


def _is_draft(plan) -> bool:
    return plan is None or plan.status == Plan.Status.DRAFT


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["title", "province", "year", "status", "communicated_on"]
    list_filter = ["province", "year", "status"]
    readonly_fields = ["status", "communicated_on", "communicated_by"]
    inlines = [AxisInline]


@admin.register(Action)
class ActionAdmin(ScopedAdmin):
    province_path = "plan__province_id"
    list_display = ["code", "title", "axis", "lead_agency", "weight", "start", "end"]
    list_filter = ["plan", "axis__number", "lead_agency"]
    search_fields = ["code", "title"]
    filter_horizontal = ["partners"]
    inlines = [MilestoneInline]

    # A communicated plan's baseline is frozen (SPEC 4.1): its actions are read-only here.
    def has_change_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.plan)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.plan)) and super().has_delete_permission(request, obj)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    province_path = "action__plan__province_id"
    """Read-only: reports are append-only and corrected only through the report screen."""

    list_display = [
        "action", "date", "percent", "agency", "entered_by", "channel", "late", "corrects",
    ]  # fmt: skip
    list_filter = ["channel", "late", "entered_by_secretariat", "needs_approval", "agency"]
    search_fields = ["action__code", "action__title"]


@admin.register(CorrectionDecision)
class CorrectionDecisionAdmin(ReadOnlyAdmin):
    """Read-only: decisions are made on the approval queue (services.decide_correction)."""

    province_path = "correction__action__plan__province_id"
    list_display = ["correction", "approved", "decided_by", "decided_at"]
    list_filter = ["approved"]


# --- the plan's lifecycle: records kept as they were made --------------------------------------


# Acknowledgements, re-planning requests and revisions are written by the services only.


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    province_path = "plan__province_id"
    list_display = ["plan", "agency", "acknowledged_by", "acknowledged_at"]
    list_filter = ["plan", "agency"]


@admin.register(ReplanRequest)
class ReplanRequestAdmin(ReadOnlyAdmin):
    province_path = "action__plan__province_id"
    list_display = ["action", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "action__plan"]
    search_fields = ["action__code", "action__title", "reason"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    province_path = "action__plan__province_id"
    list_display = ["action", "request", "created_at"]
    list_filter = ["action__plan"]
    search_fields = ["action__code", "action__title"]
