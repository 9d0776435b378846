from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObstaclesConfig(AppConfig):
    name = "ronagh.obstacles"
    label = "obstacles"
    verbose_name = _("Obstacles")

    def ready(self):
        # The quick search's source of this app (core.search's registry).
        from ronagh.core.search import register

        from .search_sources import OBSTACLES

        register(OBSTACLES)
