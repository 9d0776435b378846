from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("", views.national_view, name="national"),
]
