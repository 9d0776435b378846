from django.db import migrations

from ronagh.core.append_only import install_triggers

SAMPLE_UNIT = "SELECT 1 FROM units_productionunit u WHERE u.id = OLD.unit_id AND u.is_sample"

# Every province starts with the seed's priority sectors: the cultural industries (printing and
# publishing) and IT; the secretariat edits the list on its page.
DEFAULT_PRIORITIES = (
    ("صنایع فرهنگی: چاپ و تکثیر رسانه‌های ضبط‌شده", "18", ""),
    ("صنایع فرهنگی: نشر", "58", ""),
    ("صنایع فرهنگی: چاپ و نشر", "", "چاپ و نشر"),
    ("فناوری اطلاعات: برنامه‌نویسی و مشاوره رایانه‌ای", "62", ""),
    ("فناوری اطلاعات: خدمات اطلاعاتی", "63", ""),
    ("فناوری اطلاعات", "", "فناوری اطلاعات"),
)


def seed(apps, schema_editor):
    from ronagh.lib.text import normalize

    Province = apps.get_model("core", "Province")
    PrioritySector = apps.get_model("units", "PrioritySector")
    for province in Province.objects.all():
        for title, prefix, sector in DEFAULT_PRIORITIES:
            PrioritySector.objects.get_or_create(
                province=province, isic_prefix=prefix, sector=sector, defaults={"title": title}
            )
    Unit = apps.get_model("units", "ProductionUnit")
    for unit in Unit.objects.all():
        unit.name_key = normalize(unit.name)
        unit.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_production_units"),
    ]

    operations = [
        install_triggers(
            {"units_statuschange": SAMPLE_UNIT, "units_indicatorrevision": SAMPLE_UNIT}
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
