from django.contrib import admin

from ronagh.core.admin_base import ScopedAdmin

from .models import IndustrialPark, ProductionUnit


@admin.register(IndustrialPark)
class IndustrialParkAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["name", "county", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(ProductionUnit)
class ProductionUnitAdmin(ScopedAdmin):
    province_path = "province_id"
    list_display = ["name", "national_id", "sector", "park", "county", "employees", "status"]
    list_filter = ["status", "province", "park"]
    search_fields = ["name", "national_id"]
