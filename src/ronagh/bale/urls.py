from django.urls import path

from . import webhook

app_name = "bale"

urlpatterns = [
    path("webhook/<str:secret>/", webhook.webhook, name="webhook"),
]
