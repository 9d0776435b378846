from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "ronagh.units"
    label = "units"
    verbose_name = _("Production units")

    def ready(self):
        # The quick search's source of this app (core.search's registry).
        from ronagh.core.search import register

        from .search_sources import UNITS

        register(UNITS)
