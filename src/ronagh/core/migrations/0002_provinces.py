from django.db import migrations


def load_provinces(apps, schema_editor):
    from ronagh.core.provinces import PROVINCES

    Province = apps.get_model("core", "Province")
    for code, name in PROVINCES:
        Province.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_provinces, migrations.RunPython.noop)]
