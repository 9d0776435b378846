"""The columns of the units and indicators workbooks (SPEC 7), by Persian header and alias."""

from __future__ import annotations

from ronagh.core.workbook import Column

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("national_id", "شناسه ملی", True, 14),
    Column("name", "نام واحد", True, 34),
    Column("isic", "کد آیسیک", width=10),
    Column("sector", "بخش", width=20),
    Column("county", "شهرستان", width=14),
    Column("park", "شهرک صنعتی", width=26),
    Column("status", "وضعیت", width=9),
    Column("employees", "تعداد کارکنان", width=12),
    Column("capacity", "ظرفیت اسمی", width=12),
    Column("manager", "مدیرعامل", width=20),
    Column("licence_no", "شماره پروانه بهره‌برداری", width=20),
    Column("licence_date", "تاریخ پروانه", width=12),
)

# (column, the UnitIndicator field it fills)
INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("national_id", "شناسه ملی", True, 14),
    Column("month", "ماه", True, 9),
    Column("employees", "تعداد کارکنان", width=12),
    Column("capacity_utilisation", "درصد بهره‌برداری", width=13),
    Column("sales", "فروش", width=14),
    Column("energy", "مصرف انرژی", width=13),
    Column("tax_overdue_months", "معوقه مالیاتی (ماه)", width=13),
    Column("insurance_overdue_months", "معوقه بیمه (ماه)", width=13),
    Column("bank_overdue_months", "معوقه بانکی (ماه)", width=13),
    Column("bounced_cheques", "چک برگشتی", width=11),
    Column("utility_cutoffs", "قطع انشعاب", width=11),
)
FIELD_OF_ALIAS = {
    "employees": "employees",
    "capacity_utilisation": "utilisation",
    "sales": "sales",
    "energy": "energy",
    "tax_overdue_months": "tax_overdue",
    "insurance_overdue_months": "insurance_overdue",
    "bank_overdue_months": "bank_overdue",
    "bounced_cheques": "bounced_cheques",
    "utility_cutoffs": "utility_cutoffs",
}
UNIT_POSITION = {c.key: i for i, c in enumerate(UNIT_COLUMNS)}
INDICATOR_POSITION = {c.key: i for i, c in enumerate(INDICATOR_COLUMNS)}
MAX_COLUMNS, MAX_ROWS = 100, 200_000
