from django.db import migrations

from ronagh.core.append_only import install_triggers


class Migration(migrations.Migration):
    dependencies = [("obstacles", "0001_initial")]

    operations = [
        install_triggers(
            {
                "obstacles_transition": (
                    "SELECT 1 FROM obstacles_obstacle o WHERE o.id = OLD.obstacle_id AND o.is_sample"
                )
            }
        )
    ]
