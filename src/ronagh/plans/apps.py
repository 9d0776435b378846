from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ronagh.plans"
    label = "plans"
    verbose_name = _("Plans and progress")

    def ready(self):
        # The quick search's source of this app (core.search's registry).
        from ronagh.core.search import register

        from .search_sources import ACTIONS

        register(ACTIONS)
