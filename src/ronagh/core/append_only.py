"""Append-only records (SPEC 10): progress reports, obstacle transitions, clause updates,
escalation steps, revisions, evaluations. A later fact is a new row; a stored row is never
changed or removed.

One rule, enforced twice:
- in the app, `AppendOnlyModel` refuses `save()` of a stored row and `delete()`, and its
  manager's `AppendOnlyQuerySet` refuses `update()`, `delete()` and `bulk_update()`;
- on PostgreSQL, a trigger (installed by each app's migration for its tables, `install_triggers`)
  refuses UPDATE and DELETE even from raw SQL of the app's own database role.

The one exception is the demo's sample data (SPEC 8: labelled as sample), which a rebuilt demo
replaces: `purge_sample()` removes rows that belong to a sample plan, meeting or obstacle and
nothing else, and the trigger lets a DELETE through only for such rows. TRUNCATE (the test
runner's flush, `ronagh restore --force`) is not a row operation and stays possible for the
database's owner.
"""

from __future__ import annotations

from django.db import migrations, models


class AppendOnlyError(ValueError):
    """Somebody tried to change or remove a stored append-only record (a programming error,
    never a user's: no page or endpoint offers it)."""

    def __init__(self, model: type[models.Model] | None = None):
        name = model._meta.label if model is not None else "this model"
        super().__init__(f"{name} is append-only: a stored record is never changed or deleted.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model)

    def delete(self):
        raise AppendOnlyError(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(self.model)

    def _update(self, values):
        # The path Model.save() takes for a row that exists: refused there too.
        raise AppendOnlyError(self.model)

    def purge_sample(self) -> int:
        """Delete these rows, which must all belong to sample data (the model's `SAMPLE_PATH`
        leads to an `is_sample` flag); the demo's rebuild is the only caller."""
        path = getattr(self.model, "SAMPLE_PATH", None)
        if path is None or self.exclude(**{path: True}).exists():
            raise AppendOnlyError(self.model)
        count, _by_model = models.QuerySet.delete(self)
        return count


class AppendOnlyModel(models.Model):
    """Abstract base of every append-only model: inserts only. A subclass names in
    `SAMPLE_PATH` the lookup to the `is_sample` flag of the record it hangs on."""

    SAMPLE_PATH: str | None = None

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(type(self))
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(type(self))


def _function(table: str, sample_sql: str | None) -> str:
    allow = (
        f"    IF TG_OP = 'DELETE' AND EXISTS ({sample_sql}) THEN RETURN OLD; END IF;\n"
        if sample_sql
        else ""
    )
    return (
        f"CREATE OR REPLACE FUNCTION ronagh_append_only_{table}() RETURNS trigger AS $$\n"
        "BEGIN\n"
        f"{allow}"
        "    RAISE EXCEPTION 'ronagh: % is append-only (% refused)', TG_TABLE_NAME, TG_OP\n"
        "        USING ERRCODE = 'insufficient_privilege';\n"
        "END;\n"
        "$$ LANGUAGE plpgsql;\n"
    )


def trigger_sql(table: str, sample_sql: str | None = None) -> str:
    """The trigger that refuses UPDATE and DELETE on `table`. `sample_sql` is a SELECT that finds
    a row only when OLD belongs to sample data (e.g. `SELECT 1 FROM plans_plan p … WHERE
    … OLD.action_id … AND p.is_sample`)."""
    return (
        _function(table, sample_sql)
        + f'DROP TRIGGER IF EXISTS ronagh_append_only ON "{table}";\n'
        + f'CREATE TRIGGER ronagh_append_only BEFORE UPDATE OR DELETE ON "{table}" '
        + f"FOR EACH ROW EXECUTE FUNCTION ronagh_append_only_{table}();\n"
    )


def drop_trigger_sql(table: str) -> str:
    return (
        f'DROP TRIGGER IF EXISTS ronagh_append_only ON "{table}";\n'
        f"DROP FUNCTION IF EXISTS ronagh_append_only_{table}();\n"
    )


def install_triggers(tables: dict[str, str | None]) -> migrations.RunPython:
    """A migration operation that puts the append-only trigger on each table (PostgreSQL only; a
    no-op elsewhere). `tables` maps a table to its sample SELECT (or None)."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, sample_sql in tables.items():
                schema_editor.execute(trigger_sql(table, sample_sql), params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(drop_trigger_sql(table), params=None)

    return migrations.RunPython(forward, backward, elidable=False)
