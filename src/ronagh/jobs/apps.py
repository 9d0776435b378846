from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The scheduled jobs on top of every app: `ronagh remind`, the daily job."""

    name = "ronagh.jobs"
    label = "jobs"
