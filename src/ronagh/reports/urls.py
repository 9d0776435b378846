from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("governor/", views.governor, name="governor"),
    path("<slug:kind>/", views.download, name="download"),
]
