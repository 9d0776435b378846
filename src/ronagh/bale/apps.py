from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaleConfig(AppConfig):
    name = "ronagh.bale"
    label = "bale"
    verbose_name = _("Bale messenger bot")
