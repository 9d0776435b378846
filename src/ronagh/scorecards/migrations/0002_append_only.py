from django.db import migrations

from ronagh.core.append_only import install_triggers


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0001_initial")]

    operations = [
        install_triggers(
            {
                "scorecards_evaluation": (
                    "SELECT 1 FROM plans_plan p WHERE p.id = OLD.plan_id AND p.is_sample"
                )
            }
        )
    ]
