from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ronagh.api"
    label = "api"
    verbose_name = "API"
