from django.urls import path

from . import views

app_name = "hq"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes"),
    path("meetings/<int:pk>/resolutions/new/", views.resolution_create, name="resolution_create"),
    path("resolutions/<int:pk>/clauses/new/", views.clause_create, name="clause_create"),
    path("clauses/", views.clause_list, name="clauses"),
    path("clauses/<int:pk>/", views.clause_detail, name="clause"),
    path("rates/", views.execution_rates, name="rates"),
    path("systemic/", views.systemic_list, name="systemic_list"),
    path("systemic/new/", views.systemic_create, name="systemic_create"),
    path("systemic/<int:pk>/", views.systemic_detail, name="systemic"),
]
