from django.urls import path

from . import organisation

app_name = "core"

urlpatterns = [
    path("holidays/", organisation.holidays, name="holidays"),
    path("holidays/seed/", organisation.holidays_seed, name="holidays_seed"),
    path("holidays/<int:pk>/", organisation.holiday_change, name="holiday_change"),
    path("counties/", organisation.counties, name="counties"),
    path("people/", organisation.people, name="people"),
    path("people/new/", organisation.person, name="person_new"),
    path("people/<int:pk>/", organisation.person, name="person"),
]
