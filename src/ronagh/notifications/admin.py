from django.contrib import admin

from ronagh.core.admin_base import ReadOnlyAdmin, ScopedAdmin

from .models import Delivery, Notification


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    province_path = "recipient__province_id"
    """Read-only: notifications are written by services.notify alone."""

    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    province_path = "recipient__province_id"
    """The delivery log, read-only: who was told what, on which channel, and what failed."""

    list_display = ["key", "channel", "recipient", "address", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["key", "recipient__username", "address", "error"]
    date_hierarchy = "created_at"
