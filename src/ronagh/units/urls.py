from django.urls import path

from .views import governor, jobs, permits, registry

app_name = "units"

urlpatterns = [
    path("", registry.registry, name="registry"),
    path("new/", registry.new, name="new"),
    path("export.xlsx", registry.export, name="export"),
    path("template/<str:kind>.xlsx", registry.template, name="template"),
    path("import/", registry.upload, name="upload"),
    path("priorities/", registry.priorities, name="priorities"),
    path("<int:pk>/", registry.detail, name="detail"),
    path("<int:pk>/indicators/", registry.enter_indicators, name="enter_indicators"),
    path("<int:pk>/jobs/", registry.enter_jobs, name="enter_jobs"),
    path("<int:pk>/edit/", registry.edit, name="edit"),
    path("governor/", governor.governor, name="governor"),
    path("parks/", governor.parks, name="parks"),
    path("parks/<int:pk>/", governor.park, name="park"),
    path("permits/", permits.permit_list, name="permits"),
    path("permits/new/", permits.permit_new, name="permit_new"),
    path("permits/<int:pk>/", permits.permit_detail, name="permit"),
    path("permits/<int:pk>/decide/", permits.permit_decide, name="permit_decide"),
    path("permits/<int:pk>/obstacle/", permits.permit_obstacle, name="permit_obstacle"),
    path("jobs/", jobs.jobs, name="jobs"),
    path("events/", jobs.events, name="events"),
]
