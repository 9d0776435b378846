from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The deterministic demo province (SPEC 8) and the `ronagh demo` command: on top of every
    app, since it builds with all of them."""

    name = "ronagh.demo"
    label = "demo"
