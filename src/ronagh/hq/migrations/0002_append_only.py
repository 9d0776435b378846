from django.db import migrations

from ronagh.core.append_only import install_triggers

MEETING_OF_CLAUSE = (
    "SELECT 1 FROM hq_clause c JOIN hq_resolution r ON r.id = c.resolution_id "
    "JOIN hq_meeting m ON m.id = r.meeting_id WHERE c.id = OLD.clause_id AND m.is_sample"
)


class Migration(migrations.Migration):
    dependencies = [("hq", "0001_initial")]

    operations = [
        install_triggers(
            {"hq_clauseupdate": MEETING_OF_CLAUSE, "hq_escalationstep": MEETING_OF_CLAUSE}
        )
    ]
