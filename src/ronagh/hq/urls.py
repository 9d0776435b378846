from django.urls import path

from .views import clauses, meetings, rates, systemic

app_name = "hq"

urlpatterns = [
    path("", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", meetings.minutes_pdf, name="minutes"),
    path(
        "meetings/<int:pk>/resolutions/new/", meetings.resolution_create, name="resolution_create"
    ),
    path("resolutions/<int:pk>/clauses/new/", meetings.clause_create, name="clause_create"),
    path("clauses/", clauses.clause_list, name="clauses"),
    path("clauses/<int:pk>/", clauses.clause_detail, name="clause"),
    path("rates/", rates.execution_rates, name="rates"),
    path("systemic/", systemic.systemic_list, name="systemic_list"),
    path("systemic/new/", systemic.systemic_create, name="systemic_create"),
    path("systemic/<int:pk>/", systemic.systemic_detail, name="systemic"),
]
