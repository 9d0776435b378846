from django.urls import path

from . import views

app_name = "scorecards"

urlpatterns = [
    path("", views.league_current, name="league_current"),
    path("plans/<int:pk>/", views.league, name="league"),
    path("agencies/<int:pk>/", views.agency, name="agency"),
    path("agencies/<int:pk>/evaluations/", views.add_evaluation, name="add_evaluation"),
    path("compliance/", views.compliance_current, name="compliance_current"),
    path("plans/<int:pk>/compliance/", views.compliance, name="compliance"),
    path("heatmap/", views.heatmap_current, name="heatmap_current"),
    path("plans/<int:pk>/heatmap/", views.heatmap, name="heatmap"),
    path("flags/", views.flags, name="flags"),
    path("flags/<int:pk>/clear/", views.clear_flag, name="clear_flag"),
    path("plans/<int:pk>/flags/detect/", views.detect, name="detect"),
]
