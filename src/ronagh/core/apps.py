from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ronagh.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self):
        # The quick search's source of this app (core.search's registry).
        from ronagh.core.search import register

        from .search_sources import AGENCIES

        register(AGENCIES)
