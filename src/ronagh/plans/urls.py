from django.urls import path

from .views import corrections, daily_report, dashboards, editing, lifecycle
from .views import workbook as workbook_views

app_name = "plans"

urlpatterns = [
    # dashboards (views/dashboards.py)
    path("plans/", dashboards.plan_list, name="plan_list"),
    path("plans/current/", dashboards.dashboard_current, name="dashboard_current"),
    path("plans/<int:pk>/", dashboards.plan_dashboard, name="plan_dashboard"),
    path("plans/<int:pk>/axes/<int:number>/", dashboards.axis_dashboard, name="axis"),
    path("agencies/<int:pk>/", dashboards.agency_dashboard, name="agency"),
    path("actions/<int:pk>/", dashboards.action_dashboard, name="action"),
    # daily report (views/daily_report.py)
    path("report/", daily_report.daily_report, name="daily_report"),
    path("reports/<int:pk>/correct/", daily_report.correct_report, name="correct_report"),
    path("corrections/", corrections.corrections, name="corrections"),
    # building and communicating a plan (views/editing.py)
    path("plans/new/", editing.plan_create, name="plan_create"),
    path("plans/<int:pk>/edit/", editing.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/axes/new/", editing.axis_form, name="axis_create"),
    path("plans/<int:pk>/axes/<int:axis_id>/edit/", editing.axis_form, name="axis_edit"),
    path("plans/<int:pk>/actions/new/", editing.action_form, name="action_create"),
    path("plans/<int:pk>/actions/<int:action_id>/edit/", editing.action_form, name="action_edit"),
    path("plans/<int:pk>/communicate/", editing.communicate, name="communicate"),
    path("plans/<int:pk>/close/", editing.close, name="close"),
    # the workbook in the UI (views/workbook.py)
    path("plans/import/", workbook_views.plan_import, name="plan_import"),
    path("plans/import/template.xlsx", workbook_views.plan_template, name="plan_template"),
    path(
        "plans/import/<str:token>/",
        workbook_views.plan_import_preview,
        name="plan_import_preview",
    ),
    path(
        "plans/import/<str:token>/cancel/",
        workbook_views.plan_import_cancel,
        name="plan_import_cancel",
    ),
    path("plans/<int:pk>/export.xlsx", workbook_views.plan_export, name="plan_export"),
    # the plan's life after building it (views/lifecycle.py)
    path("plans/<int:pk>/quality/", lifecycle.quality, name="quality"),
    path("plans/<int:pk>/communication/", lifecycle.communication, name="communication"),
    path("plans/<int:pk>/acknowledge/", lifecycle.acknowledge, name="acknowledge"),
    path("actions/<int:pk>/replan/", lifecycle.replan_request, name="replan_request"),
    path("replanning/", lifecycle.replan_list, name="replan_list"),
    path("replanning/<int:pk>/", lifecycle.replan_detail, name="replan_detail"),
    path("replanning/<int:pk>/decide/", lifecycle.replan_decide, name="replan_decide"),
]
