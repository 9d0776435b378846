from django.urls import path

from . import views

app_name = "obstacles"

urlpatterns = [
    path("", views.obstacle_list, name="list"),
    path("new/", views.obstacle_register, name="register"),
    path("from-report/<int:action_id>/", views.obstacle_from_report, name="from_report"),
    path("<int:pk>/", views.obstacle_detail, name="detail"),
    path("<int:pk>/transition/", views.obstacle_transition, name="transition"),
    path("routing/", views.routing, name="routing"),
    path("escalation/", views.escalation, name="escalation"),
    path("analytics/", views.analytics_page, name="analytics"),
    path("analytics.xlsx", views.analytics_xlsx, name="analytics_xlsx"),
]
