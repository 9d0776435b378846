"""Evaluations and flags in the admin: read-only. Evaluations are append-only and flags are
cleared on the review page, through the services, never edited here."""

from django.contrib import admin

from ronagh.core.admin_base import ReadOnlyAdmin

from .models import Evaluation, SuspiciousFlag


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    province_path = "plan__province_id"
    list_display = ["agency", "plan", "period_label", "period_start", "period_end", "grade",
                    "author", "created_at"]  # fmt: skip
    list_filter = ["plan", "grade"]
    search_fields = ["agency__name", "text"]


@admin.register(SuspiciousFlag)
class SuspiciousFlagAdmin(ReadOnlyAdmin):
    province_path = "action__plan__province_id"
    list_display = ["action", "kind", "date", "detected_at", "cleared_by", "cleared_at"]
    list_filter = ["kind", "action__plan"]
    search_fields = ["action__code", "note"]
